//! The live filter line a list is narrowed by as you type: what a key does to its
//! text, the same in every pane that has one.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// What a key did to the filter line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterEdit {
    /// The text changed: the list is to be narrowed again.
    pub changed: bool,
    /// The line closes (enter, up and down keep the text; esc clears it).
    pub closes: bool,
}

/// Applies a key to a filter's text, which holds at most `max_chars`.
pub fn edit(text: &mut String, key: KeyEvent, max_chars: usize) -> FilterEdit {
    let (changed, closes) = match key.code {
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => (false, true),
        KeyCode::Esc => {
            text.clear();
            (true, true)
        }
        KeyCode::Backspace => (text.pop().is_some(), false),
        KeyCode::Char(c) if !c.is_control() && text.chars().count() < max_chars => {
            text.push(c);
            (true, false)
        }
        _ => (false, false),
    };
    FilterEdit { changed, closes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_narrows_esc_clears_and_closes_enter_keeps_and_closes() {
        let mut text = String::new();
        assert!(edit(&mut text, key(KeyCode::Char('v')), 3).changed);
        edit(&mut text, key(KeyCode::Char('p')), 3);
        edit(&mut text, key(KeyCode::Char('n')), 3);
        let full = edit(&mut text, key(KeyCode::Char('x')), 3);
        assert_eq!((text.as_str(), full.changed), ("vpn", false));
        let enter = edit(&mut text, key(KeyCode::Enter), 3);
        assert_eq!(
            (text.as_str(), enter.changed, enter.closes),
            ("vpn", false, true)
        );
        assert!(edit(&mut text, key(KeyCode::Backspace), 3).changed);
        let esc = edit(&mut text, key(KeyCode::Esc), 3);
        assert_eq!((text.as_str(), esc.changed, esc.closes), ("", true, true));
        assert!(!edit(&mut text, key(KeyCode::Backspace), 3).changed);
    }
}
