//! Renderers of data for other tools.

pub mod ics;
pub mod status_page;
pub mod tickets_csv;
