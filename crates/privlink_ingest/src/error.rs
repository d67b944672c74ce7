//! Errors that stop one input from loading (the others still load).

use std::fmt;

use privlink_model::Location;

/// An input, or a part of it, that could not be read: unparsable HCL, an unknown function, a missing
/// file, an unreadable directory. Reported with exit code 2 while every other input is still analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
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
