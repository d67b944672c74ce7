//! Native syntax (`*.tf`, `*.tfvars`): hcl-edit's tree lowered into [`syntax`](super::syntax).
//!
//! hcl-edit keeps byte spans for every node; they become [`Pos`]es here. hcl-edit records template
//! strip markers (`~`) but does not apply them, so they are applied to the literals while lowering,
//! as HCL does at parse time. Heredoc indentation (`<<-`) is already removed by the parser.

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{self as hs, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Span, expr as he};

use super::source::pos;
use super::syntax::{
    Attribute, BinaryOp, Block, Body, Expr, ExprKind, FileId, ForExpr, Pos, TemplatePart,
    TraversalOp, UnaryOp,
};

/// A parse failure with its 1-based position.
#[derive(Debug)]
pub(crate) struct ParseFailure {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

/// Parses a whole file into a body.
pub(crate) fn parse_body(text: &str, file: FileId) -> Result<Body, ParseFailure> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ParseFailure {
        line: u32::try_from(e.location().line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.location().column()).unwrap_or(u32::MAX),
        message: e.message().to_owned(),
    })?;
    Ok(lower_body(&body, file, pos(file, 0)))
}

/// Parses one expression (a `--var` value, a type constraint in JSON syntax). Positions are relative
/// to `at`: every node gets `at`, since the text is not part of a file.
pub(crate) fn parse_expression(text: &str, at: Pos) -> Result<Expr, String> {
    let expr = hcl_edit::parser::parse_expr(text).map_err(|e| e.message().to_owned())?;
    let lowerer = Lowerer {
        file: at.file,
        fixed: Some(at),
    };
    Ok(lowerer.expr(&expr, at))
}

/// Parses a string as a template (Terraform JSON strings). Every node gets `at`.
pub(crate) fn parse_template(text: &str, at: Pos) -> Result<Expr, String> {
    let template = hcl_edit::parser::parse_template(text).map_err(|e| e.message().to_owned())?;
    let lowerer = Lowerer {
        file: at.file,
        fixed: Some(at),
    };
    let parts = lowerer.template(&template, false, false, at);
    Ok(template_expr(parts, at))
}

fn lower_body(body: &hs::Body, file: FileId, fallback: Pos) -> Body {
    let lowerer = Lowerer { file, fixed: None };
    lowerer.body(body, fallback)
}

/// A template that is one literal is a plain string; keeping that distinction lets keys and
/// labels written as templates compare as strings without evaluation.
fn template_expr(parts: Vec<TemplatePart>, at: Pos) -> Expr {
    match parts.as_slice() {
        [] => Expr::new(ExprKind::String(String::new()), at),
        [TemplatePart::Literal(s)] => Expr::new(ExprKind::String(s.clone()), at),
        _ => Expr::new(ExprKind::Template(parts), at),
    }
}

struct Lowerer {
    file: FileId,
    /// Set when positions inside the text are meaningless (text taken from a JSON string).
    fixed: Option<Pos>,
}

impl Lowerer {
    fn at(&self, span: Option<std::ops::Range<usize>>, fallback: Pos) -> Pos {
        match (self.fixed, span) {
            (Some(p), _) => p,
            (None, Some(r)) => pos(self.file, r.start),
            (None, None) => fallback,
        }
    }

