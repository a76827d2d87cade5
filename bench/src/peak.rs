//! Peak resident memory of the current process.

/// Returns the peak resident set size of this process in KiB (`VmHWM` of
/// `/proc/self/status`), or `None` where that file or field does not exist
/// (outside Linux).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
