pub mod bridge;
pub mod change_calendar;
pub mod change_detail;
pub mod incident_list;
pub mod not_built;
pub mod oncall;
pub mod ticket_detail;
pub mod ticket_list;
