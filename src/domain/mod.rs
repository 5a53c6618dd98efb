//! Pure domain types and rules: no I/O, no SQL, no terminal. Time comes from a [`Clock`].

pub mod alert;
pub mod alert_verdict;
pub mod article;
pub mod audience;
pub mod bridge;
pub mod calendar;
pub mod change;
pub mod change_rules;
pub mod clock;
pub mod contact;
pub mod control;
pub mod csat;
pub mod directory;
pub mod directory_plan;
pub mod display;
pub mod escalation;
pub mod field_changes;
pub mod handoff_receipt;
pub mod heartbeat;
pub mod incident;
pub mod keys;
pub mod knowledge_kpi;
pub mod kpi_reading;
pub mod line_diff;
pub mod oncall;
pub mod oncall_hours;
pub mod org;
pub mod page;
pub mod page_link;
pub mod priority;
pub mod report_schedule;
pub mod review;
pub mod review_rules;
pub mod sanitize;
pub mod similarity;
pub mod sla;
mod string_enum;
pub mod ticket;
pub mod trend_flag;
pub mod vendor;

pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use keys::{
    ArticleKey, ChangeKey, IncidentKey, KeyParseError, ProblemKey, RecordKey, RecordKind,
    ReviewKey, TicketKey,
};
pub use priority::{Level, Priority, PriorityMatrix};
pub use sanitize::{html_escaped, markdown_text, sanitize_line, sanitize_text, spreadsheet_cell};
pub use string_enum::UnknownVariant;
pub use ticket::{Ticket, TicketKind, TicketSort, TicketState};
