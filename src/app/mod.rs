//! The app shell under both faces: the session they work with (store, config, clock,
//! actor), where files live, the errors and exit codes, logging, and the editor.

pub mod editor;
pub mod error;
pub mod logging;
pub mod output;
pub mod paths;
pub mod secret_file;
pub mod session;
