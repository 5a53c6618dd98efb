//! Renderers of data for other tools.

pub mod ics;
pub mod json;
pub mod tickets_csv;
