//! Errors that stop one input from loading (the others still load).

use std::fmt;

use privlink_model::Location;

/// An input, or a part of it, that could not be read: unparsable HCL, an unknown function, a missing
/// file, an unreadable directory. Reported with exit code 2 while every other input is still analysed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InputError {
    /// The file (or directory) concerned.
    pub path: String,
    /// The line and column, when the error is inside the file.
    pub position: Option<(u32, u32)>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl InputError {
    /// An error about a whole file or directory.
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            position: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error at a position in a file.
    pub fn at(location: &Location, message: impl Into<String>) -> Self {
        Self {
            path: location.path.clone(),
            position: Some((location.line, location.column)),
            message: message.into(),
            help: None,
        }
    }

    /// A file that is not valid JSON, or not JSON of the expected shape (`what`, e.g. `a Terraform
    /// plan`), at the position serde reports.
    pub fn json(path: &str, error: &serde_json::Error, what: &str) -> Self {
        use serde_json::error::Category;
        let text = error.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        let line = u32::try_from(error.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(error.column()).unwrap_or(u32::MAX);
        let (message, help) = match error.classify() {
            Category::Eof => (
                format!("the JSON ends early: {message}"),
                "the file is truncated; write it again",
            ),
            Category::Syntax | Category::Io => (
                format!("invalid JSON: {message}"),
                "check the file is JSON and complete",
            ),
            Category::Data => (
                format!("not {what} privlink can read: {message}"),
                "privlink reads Terraform plans and states (`terraform show -json`), CloudFormation templates and ECS task definitions",
            ),
        };
        Self {
            path: path.to_owned(),
            position: Some((line, column)),
            message,
            help: Some(help.to_owned()),
        }
    }

    /// Adds advice.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The location, when the error has a position.
    pub fn location(&self) -> Option<Location> {
        self.position
            .map(|(line, column)| Location::new(self.path.clone(), line, column))
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for InputError {}
