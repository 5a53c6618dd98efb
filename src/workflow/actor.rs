use std::fmt;

/// Who is acting: the operating-system user, and the `--as` name when one is given
/// (a shared jump-host account acting for a named engineer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub os_user: String,
    pub as_name: Option<String>,
}

impl Actor {
    pub fn new(os_user: impl Into<String>, as_name: Option<String>) -> Self {
        Actor {
            os_user: os_user.into(),
            as_name: as_name.filter(|n| !n.trim().is_empty()),
        }
    }

    /// The OS user from the environment (`USER`, `LOGNAME` or `USERNAME`).
    pub fn from_environment(as_name: Option<String>) -> Self {
        let os_user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
            .or_else(login_of_current_uid)
            .unwrap_or_else(|| "unknown".to_string());
        Actor::new(os_user, as_name)
    }

    /// The name this actor works under: the `--as` name if given, else the OS user.
    pub fn name(&self) -> &str {
        self.as_name.as_deref().unwrap_or(&self.os_user)
    }
}

/// The login of this process's user from the password file, for sessions (cron, some
/// SSH setups) that do not set `USER`.
#[cfg(unix)]
fn login_of_current_uid() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}

#[cfg(not(unix))]
fn login_of_current_uid() -> Option<String> {
    None
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.as_name {
            Some(name) if name != &self.os_user => write!(f, "{} (as {name})", self.os_user),
            _ => f.write_str(&self.os_user),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_name_shows_both_os_user_and_as_name() {
        assert_eq!(
            Actor::new("ops", Some("alice".into())).to_string(),
            "ops (as alice)"
        );
        assert_eq!(Actor::new("alice", None).to_string(), "alice");
        assert_eq!(
            Actor::new("alice", Some("alice".into())).to_string(),
            "alice"
        );
        assert_eq!(Actor::new("ops", Some("  ".into())).name(), "ops");
    }
}
