//! Key hints inside a pane, from the keymap as it is now: a rebound key shows its new
//! chord, and an action left unbound is left out.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::tui::state::State;

/// `w week · m month`: the keys of each action in `context`, with its label.
pub fn key_hints(state: &State, context: KeyContext, items: &[(Action, &str)]) -> String {
    items
        .iter()
        .filter_map(|(action, label)| {
            state
                .keymap
                .keys_for(*action, context)
                .map(|keys| format!("{keys} {label}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
