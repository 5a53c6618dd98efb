//! Key hints inside a pane, from the keymap as it is now: a rebound key shows its new
//! chord, and an action left unbound is left out.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::tui::state::State;

/// As many whole hints of a `key_hints` line as fit in `room` columns: a legend or a
/// key is never cut in the middle.
pub fn fit_hints(hints: &str, room: usize) -> String {
    let mut out = String::new();
    for hint in hints.split(" · ") {
        let next = if out.is_empty() {
            hint.to_string()
        } else {
            format!("{out} · {hint}")
        };
        if crate::domain::display::width(&next) > room {
            break;
        }
        out = next;
    }
    out
}

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
