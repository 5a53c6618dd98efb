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

    /// The real OS user of this process, from its user id — not from `USER`, which
    /// anyone can set — with `--as` beside it.
    pub fn from_environment(as_name: Option<String>) -> Self {
        Actor::new(os_login(), as_name)
    }

    /// The name this actor works under: the `--as` name if given, else the OS user.
    pub fn name(&self) -> &str {
        self.as_name.as_deref().unwrap_or(&self.os_user)
    }
}

/// The login of this process's real user id (through the system's user database, so
/// directory users resolve too), or `uid N` when it has no entry.
#[cfg(unix)]
#[allow(
    unsafe_code,
    reason = "getpwuid_r: the user database, as id(1) reads it"
)]
fn os_login() -> String {
    // SAFETY: getuid cannot fail; getpwuid_r writes only into the buffers given, whose
    // lengths are passed, and `pw_name` points into `buffer`, which outlives its use.
    unsafe {
        let uid = libc::getuid();
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut buffer = vec![0 as libc::c_char; 4096];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let status = libc::getpwuid_r(
            uid,
            &raw mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &raw mut found,
        );
        if status == 0 && !found.is_null() && !entry.pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr(entry.pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        format!("uid {uid}")
    }
}

#[cfg(not(unix))]
fn os_login() -> String {
    ["USERNAME", "USER"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
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

    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code, reason = "getuid, to compare with")]
    fn the_os_user_comes_from_the_user_id_not_the_environment() {
        // SAFETY: getuid cannot fail.
        let uid = unsafe { libc::getuid() };
        let login = os_login();
        assert!(!login.is_empty());
        if uid == 0 {
            assert_eq!(login, "root");
        }
        assert_eq!(Actor::from_environment(Some("dana".into())).os_user, login);
    }

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
