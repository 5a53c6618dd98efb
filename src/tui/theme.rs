//! Every colour in one place. The default theme uses the 16 ANSI colours, so it follows
//! the user's terminal palette; `NO_COLOR` drops colour and keeps emphasis; the
//! high-contrast theme is for projectors and screen shares.

use crate::config::{Config, ThemeName, UserTheme};
use crate::domain::{Priority, TicketState};
use ratatui::style::{Color, Modifier, Style};

/// The colours of a theme, by what they mean. `None` is the terminal's own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub text: Option<Color>,
    pub background: Option<Color>,
    /// Headers, the active tab.
    pub accent: Color,
    pub muted: Option<Color>,
    /// Keys in hints, at-risk clocks, P2.
    pub key: Color,
    /// Errors, breaches, P1.
    pub error: Color,
    /// Confirmations, clocks on time.
    pub info: Color,
    /// Pending tickets, the read-only flag.
    pub warning: Color,
    /// New tickets.
    pub fresh: Color,
    pub status_text: Color,
    pub status_background: Color,
}

impl Palette {
    pub fn builtin(name: ThemeName) -> Palette {
        match name {
            ThemeName::Default => Palette {
                text: None,
                background: None,
                accent: Color::Cyan,
                muted: Some(Color::DarkGray),
                key: Color::Yellow,
                error: Color::Red,
                info: Color::Green,
                warning: Color::Yellow,
                fresh: Color::Magenta,
                status_text: Color::Black,
                status_background: Color::Cyan,
            },
            ThemeName::HighContrast => Palette {
                text: Some(Color::White),
                background: Some(Color::Black),
                accent: Color::White,
                muted: None,
                key: Color::LightYellow,
                error: Color::LightRed,
                info: Color::LightGreen,
                warning: Color::LightYellow,
                fresh: Color::LightMagenta,
                status_text: Color::Black,
                status_background: Color::White,
            },
            // For terminals with a light background: no yellow or cyan text on white.
            ThemeName::Light => Palette {
                text: None,
                background: None,
                accent: Color::Blue,
                muted: Some(Color::DarkGray),
                key: Color::Magenta,
                error: Color::Red,
                info: Color::Green,
                warning: Color::Magenta,
                fresh: Color::Blue,
                status_text: Color::White,
                status_background: Color::Blue,
            },
        }
    }

    /// A user theme: its base with the colours it names.
    fn with(mut self, user: &UserTheme) -> Palette {
        let set = |slot: &mut Color, given: Option<crate::config::ColorSpec>| {
            if let Some(c) = given {
                *slot = c.0;
            }
        };
        if let Some(c) = user.text {
            self.text = Some(c.0);
        }
        if let Some(c) = user.background {
            self.background = Some(c.0);
        }
        if let Some(c) = user.muted {
            self.muted = Some(c.0);
        }
        set(&mut self.accent, user.accent);
        set(&mut self.key, user.key);
        set(&mut self.error, user.error);
        set(&mut self.info, user.info);
        set(&mut self.warning, user.warning);
        set(&mut self.fresh, user.fresh);
        set(&mut self.status_text, user.status_text);
        set(&mut self.status_background, user.status_background);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// The built-in theme it is (or a user theme is based on).
    pub name: ThemeName,
    pub colour: bool,
    pub palette: Palette,
}

impl Theme {
    pub fn new(name: ThemeName, no_color: bool) -> Self {
        Theme {
            name,
            colour: !no_color,
            palette: Palette::builtin(name),
        }
    }

    /// The theme named (a built-in or one of the config's `[themes]`; default the
    /// config's `[ui] theme`). `NO_COLOR` set to anything non-empty disables colour.
    pub fn from_config(config: &Config, name: Option<&str>) -> Result<Theme, String> {
        let name = name.unwrap_or(&config.ui.theme);
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let theme = if let Some(user) = config.themes.get(name) {
            let mut theme = Theme::new(user.base, no_color);
            theme.palette = theme.palette.with(user);
            theme
        } else {
            let builtin: ThemeName = name.parse().map_err(|_| unknown_theme(name, config))?;
            Theme::new(builtin, no_color)
        };
        Ok(theme)
    }

    /// The status bar in the accent, if there is one, with text that reads on it.
    pub fn with_accent(mut self, accent: Option<crate::config::ColorSpec>) -> Theme {
        if let Some(accent) = accent {
            self.palette.status_background = accent.0;
            self.palette.status_text = readable_on(accent.0);
        }
        self
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
        let p = &self.palette;
        let mut style = Style::new();
        if self.colour {
            if let Some(text) = p.text {
                style = style.fg(text);
            }
            if let Some(background) = p.background {
                style = style.bg(background);
            }
        }
        style
    }

