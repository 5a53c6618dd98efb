//! Typed ids and the human keys people type and say: `TKT-1042`, `INC-57`, `CHG-210`,
//! `PIR-57`, `PRB-12`, `KB-8`.

use std::fmt;
use std::str::FromStr;

crate::string_enum! {
    /// What kind of record a key names.
    pub enum RecordKind ("record kind") {
        Ticket => "ticket",
        Incident => "incident",
        Change => "change",
        Review => "review",
        Problem => "problem",
        Article => "article",
    }
}

impl RecordKind {
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Ticket => "TKT",
            RecordKind::Incident => "INC",
            RecordKind::Change => "CHG",
            RecordKind::Review => "PIR",
            RecordKind::Problem => "PRB",
            RecordKind::Article => "KB",
        }
    }
}

/// A record's stable human key: its kind and its number within that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordKey {
    pub kind: RecordKind,
    pub number: i64,
}

impl RecordKey {
    pub fn new(kind: RecordKind, number: i64) -> Self {
        RecordKey { kind, number }
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind.prefix(), self.number)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("'{0}' is not a record key (expected PREFIX-NUMBER, like TKT-1042)")]
    Shape(String),
    #[error("'{given}' has an unknown prefix '{prefix}' (expected TKT, INC, CHG, PIR, PRB or KB)")]
    Prefix { given: String, prefix: String },
    #[error("'{0}' has no valid positive number after the prefix")]
    Number(String),
    #[error("'{given}' is not a {expected} key")]
    WrongKind {
        given: String,
        expected: &'static str,
    },
}

impl FromStr for RecordKey {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let (prefix, number) = trimmed
            .split_once('-')
            .ok_or_else(|| KeyParseError::Shape(s.to_string()))?;
        let kind = RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
            .ok_or_else(|| KeyParseError::Prefix {
                given: s.to_string(),
                prefix: prefix.to_string(),
            })?;
        let number: i64 = number
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| KeyParseError::Number(s.to_string()))?;
        Ok(RecordKey { kind, number })
    }
}

/// Declares a typed key for one record kind, so a ticket key cannot be passed where an
/// incident key is wanted.
macro_rules! typed_key {
    ($name:ident, $kind:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl $name {
            pub fn record_key(self) -> RecordKey {
                RecordKey::new($kind, self.0)
            }
        }

        impl From<$name> for RecordKey {
            fn from(k: $name) -> RecordKey {
                k.record_key()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.record_key().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = KeyParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if let Ok(n) = s.trim().parse::<i64>() {
                    if n > 0 {
                        return Ok($name(n));
                    }
                }
                let key: RecordKey = s.parse()?;
                if key.kind == $kind {
                    Ok($name(key.number))
                } else {
                    Err(KeyParseError::WrongKind {
                        given: s.to_string(),
                        expected: $kind.prefix(),
                    })
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

typed_key!(TicketKey, RecordKind::Ticket);
typed_key!(IncidentKey, RecordKind::Incident);
typed_key!(ChangeKey, RecordKind::Change);
typed_key!(ReviewKey, RecordKind::Review);
typed_key!(ProblemKey, RecordKind::Problem);
typed_key!(ArticleKey, RecordKind::Article);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_for_every_kind() {
        for kind in RecordKind::ALL {
            let key = RecordKey::new(*kind, 1042);
            let text = key.to_string();
            assert_eq!(text.parse::<RecordKey>(), Ok(key), "{text}");
        }
        assert_eq!(TicketKey(7).to_string(), "TKT-7");
        assert_eq!(IncidentKey(57).to_string(), "INC-57");
    }

    #[test]
    fn keys_parse_case_insensitively_and_trimmed() {
        let key: RecordKey = "  tkt-1042 ".parse().unwrap();
        assert_eq!(key, RecordKey::new(RecordKind::Ticket, 1042));
        assert_eq!("pir-3".parse::<ReviewKey>(), Ok(ReviewKey(3)));
    }

    #[test]
    fn malformed_keys_say_what_is_wrong() {
        assert!(matches!(
            "TKT1042".parse::<RecordKey>(),
            Err(KeyParseError::Shape(_))
        ));
        assert!(matches!(
            "ABC-1".parse::<RecordKey>(),
            Err(KeyParseError::Prefix { .. })
        ));
        assert!(matches!(
            "TKT-x".parse::<RecordKey>(),
            Err(KeyParseError::Number(_))
        ));
        assert!(matches!(
            "TKT-0".parse::<RecordKey>(),
            Err(KeyParseError::Number(_))
        ));
        assert!(matches!(
            "TKT--5".parse::<RecordKey>(),
            Err(KeyParseError::Number(_))
        ));
    }

    #[test]
    fn typed_keys_refuse_another_kind_but_take_a_bare_number() {
        assert!(matches!(
            "INC-4".parse::<TicketKey>(),
            Err(KeyParseError::WrongKind { .. })
        ));
        assert_eq!("42".parse::<TicketKey>(), Ok(TicketKey(42)));
        assert_eq!("TKT-4".parse::<TicketKey>(), Ok(TicketKey(4)));
    }
}
