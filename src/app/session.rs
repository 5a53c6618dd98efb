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

impl Session {
    pub fn open(
        paths: &Paths,
        read_only: bool,
        as_name: Option<String>,
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
        let store = Store::open_shared(&paths.database_in(&config), mode, sharing(&config))?;
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
