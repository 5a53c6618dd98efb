//! Where the database, config and log live: platform directories via `directories`,
//! overridden by `--db` / `--config` (or `WATCHFLOOR_DB` / `WATCHFLOOR_CONFIG`).

use directories::ProjectDirs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub database: PathBuf,
    /// Whether `--db` (or `WATCHFLOOR_DB`) named the database.
    pub database_given: bool,
    /// The config file given explicitly, which must then exist.
    pub explicit_config: Option<PathBuf>,
    /// The platform's config file location, read when present.
    pub default_config: Option<PathBuf>,
    pub log_dir: PathBuf,
}

impl Paths {
    pub fn resolve(db: Option<&Path>, config: Option<&Path>) -> Paths {
        let dirs = ProjectDirs::from("", "", "watchfloor");
        let fallback = || PathBuf::from(".watchfloor");
        let data_dir = dirs
            .as_ref()
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(fallback);
        let log_dir = std::env::var_os("WATCHFLOOR_LOG_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                dirs.as_ref()
                    .and_then(|d| d.state_dir().map(Path::to_path_buf))
            })
            .unwrap_or_else(|| data_dir.join("logs"));
        Paths {
            database: db
                .map(Path::to_path_buf)
                .unwrap_or_else(|| data_dir.join("watchfloor.db")),
            database_given: db.is_some(),
            explicit_config: config.map(Path::to_path_buf),
            default_config: dirs.as_ref().map(|d| d.config_dir().join("config.toml")),
            log_dir,
        }
    }

    /// The database to open: `--db`, else the config's `[store] database`, else the
    /// platform default.
    pub fn database_in(&self, config: &crate::config::Config) -> PathBuf {
        match &config.store.database {
            Some(database) if !self.database_given => PathBuf::from(database),
            _ => self.database.clone(),
        }
    }

    pub fn config_file(&self) -> Option<&Path> {
        self.explicit_config
            .as_deref()
            .or(self.default_config.as_deref())
    }

    pub fn log_file(&self) -> PathBuf {
        self.log_dir.join(LOG_FILE_NAME)
    }
}

pub const LOG_FILE_NAME: &str = "watchfloor.log";

/// A name made safe to use as part of a file name: letters, digits, `-` and `_` kept,
/// everything else `_`.
/// `STEM-YYYYmmdd-HHMMSS.EXT` in local time: an export's file name that sorts by when
/// it was written and never overwrites an earlier one made a second before.
pub fn stamped_file_name(stem: &str, at: crate::domain::Timestamp, extension: &str) -> String {
    format!(
        "{}-{}.{extension}",
        file_safe(stem),
        at.with_timezone(&chrono::Local).format("%Y%m%d-%H%M%S")
    )
}

pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
