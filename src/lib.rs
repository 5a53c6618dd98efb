//! watchfloor: an IT operations console for the terminal.
//!
//! Layers, in dependency order (the allowed arrows are in `docs/ARCHITECTURE.md`, and
//! `tests/architecture.rs` enforces them): [`domain`] (pure rules) ← [`config`] ←
//! [`store`] (the only SQL) ← [`workflow`] (the one write path) ← [`views`] and
//! [`metrics`] (the read side) ← [`app`] (the shell) ← [`cli`] and [`tui`] (the faces).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod metrics;
pub mod notify;
pub mod store;
pub mod tui;
pub mod views;
pub mod workflow;
