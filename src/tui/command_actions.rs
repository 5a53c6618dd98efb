//! The `:` command line in the console: typing with tab completion, and running what
//! was typed — a record, a pane, an action by name, a view, a theme, an export.

use super::app::App;
use super::command::{Command, common_prefix, completions, expand_alias, parse_command};
use super::component::with_pane;
use super::pane::Pane;
use super::state::Overlay;
use super::theme::Theme;
use crate::app::output::{Existing, write_private};
use crate::views::ticket_views::find_view;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(super) fn command_key(&mut self, key: KeyEvent) {
        let Some(Overlay::Command(line)) = self.state.overlays.last_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.state.close_overlay(),
            KeyCode::Backspace if line.pop().is_none() => self.state.close_overlay(),
            KeyCode::Enter => {
                let text = std::mem::take(line);
                self.state.close_overlay();
                self.run_command(&text);
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.state.close_overlay();
            }
            KeyCode::Tab => self.complete_command(),
            KeyCode::Char(c) if !c.is_control() && line.chars().count() < 200 => line.push(c),
            _ => {}
        }
    }

    fn set_command_line(&mut self, text: String) {
        if let Some(Overlay::Command(line)) = self.state.overlays.last_mut() {
            *line = text;
        }
    }

    /// Completes the line as far as every candidate agrees, and lists them when several.
    fn complete_command(&mut self) {
        let Overlay::Command(line) = self.state.overlay() else {
            return;
        };
        let views: Vec<String> = self
            .state
            .tickets
            .views
            .iter()
            .map(|v| v.name.clone())
            .collect();
        let mut themes: Vec<String> = crate::config::ThemeName::ALL
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        themes.extend(self.session.config.themes.keys().cloned());
        let found = completions(line, &views, &themes, &self.session.config.aliases);
        let grown = common_prefix(&found);
        let typed = line.clone();
        match found.len() {
            0 => self.error(format!("nothing starts with '{}'", typed.trim())),
            1 => self.set_command_line(found[0].clone()),
            _ => {
                if grown.len() > typed.trim_start().len() {
                    self.set_command_line(grown);
                }
                let shown: Vec<&str> = found.iter().take(8).map(String::as_str).collect();
                let more = if found.len() > 8 { " …" } else { "" };
                self.info(format!("{}{more}", shown.join("  ")));
            }
        }
    }

    pub(super) fn run_command(&mut self, text: &str) {
        let line = expand_alias(text, &self.session.config.aliases);
        match parse_command(&line) {
            Ok(Command::Quit) => self.state.quit = true,
            Ok(Command::Help) => self.state.open_overlay(Overlay::Help),
            Ok(Command::Messages) => self.state.open_overlay(Overlay::Messages),
            Ok(Command::Refresh) => self.apply(crate::config::action::Action::Refresh),
            Ok(Command::Pane(pane)) => self.switch_pane(pane),
            Ok(Command::Jump(key)) => self.jump_to(key),
            Ok(Command::ExportCsv) => self.export_ticket_csv(),
            Ok(Command::ExportIcs) => self.export_change_ics(),
            Ok(Command::Action(action)) => self.run_action_by_name(action),
            Ok(Command::View(name)) => self.show_view(&name),
            Ok(Command::Theme(name)) => self.use_theme(&name),
            Ok(Command::Mute {
                name,
                minutes,
                reason,
            }) => match self.session.workflow().mute_alert(&name, minutes, &reason) {
                Ok(mute) => self.info(format!(
                    "alert {} muted until {}",
                    mute.name,
                    mute.until.with_timezone(&chrono::Local).format("%a %H:%M")
                )),
                Err(e) => self.error(e.to_string()),
            },
            Err(message) => self.error(message),
        }
    }

    /// An action by name does what its key would do here; where no key of it would
    /// (`:mitigate` in the ticket queue), it says where it works instead.
    fn run_action_by_name(&mut self, action: crate::config::action::Action) {
        use crate::config::keymap::{KeyContext, Keymap};
        let shipped = Keymap::default();
        let homes: Vec<KeyContext> = KeyContext::ALL
            .iter()
            .copied()
            .filter(|c| shipped.keys_for(action, *c).is_some())
            .collect();
        let here = self.state.contexts();
        if homes.is_empty()
            || homes
                .iter()
                .any(|c| *c == KeyContext::Global || here.contains(c))
        {
            return self.apply(action);
        }
        let names: Vec<&str> = homes.iter().map(|c| c.title()).collect();
        self.error(format!(
            "{action} does nothing here; it works in: {}",
            names.join(", ")
        ));
    }

    fn show_view(&mut self, name: &str) {
        match find_view(&self.state.config, name) {
            Ok(view) => {
                let index = self
                    .state
                    .tickets
                    .views
                    .iter()
                    .position(|v| v.name == view.name)
                    .unwrap_or(0);
                self.switch_pane(Pane::Tickets);
                with_pane!(self, tickets, |pane, ctx| pane.select_view(index, ctx));
            }
            Err(e) => self.error(e),
        }
    }

    fn use_theme(&mut self, name: &str) {
        match Theme::from_config(&self.session.config, Some(name)) {
            Ok(mut theme) => {
                theme.colour = self.state.theme.colour;
                self.state.theme = theme.with_accent(self.state.accent);
                self.info(format!("theme {name}"));
            }
            Err(e) => self.error(e),
        }
    }

    /// The change calendar, as `change export --ics` writes it, to a file in the
    /// working directory.
    fn export_change_ics(&mut self) {
        let store = &self.session.store;
        let now = self.session.clock.now();
        let written = store
            .all_changes()
            .and_then(|changes| Ok((changes, store.freeze_windows()?)))
            .map_err(|e| e.to_string())
            .and_then(|(changes, freezes)| {
                let text = crate::export::ics::changes_calendar(&changes, &freezes, now);
                let name = crate::app::paths::stamped_file_name("changes", now, "ics");
                write_private(
                    std::path::Path::new(&name),
                    text.as_bytes(),
                    Existing::Refuse,
                )
                .map(|()| (changes.len(), name.clone()))
            });
        match written {
            Ok((n, name)) => self.info(format!("{n} changes written to {name}")),
            Err(e) => self.error(format!("export failed: {e}")),
        }
    }
}
