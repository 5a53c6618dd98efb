pub mod footer;
pub mod help;
pub mod status_bar;
pub mod tabs;
