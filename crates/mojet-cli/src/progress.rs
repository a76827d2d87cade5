//! Progress bars for long work; indicatif hides them when stderr is not a
//! terminal.

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
