//! Handing a text to the user's editor and reading it back.

/// Opens `$EDITOR` (or `vi`) on `text` and returns what was saved. The text is written
/// to a new file (mode 0600) in a new private directory (0700) with a random name, so
/// no other user can read it, plant a link where it will be written, or guess it.
pub fn edit_in_editor(text: &str) -> Result<String, String> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("watchfloor-edit-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = builder
        .tempdir()
        .map_err(|e| format!("cannot make a private directory for the editor: {e}"))?;
    let path = dir.path().join("text.md");
    write_private(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&path)
        .status()
        .map_err(|e| format!("cannot start the editor '{program}': {e}"))?;
    let edited = std::fs::read_to_string(&path).map_err(|e| e.to_string());
    drop(dir);
    if !status.success() {
        return Err(format!(
            "the editor exited with {status}; nothing was changed"
        ));
    }
    edited
}

/// A new file only its owner can read, never through a link.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}
