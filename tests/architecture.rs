//! The layers of `docs/ARCHITECTURE.md`, enforced: every `crate::…` path in every
//! source file must follow an arrow that the document's `arrows` block allows, `src/`
//! holds only `main.rs`, `lib.rs` and folders, and driver and terminal crates stay in
//! the folders that own them.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Arrows = BTreeMap<String, BTreeSet<String>>;

/// The allowed arrows, read from the one place they are written.
fn allowed_arrows() -> Arrows {
    let doc = fs::read_to_string("docs/ARCHITECTURE.md").expect("docs/ARCHITECTURE.md");
    let block = doc
        .split("```arrows\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/ARCHITECTURE.md has an ```arrows block");
    block
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (from, to) = line
                .split_once("->")
                .unwrap_or_else(|| panic!("an arrow line is `folder -> folders`: {line:?}"));
            (
                from.trim().to_string(),
                to.split_whitespace().map(str::to_string).collect(),
            )
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read a source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its line comments, so doc links do not count as uses.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names: `crate::store::…` → `store`. Macros
/// exported at the crate root count as the folder that defines them.
fn modules_named(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = code[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let name = match name.as_str() {
            "string_enum" => "domain".to_string(),
            _ => name,
        };
        if !name.is_empty() {
            named.insert(name);
        }
    }
    named
}

/// Every arrow in the tree as (from folder, to folder, the file that draws it).
fn arrows_in_tree() -> Vec<(String, String, PathBuf)> {
    let mut found = Vec::new();
    for entry in fs::read_dir("src").expect("src/") {
        let path = entry.expect("an entry of src/").path();
        if path.is_dir() {
            let folder = path.file_name().unwrap().to_string_lossy().to_string();
            let mut files = Vec::new();
            rust_files(&path, &mut files);
            for file in files {
                let code = code_of(&fs::read_to_string(&file).unwrap());
                for to in modules_named(&code, "crate::") {
                    if to != folder {
                        found.push((folder.clone(), to, file.clone()));
                    }
                }
            }
        }
    }
    let main = code_of(&fs::read_to_string("src/main.rs").unwrap());
    for to in modules_named(&main, "watchfloor::") {
        found.push(("main".into(), to, PathBuf::from("src/main.rs")));
    }
    found
}

#[test]
fn every_arrow_between_folders_is_one_the_architecture_allows() {
    let allowed = allowed_arrows();
    let mut wrong: Vec<String> = arrows_in_tree()
        .into_iter()
        .filter(|(from, to, _)| !allowed.get(from).is_some_and(|ok| ok.contains(to)))
        .map(|(from, to, file)| format!("{from} → {to} (in {})", file.display()))
        .collect();
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "arrows docs/ARCHITECTURE.md does not allow:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn src_holds_main_lib_and_folders_only_and_every_folder_is_a_layer() {
    let allowed = allowed_arrows();
    for entry in fs::read_dir("src").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            assert!(
                allowed.contains_key(&name),
                "src/{name}/ is a folder the architecture's arrows do not name"
            );
        } else {
            assert!(
                name == "main.rs" || name == "lib.rs",
                "src/{name} is a loose file: it belongs in the folder of its layer"
            );
        }
    }
    for folder in allowed.keys().filter(|f| *f != "main") {
        assert!(
            Path::new("src").join(folder).is_dir(),
            "the architecture names {folder}/, which src/ does not have"
        );
    }
}

#[test]
fn the_faces_never_import_each_other_and_nothing_below_imports_them() {
    let allowed = allowed_arrows();
    for (from, to) in allowed
        .iter()
        .flat_map(|(f, t)| t.iter().map(move |t| (f, t)))
    {
        if to == "cli" || to == "tui" {
            assert_eq!(from, "main", "{from} → {to}: only main chooses a face");
        }
    }
}

/// A crate that only the named folders may use.
fn confined(krate: &str, folders: &[&str]) {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let strays: Vec<String> = files
        .iter()
        .filter(|file| {
            let folder = file
                .strip_prefix("src")
                .unwrap()
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .to_string();
            !folders.contains(&folder.as_str())
                && !modules_named(
                    &code_of(&fs::read_to_string(file).unwrap()),
                    &format!("{krate}::"),
                )
                .is_empty()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        strays.is_empty(),
        "{krate} used outside {folders:?}: {strays:?}"
    );
}

#[test]
fn database_drivers_stay_in_the_store_and_the_terminal_in_the_console() {
    confined("rusqlite", &["store"]);
    confined("postgres", &["store"]);
    confined("ratatui", &["tui", "config"]);
    confined("ldap3", &["import"]);
}

#[test]
fn the_checker_sees_an_arrow_it_must_refuse() {
    let code =
        code_of("use crate::tui::App; // crate::cli in a comment\nlet x = my_crate::store::y;");
    assert_eq!(
        modules_named(&code, "crate::"),
        BTreeSet::from(["tui".to_string()])
    );
    let allowed = allowed_arrows();
    assert!(
        !allowed["store"].contains("workflow"),
        "store must not reach up"
    );
    assert!(!allowed["cli"].contains("tui") && !allowed["tui"].contains("cli"));
}
