pub mod not_built;
pub mod ticket_detail;
pub mod ticket_list;
