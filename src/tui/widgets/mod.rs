pub mod footer;
pub mod form_popup;
pub mod help;
pub mod status_bar;
pub mod tabs;
pub mod view_line;
