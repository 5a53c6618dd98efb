//! watchfloor: an IT operations console for the terminal.
//!
//! Layers, in dependency order: [`domain`] (pure rules) ← [`store`] (the only SQL) ←
//! [`workflow`] (the one write path) ← [`cli`] and [`tui`] (thin adapters).

pub mod cli;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod error;
pub mod logging;
pub mod paths;
pub mod session;
pub mod store;
pub mod tui;
pub mod workflow;
