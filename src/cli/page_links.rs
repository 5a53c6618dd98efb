//! `/page/TOKEN` on the listener: the signed links every page carries. A GET only
//! shows what the link would do, with a button; the POST that button sends does it,
//! once. A changed, foreign or malformed link is refused with 403 or 404, an expired
//! one with 410 and a used one with 409, and none of them changes anything. The pages
//! load nothing from elsewhere and run no script; every piece of outside text on them
//! is escaped.

use super::http::Reply;
use crate::app::session::Session;
use crate::domain::page::Page;
use crate::domain::page_link::{LinkAction, LinkRefusal, PageLink};
use crate::domain::{IncidentKey, RecordKey, RecordKind, TicketKey};
use crate::notify::chat::html;

pub fn answer(
    session: &Session,
    secret: Option<&[u8]>,
    method: &str,
    path: &str,
    body: &[u8],
) -> Reply {
    let Some(secret) = secret else {
        return document(404, "Not found", "<p>Page links are not set up here.</p>");
    };
    let token = path.strip_prefix("/page/").unwrap_or("");
    let now = session.clock.now();
    let link = match PageLink::verify(token, secret, now.timestamp()) {
        Ok(link) => link,
        Err(refusal) => {
            let status = match refusal {
                LinkRefusal::Malformed => 404,
                LinkRefusal::Forged => 403,
                LinkRefusal::Expired => 410,
            };
            return document(
                status,
                "Link refused",
                &format!("<p>{}.</p>", html(&refusal.to_string())),
            );
        }
    };
    if link.action == LinkAction::Confirm {
        return confirm_reached(session, &link, method);
    }
    if link.action == LinkAction::Handoff {
        return handoff(session, &link, method);
    }
    if link.action == LinkAction::Survey {
        return super::survey_link::answer(session, &link, method, body);
    }
    let page = match session.store.page(link.page) {
        Ok(Some(page)) => page,
        Ok(None) => return document(404, "Not found", "<p>No such page.</p>"),
        Err(e) => return document(500, "Error", &format!("<p>{}</p>", html(&e.to_string()))),
    };
    if link.action == LinkAction::Open {
        return if method == "GET" {
            document(200, &page.entity, &summary(session, &page))
        } else {
            document(
                405,
                "Not allowed",
                "<p>This link only shows the record.</p>",
            )
        };
    }
    if let Some(refused) = used_up(
        session,
        &link,
        "This link was used already; each link works once.",
    ) {
        return refused;
    }
    match method {
        "GET" => confirm(session, &page, &link),
        "POST" => act(session, &link),
        _ => document(405, "Not allowed", "<p>Open the link in a browser.</p>"),
    }
}

fn verb(action: LinkAction) -> &'static str {
    match action {
        LinkAction::Acknowledge => "Acknowledge",
        LinkAction::Escalate => "Escalate now",
        LinkAction::Open => "Open",
        LinkAction::Confirm => "Confirm",
        LinkAction::Handoff => "Acknowledge the hand-off",
        LinkAction::Survey => "Answer",
    }
}

/// The answer to a link that was used already (409, saying `why`), or to a store that
/// cannot tell (500); none when the link may still be used.
pub(super) fn used_up(session: &Session, link: &PageLink, why: &str) -> Option<Reply> {
    match session.store.link_used(&link.id()) {
        Ok(true) => Some(document(409, "Link used", &format!("<p>{}</p>", html(why)))),
        Ok(false) => None,
        Err(e) => Some(document(
            500,
            "Error",
            &format!("<p>{}</p>", html(&e.to_string())),
        )),
    }
}

/// A test page's link: a GET asks, the POST records that the person was reached.
fn confirm_reached(session: &Session, link: &PageLink, method: &str) -> Reply {
    if let Some(refused) = used_up(session, link, "This link was used already.") {
        return refused;
    }
    match method {
        "GET" => document(
            200,
            "Test page",
            &format!(
                "<h1>Test page</h1><p>This was a test page for {}: nothing is wrong.</p>\
<form method=\"post\"><button type=\"submit\">Confirm I got it</button></form>",
                html(&link.person)
            ),
        ),
        "POST" => match session.workflow().answer_confirm_link(link) {
            Ok(()) => document(
                200,
                "Confirmed",
                &format!(
                    "<p class=\"done\">Thank you: {} is reachable.</p>",
                    html(&link.person)
                ),
            ),
            Err(e) => document(409, "Not done", &format!("<p>{}</p>", html(&e.to_string()))),
        },
        _ => document(405, "Not allowed", "<p>Open the link in a browser.</p>"),
    }
}