    pub fn tab_active(&self) -> Style {
        self.fg(self.palette.accent)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn tab_inactive(&self) -> Style {
        self.muted()
    }

    pub fn header(&self) -> Style {
        self.fg(self.palette.accent)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn muted(&self) -> Style {
        match self.palette.muted {
            Some(colour) if self.colour => Style::new().fg(colour),
            _ => Style::new(),
        }
    }

    pub fn status_bar(&self) -> Style {
        if !self.colour {
            return Style::new().add_modifier(Modifier::REVERSED);
        }
        let style = Style::new()
            .fg(self.palette.status_text)
            .bg(self.palette.status_background);
        if self.high_contrast() {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    pub fn read_only_flag(&self) -> Style {
        self.fg(self.palette.warning).add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(self.palette.key).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(self.palette.info)
    }

    pub fn border(&self) -> Style {
        self.muted()
    }

    pub fn priority(&self, p: Priority) -> Style {
        match p.get() {
            1 => self.error(),
            2 => self.key(),
            3 => match self.palette.text {
                Some(text) => self.fg(text),
                None => Style::new(),
            },
            _ => self.muted(),
        }
    }

    pub fn sla(&self, badge: crate::views::sla_badge::SlaBadge) -> Style {
        use crate::views::sla_badge::SlaBadge;
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
            TicketState::New => self.fg(self.palette.fresh).add_modifier(Modifier::BOLD),
            TicketState::Pending => self.fg(self.palette.warning),
            TicketState::Resolved | TicketState::Closed => self.muted(),
            _ => Style::new(),
        }
    }
}

fn unknown_theme(name: &str, config: &Config) -> String {
    let mut known: Vec<&str> = ThemeName::ALL.iter().map(|t| t.as_str()).collect();
    known.extend(config.themes.keys().map(String::as_str));
    format!("no theme '{name}' (there are: {})", known.join(", "))
}

/// Black or white, whichever reads on `background`.
fn readable_on(background: Color) -> Color {
    match background {
        Color::Black
        | Color::Red
        | Color::Blue
        | Color::Magenta
        | Color::DarkGray
        | Color::Green => Color::White,
        Color::Rgb(r, g, b) if (r as u32 * 299 + g as u32 * 587 + b as u32 * 114) / 1000 < 128 => {
            Color::White
        }
        _ => Color::Black,
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

    fn config(text: &str) -> Config {
        Config::parse(text, std::path::Path::new("test.toml")).unwrap()
    }

    #[test]
    fn a_user_theme_replaces_the_colours_it_names_and_keeps_its_bases() {
        let config = config(
            "[ui]\ntheme = \"mine\"\n[themes.mine]\nbase = \"light\"\naccent = \"#ff8800\"\nerror = \"lightred\"\n",
        );
        let theme = Theme::from_config(&config, None).unwrap();
        assert_eq!(theme.name, ThemeName::Light);
        assert_eq!(theme.palette.accent, Color::Rgb(0xff, 0x88, 0x00));
        assert_eq!(theme.palette.error, Color::LightRed);
        assert_eq!(theme.palette.key, Palette::builtin(ThemeName::Light).key);
        if theme.colour {
            assert_eq!(theme.header().fg, Some(Color::Rgb(0xff, 0x88, 0x00)));
        }
        // --theme names a built-in or a user theme; anything else is refused by name.
        let high = Theme::from_config(&config, Some("high-contrast")).unwrap();
        assert_eq!(high.name, ThemeName::HighContrast);
        let err = Theme::from_config(&config, Some("neon")).unwrap_err();
        assert_eq!(
            err,
            "no theme 'neon' (there are: default, high-contrast, light, mine, night-shift)"
        );
    }

    #[test]
    fn the_accent_colours_the_status_bar_readably() {
        let production = config("[ui]\ntheme = \"default\"\naccent = \"red\"\n");
        let theme = Theme::from_config(&production, None)
            .unwrap()
            .with_accent(production.ui.accent);
        assert_eq!(theme.palette.status_background, Color::Red);
        assert_eq!(theme.palette.status_text, Color::White);
        let staging = config("[ui]\ntheme = \"default\"\naccent = \"yellow\"\n");
        let theme = Theme::from_config(&staging, None)
            .unwrap()
            .with_accent(staging.ui.accent);
        assert_eq!(theme.palette.status_text, Color::Black);
    }

    #[test]
    fn the_light_theme_writes_no_yellow_or_cyan_text() {
        let p = Palette::builtin(ThemeName::Light);
        for colour in [p.accent, p.key, p.error, p.info, p.warning, p.fresh] {
            assert!(
                !matches!(
                    colour,
                    Color::Yellow | Color::LightYellow | Color::Cyan | Color::LightCyan
                ),
                "{colour:?}"
            );
        }
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
