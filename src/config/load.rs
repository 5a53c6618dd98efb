//! Reading the config file: the user's TOML laid over the shipped defaults key by key
//! (so errors still point into the user's file), then checked as a whole. Kept apart
//! from `mod.rs`, which says what each section holds.

use super::*;

/// Lays the shipped defaults under the user's tables: every key the user left out is
/// added with its shipped value; tables the user wrote are merged the same way, key by
/// key. Keys keep the places they were read from, so an error still points into the
/// user's file.
fn keep_defaults<'i>(mine: &mut toml::de::DeTable<'i>, shipped: toml::de::DeTable<'i>) {
    for (key, value) in shipped {
        match mine.get_mut(&key) {
            None => {
                mine.insert(key, value);
            }
            Some(written) => {
                if let (toml::de::DeValue::Table(table), toml::de::DeValue::Table(defaults)) =
                    (written.get_mut(), value.into_inner())
                {
                    keep_defaults(table, defaults);
                }
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl Config {
    /// Parses a config file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let failed = |mut e: toml::de::Error| {
            e.set_input(Some(text));
            ConfigError {
                path: origin.to_path_buf(),
                message: e.to_string().trim_end().to_string(),
            }
        };
        let mut mine = toml::de::DeTable::parse(text).map_err(failed)?;
        let shipped = toml::de::DeTable::parse(DEFAULT_CONFIG_TOML)
            .map_err(|e| ConfigError {
                path: origin.to_path_buf(),
                message: format!("the shipped defaults do not parse: {e}"),
            })?
            .into_inner();
        keep_defaults(mine.get_mut(), shipped);
        let config = Config::deserialize(toml::de::Deserializer::from(mine)).map_err(failed)?;
        let theme = &config.ui.theme;
        if theme.parse::<ThemeName>().is_err() && !config.themes.contains_key(theme) {
            return Err(ConfigError {
                path: origin.to_path_buf(),
                message: format!(
                    "[ui] theme = '{theme}' is neither a built-in theme ({}) nor one of [themes]",
                    ThemeName::ALL
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if !(0.0..=1.0).contains(&config.csat.sample_rate) {
            return Err(ConfigError {
                path: origin.to_path_buf(),
                message: format!(
                    "[csat] sample_rate = {} is not a share from 0 to 1",
                    config.csat.sample_rate
                ),
            });
        }
        Ok(config)
    }

    /// Loads the config: `explicit` must exist; the default location may be absent,
    /// in which case the shipped defaults apply.
    pub fn load(
        explicit: Option<&Path>,
        default_location: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let (path, required) = match (explicit, default_location) {
            (Some(p), _) => (p, true),
            (None, Some(p)) => (p, false),
            (None, None) => return Ok(Config::default()),
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Config::default())
            }
            Err(e) => Err(ConfigError {
                path: path.to_path_buf(),
                message: format!("cannot read the config file: {e}"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;
    use crate::domain::{Level, Priority};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("test.toml"))
    }

    #[test]
    fn the_shipped_defaults_parse_and_are_the_default() {
        let config = parse(DEFAULT_CONFIG_TOML).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.severities.len(), 4);
        assert_eq!(
            config.priority.matrix.priority(Level::HIGH, Level::HIGH),
            Priority::P1
        );
    }

    #[test]
    fn an_empty_file_means_all_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_section_keeps_the_defaults_of_the_keys_it_leaves_out() {
        let config = parse("[ui]\ntheme = \"high-contrast\"\n").unwrap();
        assert_eq!(config.ui.theme, "high-contrast");
        assert_eq!(config.sla, Config::default().sla);
        let config = parse("[notify]\ncommand = [\"/usr/local/bin/page\"]\n").unwrap();
        assert_eq!(config.notify.command, vec!["/usr/local/bin/page"]);
        assert_eq!(
            config.notify.timeout_seconds,
            Config::default().notify.timeout_seconds
        );
        let config = parse("[sla.p1]\nresponse_minutes = 5\n").unwrap();
        assert_eq!(config.sla.p1.response_minutes, 5);
        assert_eq!(
            config.sla.p1.resolution_minutes,
            Config::default().sla.p1.resolution_minutes
        );
        assert_eq!(config.sla.p2, Config::default().sla.p2);
    }

    #[test]
    fn an_unknown_key_in_a_merged_section_names_its_line() {
        let err = parse("[serve]\nlisten = \"127.0.0.1:9\"\n\nmax_body = 10\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 4"), "{err}");
        assert!(err.contains("max_body"), "{err}");
        let err = parse("[sla.p2]\nresponse_minutes = \"soon\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_bad_value_names_the_line_and_the_key() {
        let err = parse("[ui]\ntheme = \"default\"\naccent = \"neon\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("test.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("accent"), "{err}");
        assert!(err.contains("'neon' is not a colour"), "{err}");
    }

    #[test]
    fn views_name_their_columns_and_keys_and_bad_ones_are_refused_by_name() {
        let config = parse(
            "[[views]]\nname = \"mine\"\ncolumns = [\"key\", \"title\", \"updated\"]\nkey = \"ctrl-b\"\n\
             [[incident_views]]\nname = \"sev1\"\nseverity_max = \"SEV1\"\ncolumns = [\"key\", \"services\"]\n",
        )
        .unwrap();
        assert_eq!(config.views[0].columns.as_ref().unwrap().len(), 3);
        assert_eq!(config.views[0].key, Some("ctrl-b".parse().unwrap()));
        assert_eq!(config.incident_views[0].columns().len(), 2);
        for (text, named) in [
            (
                "[[views]]\nname = \"x\"\ncolumns = [\"colour\"]\n",
                "colour",
            ),
            ("[[views]]\nname = \"x\"\nkey = \"hyper-b\"\n", "hyper-b"),
            (
                "[[incident_views]]\nname = \"x\"\nsort = \"loudest\"\n",
                "loudest",
            ),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(named) && err.contains("line"), "{text}: {err}");
        }
    }

    #[test]
    fn a_theme_must_be_built_in_or_defined() {
        let err = parse("[ui]\ntheme = \"neon\"\n").unwrap_err().to_string();
        assert!(
            err.contains("'neon' is neither a built-in theme (default, high-contrast, light)"),
            "{err}"
        );
        let config = parse(
            "[ui]\ntheme = \"neon\"\n[themes.neon]\nbase = \"light\"\naccent = \"#ff00ff\"\n",
        )
        .unwrap();
        assert_eq!(config.themes["neon"].base, ThemeName::Light);
    }

    #[test]
    fn a_bad_matrix_cell_is_explained() {
        let err = parse("[priority]\nmatrix = [[1,2,3],[2,3,4],[3,4,7]]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("row 3, column 3"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_refused_by_name() {
        let err = parse("[ui]\ntheme = \"default\"\ncolour = \"red\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn a_bad_time_of_day_is_explained() {
        let text = DEFAULT_CONFIG_TOML.replace("start = \"08:00\"", "start = \"8am\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("'8am' is not a time of day"), "{err}");
    }

    #[test]
    fn freeze_windows_come_from_the_config_too() {
        let config = parse("[[freeze_windows]]\nname = \"Quarter close\"\nstart = \"2027-03-29T00:00:00+02:00\"\nend = \"2027-04-02T00:00:00Z\"\n").unwrap();
        let windows = config.freeze_windows();
        assert_eq!(windows[0].name, "Quarter close");
        assert_eq!(
            windows[0].starts_at.to_rfc3339(),
            "2027-03-28T22:00:00+00:00"
        );
        let err = parse("[[freeze_windows]]\nname = \"x\"\nstart = \"tomorrow\"\nend = \"2027-04-02T00:00:00Z\"\n").unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn an_unknown_time_zone_is_named() {
        let text = DEFAULT_CONFIG_TOML.replace("Europe/London", "Mars/Olympus");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("unknown time zone 'Mars/Olympus'"), "{err}");
    }

    #[test]
    fn sla_rules_follow_the_policy_calendar() {
        use crate::domain::calendar::WorkCalendar;
        let config = Config::default();
        let p1 = config.sla_rule(Priority::P1);
        assert_eq!(p1.calendar, WorkCalendar::Always);
        assert_eq!(p1.resolution_secs, 240 * 60);
        let p3 = config.sla_rule(Priority::new(3).unwrap());
        let WorkCalendar::Business(hours) = p3.calendar else {
            panic!("P3 counts business hours")
        };
        assert_eq!(hours.weekdays, [true, true, true, true, true, false, false]);
        assert_eq!(hours.time_zone, chrono_tz::Europe::London);
    }

    #[test]
    fn a_missing_explicit_file_is_an_error_but_a_missing_default_is_not() {
        let missing = Path::new("/nonexistent/watchfloor/config.toml");
        assert!(Config::load(Some(missing), None).is_err());
        assert_eq!(
            Config::load(None, Some(missing)).unwrap(),
            Config::default()
        );
    }
}
