//! What both adapters (CLI and TUI) work with: the open store, the config, the clock
//! and who is acting.

use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::config::Config;
use crate::domain::{Clock, SystemClock};
use crate::store::{FileSharing, OpenMode, Store};
use crate::workflow::{Actor, Workflow};

pub struct Session {
    pub store: Store,
    pub config: Config,
    pub actor: Actor,
    pub clock: Box<dyn Clock>,
}

/// Whether opening may make a new database where none is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Make it, and say so on standard error (the console, `demo`, imports, the
    /// listener: the commands that start a store).
    Create,
    /// Refuse: a mistyped `--db` must not look like an empty store.
    Refuse,
}

impl Session {
    /// Opens the store of an existing database; a missing file is refused.
    pub fn open(
        paths: &Paths,
        read_only: bool,
        as_name: Option<String>,
    ) -> Result<Session, AppError> {
        Session::open_or(paths, read_only, as_name, Missing::Refuse)
    }

    /// Opens the store, making a new database when `missing` allows (never read-only).
    pub fn open_or(
        paths: &Paths,
        read_only: bool,
        as_name: Option<String>,
        missing: Missing,
    ) -> Result<Session, AppError> {
        let config = Config::load(
            paths.explicit_config.as_deref(),
            paths.default_config.as_deref(),
        )?;
        let mode = if read_only || config.ui.read_only {
            OpenMode::ReadOnly
        } else {
            OpenMode::ReadWrite
        };
        let location = paths.database_in(&config);
        let absent = !Store::is_server_location(&location) && !location.exists();
        if absent && (missing == Missing::Refuse || mode == OpenMode::ReadOnly) {
            return Err(AppError::Failed(format!(
                "there is no database at {}{}; check --db, or create one with `watchfloor demo --db PATH` or by opening the console on it",
                location.display(),
                if mode == OpenMode::ReadOnly {
                    " (read-only opens only an existing one)"
                } else {
                    ""
                }
            )));
        }
        let store = Store::open_shared(&location, mode, sharing(&config))?;
        if absent {
            eprintln!(
                "watchfloor: created a new database at {}",
                location.display()
            );
        }
        Ok(Session {
            store,
            config,
            actor: Actor::from_environment(as_name),
            clock: Box::new(SystemClock),
        })
    }

    pub fn workflow(&self) -> Workflow<'_> {
        Workflow::new(&self.store, &self.config, self.clock.as_ref(), &self.actor)
    }
}

/// How new database and backup files are shared: `[store] group_shared`.
fn sharing(config: &Config) -> FileSharing {
    if config.store.group_shared {
        FileSharing::Group
    } else {
        FileSharing::Private
    }
}
