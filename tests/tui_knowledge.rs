//! The Knowledge pane in the console: the articles listed and narrowed as `/` is typed,
//! one kind at a time, read beside the list or on its own, and written through
//! `$EDITOR` — a refused file kept for the next try and the store left as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen, screen_lines, type_text};
use ratatui::crossterm::event::KeyCode;
use watchfloor::domain::ArticleKey;
use watchfloor::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use watchfloor::tui::app::App;
use watchfloor::tui::component::EditorRequest;

fn app_with_articles() -> (common::TempDb, App) {
    let (db, store) = common::org_only();
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    common::with_workflow(&store, &clock, |wf| {
        let mut failover =
            ArticleDraft::new("Fail over the checkout database", ArticleKind::Runbook);
        failover.body = "1. Page the DBA\n2. Promote the standby\n".into();
        failover.services = vec!["checkout".into()];
        failover.state = ArticleState::Published;
        wf.add_article(failover).unwrap();
        let mut reset = ArticleDraft::new("Reset a locked account", ArticleKind::HowTo);
        reset.body = "Unlock it in the directory, then ask for a new password.".into();
        reset.state = ArticleState::Published;
        wf.add_article(reset).unwrap();
        let mut hostile = ArticleDraft::new("Printer jams", ArticleKind::Faq);
        hostile.body = "Open tray 2.\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J then close it".into();
        wf.add_article(hostile).unwrap();
    });
    let theme = watchfloor::tui::theme::Theme::new(watchfloor::config::ThemeName::Default, true);
    let mut app = App::new(common::reopen_session(&db.path), theme, 80, 24).unwrap();
    app.settle();
    (db, app)
}

fn editor_request(app: &mut App) -> EditorRequest {
    app.state
        .editor_request
        .clone()
        .expect("the editor was asked for")
}

#[test]
fn the_pane_lists_searches_as_you_type_and_filters_by_kind() {
    let (_db, mut app) = app_with_articles();
    press(&mut app, KeyCode::Char('8'));
    let shown = screen(&app);
    assert!(
        shown.contains("8 KB"),
        "the tab fits at 80 columns: {shown}"
    );
    for title in [
        "Fail over the checkout",
        "Reset a locked account",
        "Printer jams",
    ] {
        assert!(shown.contains(title), "{title}: {shown}");
    }
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "locked");
    let shown = screen(&app);
    assert!(shown.contains("Reset a locked account"), "{shown}");
    assert!(!shown.contains("Fail over the checkout"), "{shown}");
    assert!(shown.contains("/locked"), "the search is shown: {shown}");
    press(&mut app, KeyCode::Esc);
    assert!(
        screen(&app).contains("Fail over the checkout"),
        "esc clears it"
    );

    press(&mut app, KeyCode::Char(']'));
    let shown = screen(&app);
    assert!(shown.contains("[ Runbooks ]"), "{shown}");
    assert!(shown.contains("Fail over the checkout"), "{shown}");
    assert!(!shown.contains("Reset a locked account"), "{shown}");

    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "nothing like this");
    assert!(screen(&app).contains("Nothing matches"), "{}", screen(&app));
}

