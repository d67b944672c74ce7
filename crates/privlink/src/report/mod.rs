//! Report renderers. Each takes the analysed session and returns the text to write.

pub(crate) mod cost;
pub(crate) mod fix;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod sarif;
mod snippet;
pub(crate) mod style;
pub(crate) mod text;
