//! watchfloor: an IT operations console for the terminal.
//!
//! Layers, in dependency order: [`domain`] (pure rules) ← [`store`] (SQL) ←
//! [`workflow`] (the one write path) ← [`cli`] and [`tui`] (adapters).

pub mod config;
pub mod demo;
pub mod domain;
pub mod store;
pub mod workflow;
