//! A template as a tree of positioned nodes: what the YAML and JSON readers produce and what
//! evaluation reads.
//!
//! Every node and every mapping key keeps its 1-based line and column, so evaluation errors and
//! findings point at the exact place in the template. Short-form tags (`!Ref X`, `!Sub ...`) are
//! already turned into their long form (`{Ref: X}`, `{Fn::Sub: ...}`) positioned at the tag, so the
//! evaluator sees one syntax whatever the author wrote.

use privlink_model::Location;

/// A 1-based position in a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Pos {
    pub(crate) fn location(self, path: &str) -> Location {
        Location::new(path, self.line, self.column)
    }
}

/// A node of the template tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) at: Pos,
}

/// What a node holds. Scalars are resolved as CloudFormation's YAML reader resolves them: plain
/// `null`/`~`/empty is null, plain `true`/`false` a boolean, a plain number a number (kept as written,
/// so `2010-09-09` and `0123` stay text); anything quoted is a string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One key of a mapping, with the key's own position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_at: Pos,
    pub(crate) value: Node,
}

impl Node {
    /// The value of `key` when this is a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` when this is a mapping.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The entries when this is a mapping.
    pub(crate) fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The text of a string or number scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Some(s),
            _ => None,
        }
    }

    /// The single `(key, value)` of a one-key mapping whose key is an intrinsic function
    /// (`Ref`, `Condition` or `Fn::...`).
    pub(crate) fn intrinsic(&self) -> Option<&Entry> {
        match self.entries() {
            [only]
                if only.key == "Ref" || only.key == "Condition" || only.key.starts_with("Fn::") =>
            {
                Some(only)
            }
            _ => None,
        }
    }

    /// The position of a dotted path below this node (`Properties.SubnetIds.1`): the key of the last
    /// mapping step, or the list element; the closest existing parent when the path goes further
    /// than the tree.
    pub(crate) fn position_of(&self, path: &str) -> Pos {
        let mut current = self;
        let mut pos = self.at;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            match &current.kind {
                NodeKind::Map(_) => match current.entry(part) {
                    Some(e) => {
                        pos = e.key_at;
                        current = &e.value;
                    }
                    None => break,
                },
                NodeKind::List(items) => {
                    match part.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(item) => {
                            pos = item.at;
                            current = item;
                        }
                        None => break,
                    }
                }
                _ => break,
            }
        }
        pos
    }
}
