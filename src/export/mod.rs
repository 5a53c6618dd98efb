//! Renderers of data for other tools.

pub mod ics;
pub mod tickets_csv;
