//! The configuration syntax tree the evaluator reads, shared by native HCL and Terraform JSON.
//!
//! Both `*.tf` (through hcl-edit) and `*.tf.json` are lowered into this one tree, so evaluation has a
//! single code path and the two syntaxes give the same result. Every node keeps the [`Pos`] where it
//! is written; positions become 1-based line/column only when a message or a location needs one.

/// Index of a source file in [`super::source::Sources`].
pub(crate) type FileId = u32;

/// A byte offset in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Pos {
    pub(crate) file: FileId,
    pub(crate) offset: u32,
}

/// An expression with where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) pos: Pos,
}

/// The kinds of expression HCL has.
#[derive(Clone, Debug)]
pub(crate) enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string without interpolations.
    String(String),
    Template(Vec<TemplatePart>),
    Tuple(Vec<Expr>),
    Object(Vec<(Expr, Expr)>),
    /// A bare name at the root of a traversal: `var`, `aws_vpc`, `each`, a `for` variable.
    Variable(String),
    Traversal(Box<Expr>, Vec<TraversalOp>),
    Call {
        name: String,
        args: Vec<Expr>,
        expand_final: bool,
    },
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
}

/// One step of a traversal.
#[derive(Clone, Debug)]
pub(crate) enum TraversalOp {
    GetAttr(String),
    Index(Expr),
    /// `.*`: applies the following attribute accesses to every element.
    AttrSplat,
    /// `[*]`: applies every following step to every element.
    FullSplat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

/// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value... if cond}`.
#[derive(Clone, Debug)]
pub(crate) struct ForExpr {
    pub(crate) key_var: Option<String>,
    pub(crate) value_var: String,
    pub(crate) collection: Expr,
    pub(crate) key: Option<Expr>,
    pub(crate) value: Expr,
    pub(crate) grouping: bool,
    pub(crate) cond: Option<Expr>,
}

/// A piece of a string template, with strip markers (`~`) already applied to the literals.
#[derive(Clone, Debug)]
pub(crate) enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
    If {
        cond: Expr,
        then: Vec<TemplatePart>,
        otherwise: Vec<TemplatePart>,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        body: Vec<TemplatePart>,
    },
}

/// A body: attributes and nested blocks, each in written order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Body {
    pub(crate) attributes: Vec<Attribute>,
    pub(crate) blocks: Vec<Block>,
}

impl Body {
    /// The attribute called `name`.
    pub(crate) fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The nested blocks of one type.
    pub(crate) fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// `name = expr`.
#[derive(Clone, Debug)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) expr: Expr,
    pub(crate) pos: Pos,
}

/// `kind "label" ... { body }`.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) kind: String,
    pub(crate) labels: Vec<String>,
    pub(crate) body: Body,
    pub(crate) pos: Pos,
}

impl Expr {
    pub(crate) fn new(kind: ExprKind, pos: Pos) -> Self {
        Self { kind, pos }
    }

    /// The static traversal this expression is, as `root` plus attribute names (`aws.west` →
    /// `["aws", "west"]`); `None` when it is anything else. Used for `provider = aws.west`,
    /// `providers = { aws = aws.west }` and `depends_on`.
    pub(crate) fn as_static_path(&self) -> Option<Vec<String>> {
        match &self.kind {
            ExprKind::Variable(name) => Some(vec![name.clone()]),
            ExprKind::String(s) => Some(s.split('.').map(str::to_owned).collect()),
            ExprKind::Traversal(root, ops) => {
                let mut path = root.as_static_path()?;
                for op in ops {
                    match op {
                        TraversalOp::GetAttr(name) => path.push(name.clone()),
                        _ => return None,
                    }
                }
                Some(path)
            }
            ExprKind::Template(parts) => match parts.as_slice() {
                [TemplatePart::Interpolation(inner)] => inner.as_static_path(),
                _ => None,
            },
            _ => None,
        }
    }
}
