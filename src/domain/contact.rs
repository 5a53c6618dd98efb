//! How a person is reached when paged: contact methods, each with the minutes after
//! the page at which it is used (ntfy at once, email after two minutes). Written
//! `KIND:TARGET after Nm` on the command line and `{ kind, to, after_minutes }` in the
//! org file.

use serde::Serialize;
use std::fmt;

crate::string_enum! {
    /// Email; a generic webhook (the page as JSON, signed with an HMAC header); the
    /// incoming webhooks of Slack, a Microsoft Teams workflow, Mattermost and a Matrix
    /// room (through a hookshot-style bridge); an ntfy topic; the `[notify] command`
    /// hook; and the console (a bell and a notification in the person's open consoles).
    pub enum ContactKind ("contact method") {
        Email => "email",
        Webhook => "webhook",
        Slack => "slack",
        Teams => "teams",
        Mattermost => "mattermost",
        Matrix => "matrix",
        Ntfy => "ntfy",
        Command => "command",
        Console => "console",
    }
}

impl ContactKind {
    /// What the target is for this kind, or `None` when it takes none.
    pub fn target_name(self) -> Option<&'static str> {
        match self {
            ContactKind::Email => Some("an email address"),
            ContactKind::Ntfy => Some("an ntfy topic URL (https://ntfy.sh/TOPIC)"),
            ContactKind::Command | ContactKind::Console => None,
            _ => Some("an https:// webhook URL"),
        }
    }

    /// The org file's key for the target: `to` for mail, `topic` for ntfy, else `url`.
    pub fn target_key(self) -> &'static str {
        match self {
            ContactKind::Email => "to",
            ContactKind::Ntfy => "topic",
            _ => "url",
        }
    }
}

/// One way to reach a person, and when in a page it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactMethod {
    pub kind: ContactKind,
    /// The address, URL or topic; empty for the command hook and the console.
    pub to: String,
    /// Minutes after the page starts at which this method is used.
    pub after_minutes: u32,
}

/// Longest wait a method may have: a day.
pub const MAX_AFTER_MINUTES: u32 = 24 * 60;

impl ContactMethod {
    pub fn new(kind: ContactKind, to: impl Into<String>, after_minutes: u32) -> ContactMethod {
        ContactMethod {
            kind,
            to: to.into(),
            after_minutes,
        }
    }

    /// Its own rules: a target of the right shape for its kind, no target for those that
    /// take none, and a wait of at most a day.
    pub fn check(&self) -> Result<(), String> {
        let kind = self.kind;
        match kind.target_name() {
            None if !self.to.is_empty() => {
                return Err(format!("a {kind} method takes no target"));
            }
            None => {}
            Some(what) => {
                let ok = match kind {
                    ContactKind::Email => {
                        !self.to.is_empty() && super::org::check_email(&self.to).is_ok()
                    }
                    // The topic is the URL's path: https://ntfy.sh/ops-ana.
                    ContactKind::Ntfy => is_web_url(&self.to) && has_path(&self.to),
                    _ => is_web_url(&self.to),
                };
                if !ok {
                    return Err(format!(
                        "{kind}: '{}' is not {what}",
                        super::display::truncate(&self.to.escape_debug().to_string(), 60)
                    ));
                }
            }
        }
        if self.after_minutes > MAX_AFTER_MINUTES {
            return Err(format!(
                "{kind}: after {} minutes is more than a day",
                self.after_minutes
            ));
        }
        Ok(())
    }
}

/// An http(s) URL with a host, no spaces or control characters, not too long.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && url.len() <= 2000
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// Whether a URL names something after its host (`https://ntfy.sh/topic`).
fn has_path(url: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .is_some_and(|(_, path)| !path.trim_matches('/').is_empty())
}

/// "email to ana@example.org", "slack to hooks.slack.com", "console": a webhook's URL
/// is its credential, so where many read an address it names the host alone.
pub fn shown_address(kind: ContactKind, target: &str) -> String {
    if target.is_empty() {
        return kind.to_string();
    }
    match target.split_once("://") {
        Some((_, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = host.rsplit('@').next().unwrap_or(host);
            format!("{kind} to {host}")
        }
        None => format!("{kind} to {target}"),
    }
}

impl fmt::Display for ContactMethod {
    /// `email:ana@example.org after 2m`, the way `--contact` reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if !self.to.is_empty() {
            write!(f, ":{}", self.to)?;
        }
        if self.after_minutes > 0 {
            write!(f, " after {}m", self.after_minutes)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ContactMethod {
    type Err = String;

    /// `KIND[:TARGET][ after Nm]`, e.g. `ntfy:https://ntfy.sh/ana`,
    /// `email:ana@example.org after 2m`, `console`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (body, after) = match text.rsplit_once(" after ") {
            Some((body, wait)) => {
                let wait = wait.trim();
                let minutes = wait.strip_suffix('m').unwrap_or(wait).trim();
                let minutes: u32 = minutes.parse().map_err(|_| {
                    format!("'{wait}' is not a number of minutes (like 'after 2m')")
                })?;
                (body.trim(), minutes)
            }
            None => (text, 0),
        };
        let (kind, to) = match body.split_once(':') {
            Some((kind, to)) if !kind.contains('/') => (kind, to.trim()),
            _ => (body, ""),
        };
        let kind: ContactKind = kind
            .trim()
            .parse()
            .map_err(|e: super::UnknownVariant| e.to_string())?;
        let method = ContactMethod::new(kind, to, after);
        method.check()?;
        Ok(method)
    }
}

/// A person's methods as a whole: each checked, none twice.
pub fn check_methods(methods: &[ContactMethod]) -> Result<(), String> {
    for m in methods {
        m.check()?;
    }
    for (i, m) in methods.iter().enumerate() {
        if methods[..i]
            .iter()
            .any(|o| o.kind == m.kind && o.to == m.to)
        {
            return Err(format!("{m} is listed twice"));
        }
    }
    if methods.len() > 20 {
        return Err("more than 20 contact methods".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_and_write_the_same_way() {
        for text in [
            "email:ana.silva@example.org",
            "webhook:https://hooks.example.org/ana after 2m",
            "ntfy:https://ntfy.sh/ana-pager",
            "console",
            "command after 5m",
            "slack:https://hooks.slack.com/services/T/B/x",
        ] {
            let m: ContactMethod = text.parse().unwrap();
            assert_eq!(m.to_string(), text);
        }
        let m: ContactMethod = "email:ana+oncall@example.org after 15".parse().unwrap();
        assert_eq!((m.kind, m.after_minutes), (ContactKind::Email, 15));
    }

    #[test]
    fn bad_methods_say_what_is_wrong() {
        let cases = [
            (
                "fax:123",
                "unknown contact method 'fax' (expected one of: email, webhook",
            ),
            ("email:nobody", "email: 'nobody' is not an email address"),
            ("email", "email: '' is not an email address"),
            ("webhook:ftp://x", "is not an https:// webhook URL"),
            ("webhook:https://", "is not an https:// webhook URL"),
            ("console:ana", "a console method takes no target"),
            ("ntfy:https://ntfy.sh/", "is not an ntfy topic URL"),
            (
                "ntfy:https://ntfy.sh/a after soon",
                "'soon' is not a number of minutes",
            ),
            ("email:a@b.org after 2000m", "more than a day"),
        ];
        for (text, expected) in cases {
            let err = text.parse::<ContactMethod>().unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
        let twice = [
            "console".parse().unwrap(),
            "console after 2m".parse().unwrap(),
        ];
        assert!(check_methods(&twice).unwrap_err().contains("listed twice"));
    }
}
