//! The README's keys table follows the keymap: every key the help shows is documented.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use watchfloor::config::keymap::Keymap;

#[test]
fn every_key_in_the_help_is_in_the_readme() {
    let readme = include_str!("../README.md");
    let start = readme.find("## Keys").expect("README has a Keys section");
    let end = readme[start + 1..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + 1 + e);
    let section = &readme[start..end];
    for (context, lines) in Keymap::default().help_sections() {
        for (keys, description) in lines {
            assert!(
                section.contains(&format!("`{keys}`")),
                "README Keys section lacks `{keys}` ({description}, {})",
                context.title()
            );
        }
    }
}

#[test]
fn the_readme_gives_the_two_commands() {
    let readme = include_str!("../README.md");
    assert!(readme.contains("cargo run --release -- demo"));
    assert!(readme.contains("```sh\nscripts/test\n```"));
}

#[test]
fn the_readme_holds_the_full_default_config_word_for_word() {
    let readme = include_str!("../README.md");
    let config = include_str!("../assets/default_config.toml");
    assert!(
        readme.contains(&format!("```toml\n{config}```")),
        "README's default config differs from assets/default_config.toml"
    );
}
