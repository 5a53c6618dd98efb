//! Renderers of data for other tools.

pub mod control_evidence;
pub mod ics;
pub mod status_page;
pub mod tickets_csv;
