//! watchfloor: an IT operations console for the terminal.
//!
//! Layers, in dependency order: [`domain`] (pure rules) ← [`store`] (the only SQL) ←
//! [`workflow`] (the one write path) ← [`cli`] and [`tui`] (thin adapters).

pub mod activity;
pub mod cli;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod editor;
pub mod error;
pub mod escalation_watch;
pub mod export;
pub mod import;
pub mod incident_views;
pub mod logging;
pub mod metrics;
pub mod notify;
pub mod paths;
pub mod session;
pub mod sla_badge;
pub mod standup_board;
pub mod store;
pub mod ticket_views;
pub mod tui;
pub mod workflow;
