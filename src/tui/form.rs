//! A keyboard form: fields of text, multi-line text, pickers with type-ahead, and
//! toggles. Tab / Shift-Tab move between fields, Enter saves, Esc discards (asking
//! first when something was typed). Pure state: the app decides what saving does.

use crate::tui::form_field::FieldName;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text {
        text: String,
        multiline: bool,
    },
    /// A picker: `filter` is what was typed; `cursor` indexes the matching options.
    Choice {
        options: Vec<String>,
        filter: String,
        cursor: usize,
        /// Where the cursor started: an emptied filter goes back there, not to the
        /// first option.
        initial: usize,
        /// Whether typed text that matches no option is a value of its own (e.g. a key).
        free_text: bool,
    },
    Toggle(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: FieldName,
    pub value: FieldValue,
}

impl Field {
    /// What the form shows beside the field.
    pub fn label(&self) -> &'static str {
        self.name.label()
    }

    pub fn text(name: FieldName, text: impl Into<String>) -> Field {
        Field {
            name,
            value: FieldValue::Text {
                text: text.into(),
                multiline: false,
            },
        }
    }

    pub fn multiline(name: FieldName) -> Field {
        Field {
            name,
            value: FieldValue::Text {
                text: String::new(),
                multiline: true,
            },
        }
    }

    /// A picker over `options`, starting on `current` when it is one of them.
    pub fn choice(name: FieldName, options: Vec<String>, current: Option<&str>) -> Field {
        let cursor = current
            .and_then(|c| options.iter().position(|o| o == c))
            .unwrap_or(0);
        Field {
            name,
            value: FieldValue::Choice {
                options,
                filter: String::new(),
                cursor,
                initial: cursor,
                free_text: false,
            },
        }
    }

    pub fn free_choice(name: FieldName, options: Vec<String>) -> Field {
        let mut field = Field::choice(name, options, None);
        if let FieldValue::Choice { free_text, .. } = &mut field.value {
            *free_text = true;
        }
        field
    }

    pub fn toggle(name: FieldName, on: bool) -> Field {
        Field {
            name,
            value: FieldValue::Toggle(on),
        }
    }

    /// The options a picker shows for what was typed (case-insensitive, anywhere).
    pub fn matches(&self) -> Vec<&str> {
        match &self.value {
            FieldValue::Choice {
                options, filter, ..
            } => {
                let wanted = filter.to_lowercase();
                options
                    .iter()
                    .filter(|o| o.to_lowercase().contains(&wanted))
                    .map(String::as_str)
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The value as text: the chosen option, the typed text, or "yes"/"no".
    pub fn value(&self) -> String {
        match &self.value {
            FieldValue::Text { text, .. } => text.clone(),
            FieldValue::Choice {
                cursor,
                filter,
                free_text,
                ..
            } => {
                let matches = self.matches();
                match matches.get(*cursor).or(matches.first()) {
                    Some(option) => option.to_string(),
                    None if *free_text => filter.trim().to_string(),
                    None => String::new(),
                }
            }
            FieldValue::Toggle(on) => if *on { "yes" } else { "no" }.to_string(),
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self.value, FieldValue::Toggle(true))
    }
}

#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each flag is one independent fact about the form being edited"
)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Something was typed or chosen since the form opened.
    pub dirty: bool,
    /// Esc on a dirty form asks first; this is that question being shown.
    pub confirm_discard: bool,
    /// A picker was moved or typed into since it got focus: Enter picks and moves on,
    /// so a pick is never also a save.
    pub picking: bool,
    /// The last save was refused because someone else changed the record.
    pub stale: bool,
    /// Lines shown under the fields (duplicate hints, the live priority…).
    pub notes: Vec<String>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Save,
    Discard,
    Reload,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            dirty: false,
            picking: false,
            confirm_discard: false,
            stale: false,
            notes: Vec::new(),
        }
    }

    pub fn field(&self, name: FieldName) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// A level field's value (`1 high`, `2 medium`, `3 low`): its leading digit.
    pub fn level(&self, name: FieldName) -> Option<crate::domain::Level> {
        self.value(name)
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .and_then(|d| crate::domain::Level::new(i64::from(d)).ok())
    }

    /// The services a form names: its Service picker, then those typed, comma
    /// separated, in More services.
    pub fn services(&self) -> Vec<String> {
        let mut services = vec![self.value(FieldName::Service)];
        services.extend(
            self.value(FieldName::MoreServices)
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        );
        services
    }

    pub fn value(&self, name: FieldName) -> String {
        self.field(name).map(Field::value).unwrap_or_default()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.confirm_discard {
            self.confirm_discard = false;
            return match key.code {
                KeyCode::Char('y' | 'Y') => FormOutcome::Discard,
                _ => FormOutcome::Editing,
            };
        }
        match key.code {
            // ctrl-c in a form is a way out of the form, asked like Esc: never a quit
            // that throws away what was typed.
            KeyCode::Esc if self.dirty => {
                self.confirm_discard = true;
                FormOutcome::Editing
            }
            KeyCode::Char('c') if ctrl && self.dirty => {
                self.confirm_discard = true;
                FormOutcome::Editing
            }
            KeyCode::Esc => FormOutcome::Discard,
            KeyCode::Char('c') if ctrl => FormOutcome::Discard,
            KeyCode::Char('r') if ctrl && self.stale => FormOutcome::Reload,
            KeyCode::Tab => {
                self.picking = false;
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                FormOutcome::Editing
            }
            KeyCode::BackTab => {
                self.picking = false;
                let n = self.fields.len().max(1);
                self.focus = (self.focus + n - 1) % n;
                FormOutcome::Editing
            }
            KeyCode::Enter if key.modifiers.contains(KeyModifiers::ALT) => {
                self.insert_newline();
                FormOutcome::Editing
            }
            KeyCode::Char('j') if ctrl => {
                self.insert_newline();
                FormOutcome::Editing
            }
            KeyCode::Enter if self.picking => {
                self.picking = false;
                self.focus = (self.focus + 1).min(self.fields.len().saturating_sub(1));
                FormOutcome::Editing
            }
            KeyCode::Enter => FormOutcome::Save,
            _ => {
                if self.edit_field(key) {
                    self.dirty = true;
                    self.error = None;
                    self.picking = matches!(
                        self.fields.get(self.focus).map(|f| &f.value),
                        Some(FieldValue::Choice { .. })
                    );
                }
                FormOutcome::Editing
            }
        }
    }

    fn insert_newline(&mut self) {
        if let Some(FieldValue::Text {
            text,
            multiline: true,
        }) = self.fields.get_mut(self.focus).map(|f| &mut f.value)
        {
            text.push('\n');
            self.dirty = true;
        }
    }

    /// Applies a key to the focused field; returns whether it changed anything.
    fn edit_field(&mut self, key: KeyEvent) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let match_count = field.matches().len();
        match &mut field.value {
            FieldValue::Text { text, .. } => match key.code {
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < 20_000 => {
                    text.push(c);
                    true
                }
                KeyCode::Backspace => text.pop().is_some(),
                _ => false,
            },
            FieldValue::Choice {
                filter,
                cursor,
                initial,
                ..
            } => match key.code {
                KeyCode::Down => {
                    *cursor = (*cursor + 1).min(match_count.saturating_sub(1));
                    true
                }
                KeyCode::Up => {
                    *cursor = cursor.saturating_sub(1);
                    true
                }
                KeyCode::Char(c) if !c.is_control() => {
                    filter.push(c);
                    *cursor = 0;
                    true
                }
                KeyCode::Backspace => {
                    let changed = filter.pop().is_some();
                    *cursor = if filter.is_empty() { *initial } else { 0 };
                    changed
                }
                _ => false,
            },
            FieldValue::Toggle(on) => match key.code {
                KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => {
                    *on = !*on;
                    true
                }
                KeyCode::Char('y') => {
                    *on = true;
                    true
                }
                KeyCode::Char('n') => {
                    *on = false;
                    true
                }
                _ => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
    }

    fn form() -> Form {
        Form::new(
            "Triage",
            vec![
                Field::choice(
                    FieldName::Group,
                    vec![
                        "network-ops".into(),
                        "platform".into(),
                        "service-desk".into(),
                    ],
                    Some("service-desk"),
                ),
                Field::text(FieldName::Reason, ""),
                Field::toggle(FieldName::FirstContact, false),
            ],
        )
    }

    #[test]
    fn pickers_start_on_the_current_value_and_narrow_as_you_type() {
        let mut f = form();
        assert_eq!(f.value(FieldName::Group), "service-desk");
        type_text(&mut f, "PLAT");
        assert_eq!(f.fields[0].matches(), ["platform"]);
        assert_eq!(f.value(FieldName::Group), "platform");
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.value(FieldName::Group), "service-desk");
        f.handle_key(key(KeyCode::Up));
        assert_eq!(f.value(FieldName::Group), "platform");
    }

    #[test]
    fn emptying_a_pickers_filter_goes_back_to_where_it_started() {
        let mut f = form();
        type_text(&mut f, "net");
        assert_eq!(f.value(FieldName::Group), "network-ops");
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(
            f.value(FieldName::Group),
            "service-desk",
            "not the first option"
        );
    }

    #[test]
    fn enter_on_a_picker_just_used_picks_and_moves_on_and_never_saves() {
        let mut f = form();
        f.handle_key(key(KeyCode::Down));
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormOutcome::Editing);
        assert_eq!(
            (f.focus, f.value(FieldName::Group).as_str()),
            (1, "service-desk")
        );
        let mut f = form();
        type_text(&mut f, "net");
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormOutcome::Editing);
        assert_eq!(f.focus, 1);
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormOutcome::Save);
        // An untouched picker: enter saves, as everywhere else.
        assert_eq!(form().handle_key(key(KeyCode::Enter)), FormOutcome::Save);
    }

    #[test]
    fn tab_moves_between_fields_and_enter_saves() {
        let mut f = form();
        f.handle_key(key(KeyCode::Tab));
        type_text(&mut f, "customer waiting");
        assert_eq!(f.value(FieldName::Reason), "customer waiting");
        f.handle_key(key(KeyCode::Tab));
        f.handle_key(key(KeyCode::Char(' ')));
        assert!(f.field(FieldName::FirstContact).unwrap().is_on());
        f.handle_key(key(KeyCode::BackTab));
        assert_eq!(f.focus, 1);
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormOutcome::Save);
    }

    #[test]
    fn esc_asks_before_throwing_away_typing() {
        let mut f = form();
        assert_eq!(
            f.clone().handle_key(key(KeyCode::Esc)),
            FormOutcome::Discard,
            "nothing typed: no question"
        );
        type_text(&mut f, "n");
        assert_eq!(f.handle_key(key(KeyCode::Esc)), FormOutcome::Editing);
        assert!(f.confirm_discard);
        assert_eq!(
            f.handle_key(key(KeyCode::Char('n'))),
            FormOutcome::Editing,
            "the default answer is no"
        );
        f.handle_key(key(KeyCode::Esc));
        assert_eq!(f.handle_key(key(KeyCode::Char('y'))), FormOutcome::Discard);
    }

    #[test]
    fn ctrl_c_asks_like_esc_before_throwing_away_typing() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let mut f = form();
        assert_eq!(f.clone().handle_key(ctrl_c), FormOutcome::Discard);
        type_text(&mut f, "net");
        let typed = f.value(FieldName::Group);
        assert_eq!(f.handle_key(ctrl_c), FormOutcome::Editing);
        assert!(f.confirm_discard);
        assert_eq!(
            f.handle_key(key(KeyCode::Enter)),
            FormOutcome::Editing,
            "no is the default"
        );
        assert_eq!(f.value(FieldName::Group), typed, "what was typed is kept");
    }

    #[test]
    fn free_choice_takes_typed_text_that_matches_no_option() {
        let mut f = Form::new(
            "Duplicate",
            vec![Field::free_choice(
                FieldName::Of,
                vec!["TKT-1 Checkout down".into()],
            )],
        );
        type_text(&mut f, "TKT-77");
        assert_eq!(f.value(FieldName::Of), "TKT-77");
    }

    #[test]
    fn multiline_text_takes_newlines_with_ctrl_j() {
        let mut f = Form::new("Comment", vec![Field::multiline(FieldName::Comment)]);
        type_text(&mut f, "one");
        f.handle_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL));
        type_text(&mut f, "two");
        assert_eq!(f.value(FieldName::Comment), "one\ntwo");
    }
}
