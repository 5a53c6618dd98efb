//! The read side shared by every face: named ticket and incident views, the activity
//! people read, SLA cells, what is due for escalation, and the stand-up board. Reads
//! only: nothing here writes.

pub mod activity;
pub mod directory;
pub mod escalation_watch;
pub mod handoff;
pub mod incident_views;
pub mod knowledge;
pub mod sla_badge;
pub mod standup_board;
pub mod status_page;
pub mod ticket_detail;
pub mod ticket_views;
