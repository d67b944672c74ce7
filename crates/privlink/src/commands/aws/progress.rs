//! The scan's progress bar: on a terminal only, never in CI or when standard error is piped.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Parts of a region's scan reported by the scanner (EC2 lists, then ECS, then EKS).
const STEPS_PER_REGION: u64 = 10;

/// A progress bar over every region's steps.
#[derive(Debug)]
pub(crate) struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub(crate) fn new() -> Self {
        let visible = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = ProgressBar::with_draw_target(
            None,
            if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            },
        );
        bar.set_style(
            ProgressStyle::with_template("{spinner} scanning {wide_msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self { bar }
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl privlink_aws::Progress for Bar {
    fn regions(&self, regions: &[String]) {
        self.bar.set_length(regions.len() as u64 * STEPS_PER_REGION);
    }

    fn step(&self, region: &str, what: &str) {
        self.bar.set_message(format!("{region}: {what}"));
        self.bar.inc(1);
    }
}
