//! Values the inputs may not determine.
//!
//! A Terraform id is known only after apply, a variable may have no value, a CloudFormation import may
//! point at a stack that was not given. privlink never guesses such values: they are [`Known::Unknown`]
//! with a reason a person can read, and analysis that depends on them reports `unknown`.

use serde::{Deserialize, Serialize};

/// Why a value is not known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unknown {
    /// What the value depends on, e.g. `var.vpc_cidr has no value` or `known only after apply`.
    pub reason: String,
}

impl Unknown {
    /// An unknown with the given reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

/// A value that is either known or unknown for a stated reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Known<T> {
    /// The inputs determine the value.
    Value(T),
    /// The inputs do not determine the value.
    Unknown(Unknown),
}

impl<T> Known<T> {
    /// An unknown value with the given reason.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Self::Unknown(Unknown::new(reason))
    }

    /// The value, if known.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Unknown(_) => None,
        }
    }

    /// The reason, if unknown.
    pub fn unknown_reason(&self) -> Option<&Unknown> {
        match self {
            Self::Value(_) => None,
            Self::Unknown(u) => Some(u),
        }
    }

    /// Whether the value is known.
    pub fn is_known(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// Maps a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Self::Value(v) => Known::Value(f(v)),
            Self::Unknown(u) => Known::Unknown(u),
        }
    }

    /// Borrows the value.
    pub fn as_ref(&self) -> Known<&T> {
        match self {
            Self::Value(v) => Known::Value(v),
            Self::Unknown(u) => Known::Unknown(u.clone()),
        }
    }
}

impl<T> From<T> for Known<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// A list whose known members are listed and which may have further members the inputs do not show
/// (`concat([aws_subnet.a.id], var.more)` with `var.more` unset, a `dynamic` block over an unknown
/// collection, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial<T> {
    /// The members the inputs determine.
    pub known: Vec<T>,
    /// Set when there may be members beyond `known`, with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<Unknown>,
}

impl<T> Default for Partial<T> {
    fn default() -> Self {
        Self {
            known: Vec::new(),
            unknown: None,
        }
    }
}

impl<T> Partial<T> {
    /// A complete list.
    pub fn complete(known: Vec<T>) -> Self {
        Self {
            known,
            unknown: None,
        }
    }

    /// A list of which nothing is known.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Self {
            known: Vec::new(),
            unknown: Some(Unknown::new(reason)),
        }
    }

    /// Whether every member is known.
    pub fn is_complete(&self) -> bool {
        self.unknown.is_none()
    }

    /// Whether the list is known to be empty.
    pub fn is_known_empty(&self) -> bool {
        self.known.is_empty() && self.unknown.is_none()
    }

    /// The known members.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.known.iter()
    }

    /// Adds a known member.
    pub fn push(&mut self, item: T) {
        self.known.push(item);
    }

    /// Marks the list as possibly having more members, keeping the first reason given.
    pub fn mark_incomplete(&mut self, reason: Unknown) {
        if self.unknown.is_none() {
            self.unknown = Some(reason);
        }
    }

    /// Appends another partial list.
    pub fn extend(&mut self, other: Partial<T>) {
        self.known.extend(other.known);
        if let Some(u) = other.unknown {
            self.mark_incomplete(u);
        }
    }
}

impl<T: PartialEq> Partial<T> {
    /// Whether `item` is a known member.
    pub fn contains(&self, item: &T) -> bool {
        self.known.contains(item)
    }
}

impl<'a, T> IntoIterator for &'a Partial<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.known.iter()
    }
}