#[test]
fn an_article_is_read_with_its_steps_and_hostile_text_drawn_inert() {
    let (_db, mut app) = app_with_articles();
    press(&mut app, KeyCode::Char('8'));
    // The newest first: the hostile FAQ is selected.
    press(&mut app, KeyCode::Enter);
    let lines = screen_lines(&app, 80, 24).join("\n");
    assert!(lines.contains("Open tray 2."), "{lines}");
    assert!(
        !lines.contains('\u{1b}') && !lines.contains('\u{7}'),
        "{lines:?}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("1. Page the DBA"), "{shown}");
    assert!(shown.contains("runbook · published · version 1"), "{shown}");
    // From 110 columns the article is read beside the list.
    let wide = screen_lines(&app, 130, 30).join("\n");
    assert!(wide.contains("Reset a locked account"), "{wide}");
    assert!(wide.contains("1. Page the DBA"), "{wide}");

    // `:KB-2` opens it from anywhere.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "KB-2");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("KB-2 Reset a locked account"), "{shown}");
}

#[test]
fn editing_in_the_editor_saves_a_version_and_a_refused_file_is_kept_for_the_next_try() {
    let (db, mut app) = app_with_articles();
    press(&mut app, KeyCode::Char('8'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('e'));
    let EditorRequest::Article { key, text, .. } = editor_request(&mut app) else {
        panic!("an article's file");
    };
    assert_eq!(key, Some(ArticleKey(2)));
    assert!(
        text.starts_with("---\nkey: KB-2\ntitle: Reset a locked account\n"),
        "{text}"
    );

    // A file the parser refuses: nothing is written, the text is kept.
    let broken = text.replace("kind: how_to", "kind: [how_to");
    app.finish_editor(Ok(broken.clone()));
    let shown = screen(&app);
    assert!(
        shown.contains("KB-2 not saved (e opens your text again): file: line 4"),
        "{shown}"
    );
    let store = common::open(&db.path);
    assert_eq!(store.article(ArticleKey(2)).unwrap().unwrap().version, 1);
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(
        editor_request(&mut app).text(),
        broken,
        "the refused text again"
    );

    let fixed = text.replace(
        "Unlock it in the directory",
        "Unlock it in the directory (Users > Locked)",
    );
    app.finish_editor(Ok(fixed));
    assert!(screen(&app).contains("KB-2 saved from the editor (version 2)"));
    let saved = store.article(ArticleKey(2)).unwrap().unwrap();
    assert!(saved.draft.body.contains("(Users > Locked)"));
    assert_eq!(store.article_versions(ArticleKey(2)).unwrap().len(), 2);

    // Saved unchanged: nothing written.
    press(&mut app, KeyCode::Char('e'));
    let same = editor_request(&mut app).text().to_string();
    app.finish_editor(Ok(same));
    assert!(screen(&app).contains("KB-2 unchanged"));
    assert_eq!(store.article(ArticleKey(2)).unwrap().unwrap().version, 2);
}

#[test]
fn a_new_article_is_written_in_the_editor_and_one_retired_leaves_the_list() {
    let (db, mut app) = app_with_articles();
    press(&mut app, KeyCode::Char('8'));
    press(&mut app, KeyCode::Char('n'));
    let EditorRequest::Article { key, text, .. } = editor_request(&mut app) else {
        panic!("an article's file");
    };
    assert_eq!(key, None);
    assert!(!text.contains("key:"), "{text}");
    let written = text
        .replace("title: \"\"", "title: Restart the badge reader")
        .replace(
            "Write the article here",
            "Hold the reset button for ten seconds",
        );
    app.finish_editor(Ok(written));
    let shown = screen(&app);
    assert!(
        shown.contains("KB-4 saved from the editor (version 1)"),
        "{shown}"
    );
    assert!(shown.contains("Restart the badge reader"), "{shown}");
    let store = common::open(&db.path);
    let added = store.article(ArticleKey(4)).unwrap().unwrap();
    assert_eq!(added.draft.state, ArticleState::Draft);
    assert!(added.draft.body.starts_with("Hold the reset button"));

    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('X'));
    let shown = screen(&app);
    assert!(shown.contains("KB-4 retired"), "{shown}");
    assert!(!shown.contains("Restart the badge reader"), "{shown}");
    assert_eq!(
        store.article(ArticleKey(4)).unwrap().unwrap().draft.state,
        ArticleState::Retired
    );
    press(&mut app, KeyCode::Char('a'));
    assert!(
        screen(&app).contains("Restart the badge reader"),
        "retired shown on a"
    );
}

#[test]
fn the_stand_up_and_the_status_bar_show_what_depends_on_an_active_incident() {
    let (_db, mut app) = common::tui::demo_app(0.05);
    let incident = app.state.active.first().cloned().expect("the demo has one");
    let lines = screen_lines(&app, 120, 40);
    let status = lines.last().unwrap();
    assert!(status.contains("impacted)"), "{status}");
    press(&mut app, KeyCode::Char('6'));
    let board = app.state.standup.board.clone().expect("gathered");
    let at = board
        .active
        .iter()
        .position(|i| i.key == incident.key)
        .unwrap();
    let reached: Vec<String> = board.impacted[at]
        .iter()
        .map(|m| m.service.clone())
        .collect();
    assert!(!reached.is_empty(), "{incident:?}");
    for own in &incident.services {
        assert!(
            !reached.contains(own),
            "its own services are not 'impacted'"
        );
    }
    let shown = screen_lines(&app, 120, 40).join("\n");
    assert!(
        shown.contains(&format!("  impacts {}", reached.join(", "))),
        "{shown}"
    );
}
