//! Every colour in one place. The default theme uses the 16 ANSI colours, so it follows
//! the user's terminal palette; `NO_COLOR` drops colour and keeps emphasis; the
//! high-contrast theme is for projectors and screen shares.

use crate::config::ThemeName;
use crate::domain::{Priority, TicketState};
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    pub colour: bool,
}

impl Theme {
    pub fn new(name: ThemeName, no_color: bool) -> Self {
        Theme {
            name,
            colour: !no_color,
        }
    }

    /// The theme for this process: `NO_COLOR` set to anything non-empty disables colour.
    pub fn from_environment(name: ThemeName) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(name, no_color)
    }

    fn fg(&self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    fn high_contrast(&self) -> bool {
        self.name == ThemeName::HighContrast
    }

    pub fn base(&self) -> Style {
        if self.colour && self.high_contrast() {
            Style::new().fg(Color::White).bg(Color::Black)
        } else {
            Style::new()
        }
    }

    pub fn tab_active(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.colour && !self.high_contrast() {
            s.fg(Color::Cyan)
        } else {
            s
        }
    }

    pub fn tab_inactive(&self) -> Style {
        self.muted()
    }

    pub fn header(&self) -> Style {
        self.fg(if self.high_contrast() {
            Color::White
        } else {
            Color::Cyan
        })
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn muted(&self) -> Style {
        if self.high_contrast() || !self.colour {
            Style::new()
        } else {
            Style::new().fg(Color::DarkGray)
        }
    }

    pub fn status_bar(&self) -> Style {
        if !self.colour {
            Style::new().add_modifier(Modifier::REVERSED)
        } else if self.high_contrast() {
            Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        }
    }

    pub fn read_only_flag(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(if self.high_contrast() {
            Color::LightYellow
        } else {
            Color::Yellow
        })
        .add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(if self.high_contrast() {
            Color::LightRed
        } else {
            Color::Red
        })
        .add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(if self.high_contrast() {
            Color::LightGreen
        } else {
            Color::Green
        })
    }

    pub fn border(&self) -> Style {
        if self.high_contrast() {
            Style::new()
        } else {
            self.muted()
        }
    }

    pub fn priority(&self, p: Priority) -> Style {
        let bright = self.high_contrast();
        match p.get() {
            1 => self
                .fg(if bright { Color::LightRed } else { Color::Red })
                .add_modifier(Modifier::BOLD),
            2 => self
                .fg(if bright {
                    Color::LightYellow
                } else {
                    Color::Yellow
                })
                .add_modifier(Modifier::BOLD),
            3 => self.fg(if bright { Color::White } else { Color::Reset }),
            _ => self.muted(),
        }
    }

    pub fn sla(&self, badge: crate::sla_badge::SlaBadge) -> Style {
        use crate::sla_badge::SlaBadge;
        match badge {
            SlaBadge::Breached(_) | SlaBadge::Missed => self.error(),
            SlaBadge::AtRisk(_) => self.key(),
            SlaBadge::Ok(_) | SlaBadge::Met => self.info(),
            SlaBadge::Paused | SlaBadge::NoTarget => self.muted(),
        }
    }

    pub fn sla_clock(&self, clock: &crate::domain::sla::SlaClock) -> Style {
        use crate::domain::sla::{ClockState, SlaLevel};
        match (clock.level, clock.state) {
            (SlaLevel::Breached, _) => self.error(),
            (SlaLevel::AtRisk, _) => self.key(),
            (_, ClockState::Paused) => self.muted(),
            _ => self.info(),
        }
    }

    pub fn state(&self, s: TicketState) -> Style {
        match s {
            TicketState::New => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            TicketState::Pending => self.fg(Color::Yellow),
            TicketState::Resolved | TicketState::Closed => self.muted(),
            _ => Style::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_keeps_emphasis_but_no_colour() {
        let theme = Theme::new(ThemeName::Default, true);
        for style in [
            theme.header(),
            theme.error(),
            theme.priority(Priority::P1),
            theme.status_bar(),
            theme.key(),
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(
            theme
                .priority(Priority::P1)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }

    #[test]
    fn the_default_theme_uses_only_the_16_ansi_colours() {
        let theme = Theme::new(ThemeName::Default, false);
        let styles = [
            theme.header(),
            theme.error(),
            theme.status_bar(),
            theme.priority(Priority::P1),
            theme.muted(),
        ];
        for style in styles {
            for colour in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                    "{colour:?}"
                );
            }
        }
    }
}
