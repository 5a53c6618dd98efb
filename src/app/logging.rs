//! Tracing to a log file, never to the terminal (the TUI owns it). Level from
//! `WATCHFLOOR_LOG` (default `info`). The file is private (0600); a log that cannot be
//! opened is not an error.

use crate::app::paths::LOG_FILE_NAME;
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
    let path = log_dir.join(LOG_FILE_NAME);
    // Opened here rather than by an appender that panics when it cannot (another
    // user's log, a read-only directory): then this process simply does not log.
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(&path) else {
        return;
    };
    let _ = LOG_FILE.set(path);
    let filter =
        EnvFilter::try_from_env("WATCHFLOOR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
