//! Progress bars for long work; indicatif hides them when stderr is not a
//! terminal.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` steps labelled `label`.
pub fn bar(total: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// Starts a spinner labelled `label`, for one step whose length is unknown.
pub fn spinner(label: &str, message: &str) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{prefix:>10} {spinner} {msg} ({elapsed})")
            .expect("the spinner template is valid"),
    );
    spinner.set_prefix(label.to_string());
    spinner.set_message(message.to_string());
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}
