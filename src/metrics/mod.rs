//! KPIs, as defined in DESIGN.md's table: one module used alike by the metrics pane,
//! the stand-up screen and `watchfloor report` (those arrive with the metrics issue;
//! this is its computing core). Pure functions over domain records: the store loads
//! the records of a period, these compute.

pub mod alert_rules;
pub mod controls;
pub mod csat;
pub mod drill;
pub mod exposition;
pub mod incidents;
pub mod knowledge;
pub mod oncall_hours;
pub mod period;
pub mod report;
pub mod scope;
pub mod scorecard;
pub mod standup;
pub mod stats;
pub mod trend_flags;
pub mod vendors;
