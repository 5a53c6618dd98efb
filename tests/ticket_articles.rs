//! Resolving a ticket with the knowledge that answered it: an article linked, or a
//! draft started from the ticket, in the same transaction as the resolution — from
//! the workflow, the CLI and the console's resolve form — and refused links leave the
//! ticket as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor};
use common::tui::{demo_app, press, type_text};
use common::{org_only, t0};
use ratatui::crossterm::event::KeyCode;
use watchfloor::config::Config;
use watchfloor::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use watchfloor::domain::ticket::ResolutionCode;
use watchfloor::domain::{FixedClock, TicketState};
use watchfloor::store::Store;
use watchfloor::tui::component::EditorRequest;
use watchfloor::workflow::{Actor, ArticleLink, NewTicket, Resolution, Workflow};

fn with_wf<T>(store: &Store, f: impl FnOnce(&Workflow<'_>) -> T) -> T {
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ana".into()));
    f(&Workflow::new(store, &config, &clock, &actor))
}

fn resolution(code: ResolutionCode, note: &str) -> Resolution {
    Resolution {
        code,
        note: note.into(),
        first_contact: false,
    }
}

fn locked_out(wf: &Workflow<'_>) -> watchfloor::domain::Ticket {
    let mut t = NewTicket::new("Locked out of email");
    t.description = "Three wrong passwords, then the account locked.".into();
    t.category = Some("access".into());
    t.service = Some("checkout".into());
    wf.create_ticket(t).unwrap()
}

#[test]
fn resolving_with_an_article_links_it_and_the_ticket_and_article_show_it() {
    let (db, store) = org_only();
    let (ticket, article) = with_wf(&store, |wf| {
        let mut how = ArticleDraft::new("Reset a locked account", ArticleKind::HowTo);
        how.state = ArticleState::Published;
        let article = wf.add_article(how).unwrap();
        let ticket = locked_out(wf);
        let (resolved, linked) = wf
            .resolve_ticket_with_article(
                ticket.key,
                ticket.version,
                resolution(ResolutionCode::Fixed, "unlocked it"),
                None,
                Some(ArticleLink::Existing(article.key)),
            )
            .unwrap();
        assert_eq!(resolved.state, TicketState::Resolved);
        assert_eq!(linked, Some(article.key));
        (resolved, article)
    });
    let key = ticket.key.to_string();
    let shown = run_as(&db.path, "ana", &["ticket", "show", &key]);
    assert!(
        shown.contains(&format!(
            "solved by       {} Reset a locked account",
            article.key
        )),
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ana",
        &["ticket", "show", &key, "--json"],
    ))
    .unwrap();
    assert_eq!(json["resolved_with"][0]["title"], "Reset a locked account");
    let kb = run_as(&db.path, "ana", &["kb", "show", &article.key.to_string()]);
    assert!(kb.contains(&format!("resolved    1 ticket: {key}")), "{kb}");
    let kb: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ana",
        &["kb", "show", &article.key.to_string(), "--json"],
    ))
    .unwrap();
    assert_eq!(kb["resolved_tickets"], 1);
    assert_eq!(kb["latest_tickets"][0], key.as_str());

    let again = with_wf(&store, |wf| wf.link_ticket_article(ticket.key, article.key));
    assert!(again.unwrap_err().to_string().contains("linked to"));
}

#[test]
fn a_retired_or_missing_article_is_refused_and_the_ticket_stays_open() {
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        let old = wf
            .add_article(ArticleDraft::new("Old VPN client", ArticleKind::HowTo))
            .unwrap();
        let old = wf.retire_article(old.key, old.version).unwrap();
        let ticket = locked_out(wf);
        for link in [
            ArticleLink::Existing(old.key),
            ArticleLink::Existing(watchfloor::domain::ArticleKey(999)),
        ] {
            let refused = wf.resolve_ticket_with_article(
                ticket.key,
                ticket.version,
                resolution(ResolutionCode::Fixed, ""),
                None,
                Some(link),
            );
            assert!(refused.is_err(), "{link:?}");
            let now = store.ticket(ticket.key).unwrap().unwrap();
            assert_eq!(now.state, ticket.state);
            assert_eq!(now.version, ticket.version);
        }
        assert!(
            wf.resolve_ticket_with_article(
                ticket.key,
                ticket.version,
                resolution(ResolutionCode::Fixed, ""),
                None,
                Some(ArticleLink::Existing(old.key)),
            )
            .unwrap_err()
            .to_string()
            .contains("retired")
        );
        assert!(store.articles_of_ticket(ticket.key).unwrap().is_empty());
    });
}

#[test]
fn starting_an_article_drafts_it_from_the_ticket() {
    let (db, store) = org_only();
    let started = with_wf(&store, |wf| {
        let ticket = locked_out(wf);
        let (_, started) = wf
            .resolve_ticket_with_article(
                ticket.key,
                ticket.version,
                resolution(
                    ResolutionCode::Workaround,
                    "unlocked it in the admin console",
                ),
                None,
                Some(ArticleLink::Start),
            )
            .unwrap();
        started.unwrap()
    });
    let article = store.article(started).unwrap().unwrap();
    let d = &article.draft;
    assert_eq!(d.title, "Locked out of email");
    assert_eq!(
        d.kind,
        ArticleKind::KnownError,
        "a workaround is a known error"
    );
    assert_eq!(d.state, ArticleState::Draft);
    assert_eq!(d.categories, vec!["access".to_string()]);
    assert_eq!(d.services, vec!["checkout".to_string()]);
    assert!(d.body.contains("Three wrong passwords"), "{}", d.body);
    assert!(
        d.body.contains("unlocked it in the admin console"),
        "{}",
        d.body
    );

    // From the command line; --article and --start-article are one or the other.
    let other = with_wf(&store, locked_out).key.to_string();
    watchfloor(&db.path)
        .args([
            "ticket",
            "resolve",
            &other,
            "--article",
            "KB-1",
            "--start-article",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
    let said = run_as(
        &db.path,
        "ana",
        &[
            "ticket",
            "resolve",
            &other,
            "--note",
            "unlocked",
            "--start-article",
        ],
    );
    assert!(said.contains("started as a draft from"), "{said}");
    assert_eq!(
        store
            .articles_of_ticket(other.parse().unwrap())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_resolve_form_starts_an_article_and_opens_it_in_the_editor() {
    let (db, mut app) = demo_app(0.1);
    let ticket = app.state.tickets.selected().unwrap().key;
    press(&mut app, KeyCode::Char('r'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "start");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert!(said.contains("started as a draft"), "{said}");
    let store = common::open(&db.path);
    assert_eq!(
        store.ticket(ticket).unwrap().unwrap().state,
        TicketState::Resolved
    );
    let started = store.articles_of_ticket(ticket).unwrap();
    assert_eq!(started.len(), 1);
    let Some(EditorRequest::Article { key, text, .. }) = app.state.editor_request.clone() else {
        panic!("no editor asked for");
    };
    assert_eq!(key, Some(started[0].key));
    app.finish_editor(Ok(format!("{text}\nIt hangs after the third try.\n")));
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert!(said.contains("saved from the editor"), "{said}");
}
