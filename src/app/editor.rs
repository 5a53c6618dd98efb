//! Handing a text to the user's editor and reading it back.

/// Opens `$EDITOR` (or `vi`) on `text` and returns what was saved.
pub fn edit_in_editor(text: &str) -> Result<String, String> {
    let path = std::env::temp_dir().join(format!("watchfloor-edit-{}.md", std::process::id()));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
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
    let _ = std::fs::remove_file(&path);
    if !status.success() {
        return Err(format!(
            "the editor exited with {status}; nothing was changed"
        ));
    }
    edited
}
