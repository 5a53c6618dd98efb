//! Tracing to a log file, never to the terminal (the TUI owns it). Level from
//! `WATCHFLOOR_LOG` (default `info`). A log that cannot be opened is not an error.

use crate::paths::LOG_FILE_NAME;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tracing_subscriber::EnvFilter;

static LOG_FILE: OnceLock<PathBuf> = OnceLock::new();

/// Where this process logs, once `init` has opened it.
pub fn log_file() -> Option<&'static Path> {
    LOG_FILE.get().map(PathBuf::as_path)
}

pub fn init(log_dir: &Path) {
    if std::fs::create_dir_all(log_dir).is_err() {
        return;
    }
    let _ = LOG_FILE.set(log_dir.join(LOG_FILE_NAME));
    let appender = tracing_appender::rolling::never(log_dir, LOG_FILE_NAME);
    let filter =
        EnvFilter::try_from_env("WATCHFLOOR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(appender)
        .with_ansi(false)
        .try_init();
}