/// A hand-off's link: a GET shows the report with a button, the POST acknowledges it.
fn handoff(session: &Session, link: &PageLink, method: &str) -> Reply {
    let receipt = match session.store.handoff(link.page) {
        Ok(Some(receipt)) => receipt,
        Ok(None) => return document(404, "Not found", "<p>No such hand-off.</p>"),
        Err(e) => return document(500, "Error", &format!("<p>{}</p>", html(&e.to_string()))),
    };
    let report = format!("<pre>{}</pre>", html(&receipt.report));
    if let Some(refused) = used_up(session, link, "This link was used already.") {
        return refused;
    }
    let title = format!("Hand-off of {}", receipt.team);
    match method {
        "GET" if receipt.acknowledged() => document(
            200,
            &title,
            &format!("<p>Acknowledged already.</p>{report}"),
        ),
        "GET" => document(
            200,
            &title,
            &format!(
                "<h1>{}</h1><form method=\"post\"><button type=\"submit\">Acknowledge as {}</button></form>{report}",
                html(&title),
                html(&link.person)
            ),
        ),
        "POST" => match session.workflow().answer_handoff_link(link) {
            Ok(_) => document(
                200,
                &title,
                &format!(
                    "<p class=\"done\">Acknowledged: the {} pager is {}'s.</p>{report}",
                    html(&receipt.team),
                    html(&link.person)
                ),
            ),
            Err(e) => document(409, "Not done", &format!("<p>{}</p>", html(&e.to_string()))),
        },
        _ => document(405, "Not allowed", "<p>Open the link in a browser.</p>"),
    }
}

/// The page a GET shows: what the button will do, and as whom.
fn confirm(session: &Session, page: &Page, link: &PageLink) -> Reply {
    let mut body = summary(session, page);
    if page.state == crate::domain::page::PageState::Active {
        body.push_str(&format!(
            "<form method=\"post\"><button type=\"submit\">{} {} as {}</button></form>",
            verb(link.action),
            html(&page.entity),
            html(&link.person)
        ));
    } else {
        body.push_str("<p>Paging has stopped; there is nothing to do.</p>");
    }
    document(200, &page.entity, &body)
}

fn act(session: &Session, link: &PageLink) -> Reply {
    match session.workflow().answer_page_link(link) {
        Ok(page) => {
            let what = match link.action {
                LinkAction::Acknowledge => {
                    format!("Acknowledged by {}. Paging has stopped.", link.person)
                }
                _ => format!("The next level of {} is being paged.", page.entity),
            };
            let body = format!(
                "<p class=\"done\">{}</p>{}",
                html(&what),
                summary(session, &page)
            );
            document(200, &page.entity, &body)
        }
        Err(e) => document(409, "Not done", &format!("<p>{}</p>", html(&e.to_string()))),
    }
}

/// The record and its page, for the person paged.
fn summary(session: &Session, page: &Page) -> String {
    let mut out = format!(
        "<h1>{} {}</h1><p class=\"title\">{}</p><p>Page: {}{} · policy {} · {} levels paged</p>",
        html(&page.severity),
        html(&page.entity),
        html(&page.title),
        html(page.state.verb()),
        page.stopped_by
            .as_deref()
            .map(|b| format!(" by {}", html(b)))
            .unwrap_or_default(),
        html(&page.policy),
        page.levels_paged
    );
    let lines = recent_lines(session, &page.entity);
    if !lines.is_empty() {
        out.push_str("<h2>Latest</h2><ul>");
        for (at, text) in lines {
            out.push_str(&format!("<li><time>{at}</time> {}</li>", html(&text)));
        }
        out.push_str("</ul>");
    }
    out
}

/// The last few lines of the record's timeline or activity.
fn recent_lines(session: &Session, entity: &str) -> Vec<(String, String)> {
    let Ok(key) = entity.parse::<RecordKey>() else {
        return Vec::new();
    };
    let shown = |at: crate::domain::Timestamp| at.format("%H:%M UTC").to_string();
    let mut lines: Vec<(String, String)> = match key.kind {
        RecordKind::Incident => session
            .store
            .timeline(IncidentKey(key.number))
            .unwrap_or_default()
            .into_iter()
            .map(|e| (shown(e.at), e.text))
            .collect(),
        RecordKind::Ticket => session
            .store
            .ticket_comments(TicketKey(key.number))
            .unwrap_or_default()
            .into_iter()
            .map(|c| (shown(c.at), c.text))
            .collect(),
        _ => Vec::new(),
    };
    let skip = lines.len().saturating_sub(6);
    lines.split_off(skip)
}

/// A whole document: readable on a phone, AA contrast, no script, nothing loaded.
pub(super) fn document(status: u16, title: &str, body: &str) -> Reply {
    Reply::html(
        status,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · watchfloor</title><style>\
body{{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#111;background:#fff;line-height:1.4}}\
h1{{font-size:1.4rem}}.title{{font-size:1.1rem}}time{{color:#444}}pre{{white-space:pre-wrap}}\
button{{font-size:1.1rem;padding:.7rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:.3rem}}\
.done{{background:#e6f4ea;color:#0d3b1e;padding:.6rem;border-radius:.3rem}}\
.problem{{background:#fce8e6;color:#5c0b05;padding:.6rem;border-radius:.3rem}}\
fieldset{{border:1px solid #767676;border-radius:.3rem}}label{{line-height:2}}\
</style></head><body>{body}</body></html>\n",
            html(title)
        ),
    )
}
