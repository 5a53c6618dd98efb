//! A satisfaction survey's link on the listener: a GET shows the one question (a
//! rating from 1 to 5 and a comment) as a form, the POST it sends records the answer on
//! the ticket, once. The form's body is read as `application/x-www-form-urlencoded`
//! within the listener's size limit; a missing or foreign rating is asked for again and
//! changes nothing. Outside text on the page is escaped.

use super::http::Reply;
use super::page_links::{document, used_up};
use crate::app::session::Session;
use crate::domain::csat::MAX_COMMENT;
use crate::domain::page_link::PageLink;
use crate::domain::{Ticket, TicketKey};
use crate::notify::chat::html;

pub fn answer(session: &Session, link: &PageLink, method: &str, body: &[u8]) -> Reply {
    let key = TicketKey(link.page);
    let ticket = match session.store.ticket(key) {
        Ok(Some(ticket)) => ticket,
        Ok(None) => return document(404, "Not found", "<p>No such ticket.</p>"),
        Err(e) => return document(500, "Error", &format!("<p>{}</p>", html(&e.to_string()))),
    };
    if let Some(refused) = used_up(
        session,
        link,
        "This survey was answered already. Thank you.",
    ) {
        return refused;
    }
    match method {
        "GET" => document(200, &title(&ticket), &form(&ticket, "")),
        "POST" => {
            let (rating, comment) = read_form(body);
            let Some(rating) = rating else {
                return document(
                    400,
                    &title(&ticket),
                    &form(&ticket, "Choose a rating from 1 to 5."),
                );
            };
            match session
                .workflow()
                .answer_survey_link(link, rating, &comment)
            {
                Ok(_) => document(
                    200,
                    "Thank you",
                    &format!(
                        "<p class=\"done\">Thank you: your rating of {rating} of 5 for {} is recorded.</p>",
                        html(&key.to_string())
                    ),
                ),
                Err(e) => document(409, "Not done", &format!("<p>{}</p>", html(&e.to_string()))),
            }
        }
        _ => document(405, "Not allowed", "<p>Open the link in a browser.</p>"),
    }
}

fn title(ticket: &Ticket) -> String {
    format!("How did we do with {}?", ticket.key)
}

/// The rating (when it is one of 1 to 5) and the comment the form sent.
fn read_form(body: &[u8]) -> (Option<i64>, String) {
    let mut rating = None;
    let mut comment = String::new();
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "rating" => {
                rating = value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|r| (1..=5).contains(r));
            }
            "comment" => comment = value.into_owned(),
            _ => {}
        }
    }
    (rating, comment)
}

fn form(ticket: &Ticket, problem: &str) -> String {
    let mut out = format!(
        "<h1>{}</h1><p class=\"title\">{}</p>",
        html(&title(ticket)),
        html(&ticket.title)
    );
    if !problem.is_empty() {
        out.push_str(&format!("<p class=\"problem\">{}</p>", html(problem)));
    }
    out.push_str(
        "<form method=\"post\"><fieldset><legend>How satisfied are you with how it was handled?</legend>",
    );
    let labels = ["1 — not at all", "2", "3", "4", "5 — very satisfied"];
    for (n, label) in labels.iter().enumerate() {
        let n = n + 1;
        out.push_str(&format!(
            "<label><input type=\"radio\" name=\"rating\" value=\"{n}\" required> {label}</label><br>"
        ));
    }
    out.push_str(&format!(
        "</fieldset><p><label for=\"comment\">Anything to add? (optional)</label><br>\
<textarea id=\"comment\" name=\"comment\" rows=\"4\" cols=\"40\" maxlength=\"{MAX_COMMENT}\"></textarea></p>\
<button type=\"submit\">Send</button></form>"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_body_gives_the_rating_and_comment_and_refuses_other_ratings() {
        assert_eq!(
            read_form(b"rating=4&comment=Quick+fix%2C+thanks%21"),
            (Some(4), "Quick fix, thanks!".to_string())
        );
        for foreign in [
            &b"rating=0"[..],
            b"rating=6",
            b"rating=four",
            b"comment=x",
            b"",
        ] {
            assert_eq!(read_form(foreign).0, None, "{foreign:?}");
        }
    }
}
