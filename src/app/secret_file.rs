//! Secrets kept in files (a token, a bind password, a signing key): read only when the
//! file is readable by its owner alone, like an SSH key, and small.

use super::error::AppError;
use std::path::Path;

/// The file's text without its trailing newline; `what` names it in errors.
pub fn read_private(path: &Path, what: &str) -> Result<String, AppError> {
    let meta = std::fs::metadata(path).map_err(|e| AppError::Usage(format!("{what}: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(AppError::Usage(format!(
                "{what} can be read by others (mode {:o}); chmod 600 it",
                meta.permissions().mode() & 0o777
            )));
        }
    }
    if meta.len() > 4096 {
        return Err(AppError::Usage(format!(
            "{what} is over 4 KiB: not a secret"
        )));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| AppError::Usage(format!("{what}: {e}")))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}
