//! The HTML report (`check --format html`): a stable snapshot of a shipped example; well-formed
//! HTML (html5ever reports no parse error) that carries every finding and every flow, one subnet
//! box per subnet and the verdict colours; names from the inputs escaped; and the page as a real
//! browser sees it (headless Chromium: DOM, screenshot, network log).

mod chromium;
mod report;
mod support;
