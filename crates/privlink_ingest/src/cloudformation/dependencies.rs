//! Circular dependencies between the resources of a template.
//!
//! CloudFormation orders resource creation by their dependencies: a `Ref`, an `Fn::GetAtt` or an
//! `Fn::Sub` `${Name}`/`${Name.Attribute}` naming another resource in its `Properties`, and the
//! resource's `DependsOn`. A cycle among them (two resources referring to each other, a resource
//! referring to itself, circular `DependsOn`) makes CloudFormation reject the template with
//! `Circular dependency between resources: [...]`. Each cycle is an `invalid-cloudformation`
//! diagnostic at the first of its resources in template order. The search is iterative and linear
//! in the number of references, so neither a deep chain nor a large template can exhaust the stack.
//! See <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html>.

use std::collections::HashMap;

use super::eval::Evaluator;
use super::node::{Node, NodeKind};
use super::value::TemplateId;

/// How many resources of a cycle a message names.
const MAX_LISTED: usize = 10;

/// Reports every dependency cycle among the resources of every template.
pub(crate) fn check(ev: &mut Evaluator) {
    for t in 0..ev.templates.len() {
        let template = ev.template(t);
        let resources = template.section("Resources");
        let index: HashMap<&str, usize> = resources
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.as_str(), i))
            .collect();
        let edges: Vec<Vec<usize>> = resources
            .iter()
            .map(|entry| {
                let mut names = Vec::new();
                if let Some(depends) = entry.value.get("DependsOn") {
                    match &depends.kind {
                        NodeKind::List(items) => {
                            names.extend(items.iter().filter_map(Node::as_str));
                        }
                        _ => names.extend(depends.as_str()),
                    }
                }
                if let Some(properties) = entry.value.get("Properties") {
                    references(properties, &mut names);
                }
                let mut targets: Vec<usize> =
                    names.iter().filter_map(|n| index.get(n).copied()).collect();
                targets.sort_unstable();
                targets.dedup();
                targets
            })
            .collect();
        for component in cycles(&edges) {
            report(ev, t, &component);
        }
    }
}

fn report(ev: &mut Evaluator, t: TemplateId, component: &[usize]) {
    let template = ev.template(t);
    let resources = template.section("Resources");
    let names: Vec<&str> = component
        .iter()
        .map(|&i| resources[i].key.as_str())
        .collect();
    let first = &resources[component[0]];
    let listed = if names.len() > MAX_LISTED {
        format!(
            "{} and {} more",
            names[..MAX_LISTED].join(", "),
            names.len() - MAX_LISTED
        )
    } else {
        names.join(", ")
    };
    let message = if let [only] = names.as_slice() {
        format!("resource {only} depends on itself")
    } else {
        format!("resources {listed} depend on each other in a cycle")
    };
    ev.invalid(
        t,
        first.key_at,
        message,
        "remove one of the references (a Ref, Fn::GetAtt, Fn::Sub or DependsOn) that close the cycle",
        Some(format!("Circular dependency between resources: [{listed}]")),
    );
}

/// The resource names a node refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub`. Names that are
/// not resources (parameters, pseudo parameters, `Fn::Sub` variables) are dropped by the caller's
/// lookup, except `Fn::Sub` variables, which are skipped here.
fn references<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::List(items) => stack.extend(items),
            NodeKind::Map(entries) => {
                if let Some(entry) = node.intrinsic() {
                    match (entry.key.as_str(), &entry.value.kind) {
                        ("Ref", _) => out.extend(entry.value.as_str()),
                        ("Fn::GetAtt", NodeKind::List(items)) => {
                            out.extend(items.first().and_then(Node::as_str));
                        }
                        ("Fn::GetAtt", _) => out.extend(
                            entry
                                .value
                                .as_str()
                                .map(|s| s.split_once('.').map_or(s, |(r, _)| r)),
                        ),
                        ("Fn::Sub", NodeKind::String(text)) => sub_names(text, None, out),
                        ("Fn::Sub", NodeKind::List(items)) if items.len() == 2 => {
                            if let Some(text) = items[0].as_str() {
                                sub_names(text, Some(&items[1]), out);
                            }
                            stack.push(&items[1]);
                        }
                        _ => stack.push(&entry.value),
                    }
                } else {
                    stack.extend(entries.iter().map(|e| &e.value));
                }
            }
            _ => {}
        }
    }
}

/// The resources an `Fn::Sub` string names: `${Name}` and `${Name.Attribute}`, not `${!Literal}`
/// nor its own variables.
fn sub_names<'n>(text: &'n str, vars: Option<&Node>, out: &mut Vec<&'n str>) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { return };
        let name = after[..end].trim();
        rest = &after[end + 1..];
        if name.starts_with('!') || vars.is_some_and(|v| v.get(name).is_some()) {
            continue;
        }
        out.push(name.split_once('.').map_or(name, |(r, _)| r));
    }
}

/// The strongly connected components of a graph that are cycles (more than one node, or a node
/// with an edge to itself), each sorted, in order of their first node: Tarjan's algorithm with an
/// explicit stack.
fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next edge to follow)
        let mut work = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*i) {
                *i += 1;
                if index[w] == UNVISITED {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || edges[v].contains(&v) {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort_unstable_by_key(|c| c[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn finds_self_loops_and_cycles_only() {
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0], vec![]];
        assert_eq!(cycles(&edges), vec![vec![0, 1, 2], vec![3]]);
        assert!(cycles(&[vec![1], vec![2], vec![]]).is_empty());
    }

    #[test]
    fn a_long_chain_does_not_exhaust_the_stack() {
        let n = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        edges[n - 1] = vec![0];
        let found = cycles(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