    fn body(&self, body: &hs::Body, fallback: Pos) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let at = self.at(attr.span(), fallback);
                    out.attributes.push(Attribute {
                        name: attr.key.value().to_string(),
                        expr: self.expr(&attr.value, at),
                        pos: at,
                    });
                }
                Structure::Block(block) => {
                    let at = self.at(block.span(), fallback);
                    out.blocks.push(Block {
                        kind: block.ident.value().to_string(),
                        labels: block.labels.iter().map(|l| l.as_str().to_owned()).collect(),
                        body: self.body(&block.body, at),
                        pos: at,
                    });
                }
            }
        }
        out
    }

    fn expr(&self, expr: &Expression, fallback: Pos) -> Expr {
        let at = self.at(expr.span(), fallback);
        let kind = match expr {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::String(s.value().clone()),
            Expression::Array(items) => {
                ExprKind::Tuple(items.iter().map(|e| self.expr(e, at)).collect())
            }
            Expression::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key_expr = match key {
                            ObjectKey::Ident(ident) => Expr::new(
                                ExprKind::String(ident.value().to_string()),
                                self.at(ident.span(), at),
                            ),
                            ObjectKey::Expression(e) => self.expr(e, at),
                        };
                        (key_expr, self.expr(value.expr(), at))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                return template_expr(self.template(t, false, false, at), at);
            }
            Expression::HeredocTemplate(h) => {
                return template_expr(self.template(&h.template, false, false, at), at);
            }
            Expression::Parenthesis(p) => return self.expr(p.inner(), at),
            Expression::Variable(v) => ExprKind::Variable(v.value().to_string()),
            Expression::Conditional(c) => ExprKind::Conditional(
                Box::new(self.expr(&c.cond_expr, at)),
                Box::new(self.expr(&c.true_expr, at)),
                Box::new(self.expr(&c.false_expr, at)),
            ),
            Expression::FuncCall(call) => {
                let mut name: Vec<String> = call
                    .name
                    .namespace
                    .iter()
                    .map(|n| n.value().to_string())
                    .collect();
                name.push(call.name.name.value().to_string());
                ExprKind::Call {
                    name: name.join("::"),
                    args: call.args.iter().map(|a| self.expr(a, at)).collect(),
                    expand_final: call.args.expand_final(),
                }
            }
            Expression::Traversal(t) => ExprKind::Traversal(
                Box::new(self.expr(&t.expr, at)),
                t.operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => TraversalOp::AttrSplat,
                        TraversalOperator::FullSplat(_) => TraversalOp::FullSplat,
                        TraversalOperator::GetAttr(name) => {
                            TraversalOp::GetAttr(name.value().to_string())
                        }
                        TraversalOperator::Index(e) => TraversalOp::Index(self.expr(e, at)),
                        TraversalOperator::LegacyIndex(i) => {
                            TraversalOp::Index(Expr::new(ExprKind::Number(*i.value() as f64), at))
                        }
                    })
                    .collect(),
            ),
            Expression::UnaryOp(op) => ExprKind::Unary(
                match op.operator.value() {
                    he::UnaryOperator::Neg => UnaryOp::Neg,
                    he::UnaryOperator::Not => UnaryOp::Not,
                },
                Box::new(self.expr(&op.expr, at)),
            ),
            Expression::BinaryOp(op) => ExprKind::Binary(
                binary_op(*op.operator.value()),
                Box::new(self.expr(&op.lhs_expr, at)),
                Box::new(self.expr(&op.rhs_expr, at)),
            ),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.value().to_string()),
                value_var: f.intro.value_var.value().to_string(),
                collection: self.expr(&f.intro.collection_expr, at),
                key: f.key_expr.as_ref().map(|k| self.expr(k, at)),
                value: self.expr(&f.value_expr, at),
                grouping: f.grouping,
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr, at)),
            })),
        };
        Expr::new(kind, at)
    }

    /// Lowers template elements, applying strip markers: `strip_first`/`strip_last` trim the
    /// outermost literals (set by the enclosing directive's markers).
    fn template(
        &self,
        template: &Template,
        strip_first: bool,
        strip_last: bool,
        at: Pos,
    ) -> Vec<TemplatePart> {
        // (part, strips the literal before it, strips the literal after it)
        let mut parts: Vec<(TemplatePart, bool, bool)> = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(s) => {
                    parts.push((TemplatePart::Literal(s.value().clone()), false, false));
                }
                Element::Interpolation(i) => parts.push((
                    TemplatePart::Interpolation(self.expr(&i.expr, self.at(i.span(), at))),
                    i.strip.strip_start(),
                    i.strip.strip_end(),
                )),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(dir) => {
                        let then_strip_last = dir.else_expr.as_ref().map_or_else(
                            || dir.endif_expr.strip.strip_start(),
                            |e| e.strip.strip_start(),
                        );
                        let then = self.template(
                            &dir.if_expr.template,
                            dir.if_expr.strip.strip_end(),
                            then_strip_last,
                            at,
                        );
                        let otherwise = dir.else_expr.as_ref().map_or_else(Vec::new, |e| {
                            self.template(
                                &e.template,
                                e.strip.strip_end(),
                                dir.endif_expr.strip.strip_start(),
                                at,
                            )
                        });
                        parts.push((
                            TemplatePart::If {
                                cond: self.expr(&dir.if_expr.cond_expr, at),
                                then,
                                otherwise,
                            },
                            dir.if_expr.strip.strip_start(),
                            dir.endif_expr.strip.strip_end(),
                        ));
                    }
                    Directive::For(dir) => {
                        let f = &dir.for_expr;
                        parts.push((
                            TemplatePart::For {
                                key_var: f.key_var.as_ref().map(|k| k.value().to_string()),
                                value_var: f.value_var.value().to_string(),
                                collection: self.expr(&f.collection_expr, at),
                                body: self.template(
                                    &f.template,
                                    f.strip.strip_end(),
                                    dir.endfor_expr.strip.strip_start(),
                                    at,
                                ),
                            },
                            f.strip.strip_start(),
                            dir.endfor_expr.strip.strip_end(),
                        ));
                    }
                },
            }
        }
        let count = parts.len();
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let trim_start = if i == 0 { strip_first } else { parts[i - 1].2 };
            let trim_end = if i + 1 == count {
                strip_last
            } else {
                parts[i + 1].1
            };
            match &parts[i].0 {
                TemplatePart::Literal(s) => {
                    let mut s = s.as_str();
                    if trim_start {
                        s = s.trim_start();
                    }
                    if trim_end {
                        s = s.trim_end();
                    }
                    out.push(TemplatePart::Literal(s.to_owned()));
                }
                other => out.push(other.clone()),
            }
        }
        out
    }
}

fn binary_op(op: he::BinaryOperator) -> BinaryOp {
    match op {
        he::BinaryOperator::Eq => BinaryOp::Eq,
        he::BinaryOperator::NotEq => BinaryOp::NotEq,
        he::BinaryOperator::LessEq => BinaryOp::LtEq,
        he::BinaryOperator::GreaterEq => BinaryOp::GtEq,
        he::BinaryOperator::Less => BinaryOp::Lt,
        he::BinaryOperator::Greater => BinaryOp::Gt,
        he::BinaryOperator::Plus => BinaryOp::Add,
        he::BinaryOperator::Minus => BinaryOp::Sub,
        he::BinaryOperator::Mul => BinaryOp::Mul,
        he::BinaryOperator::Div => BinaryOp::Div,
        he::BinaryOperator::Mod => BinaryOp::Mod,
        he::BinaryOperator::And => BinaryOp::And,
        he::BinaryOperator::Or => BinaryOp::Or,
    }
}
