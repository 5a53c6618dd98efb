//! What each channel is sent for one delivery: the generic webhook's signed JSON, the
//! chat services' incoming-webhook bodies, ntfy's JSON and the mail's text. Outside
//! text (titles come from alerts and people) is made inert for each medium: no line
//! breaks where a header or a line starts, HTML and chat markup escaped, mentions
//! broken, and JSON built by serde, never by hand.

use super::outbound::Link;
use crate::domain::page::Delivery;
use serde_json::{Value, json};

/// One line of outside text: control characters and line breaks gone.
fn line(text: &str) -> String {
    crate::domain::sanitize_line(text)
}

/// Text for HTML: `& < > " '` escaped.
pub fn html(text: &str) -> String {
    crate::domain::html_escaped(text)
}

/// Text for chat markdown: markup characters escaped, so a title cannot become a link,
/// a mention (`@channel`, `<!here>`) or a formatted block.
pub fn chat(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A zero-width space after @ keeps the text and breaks the mention.
            '@' => out.push_str("@\u{200b}"),
            '\\' | '*' | '_' | '`' | '~' | '[' | ']' | '(' | ')' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The body as lines, each made one clean line.
fn body_lines(d: &Delivery) -> Vec<String> {
    d.body.lines().map(line).collect()
}

/// The generic webhook's event: everything a receiver needs, as data.
pub fn webhook(d: &Delivery, links: &[Link], sent_at: i64) -> Value {
    let links: serde_json::Map<String, Value> = links
        .iter()
        .map(|l| (l.action.to_string(), Value::String(l.url.clone())))
        .collect();
    json!({
        "event": d.purpose,
        "entity": d.entity,
        "page": d.page,
        "level": d.level,
        "person": d.person,
        "subject": line(&d.subject),
        "body": d.body,
        "links": links,
        "idempotency_key": d.idempotency_key,
        "sent_at": sent_at,
        "attachment": d.attachment.as_ref().map(|(name, content)| json!({ "name": name, "content": content })),
    })
}

/// A chat message: the subject in bold, the body's lines, then the links, each part
/// in the service's own markup.
fn chat_text(d: &Delivery, links: &[Link], bold: &str, link: impl Fn(&Link) -> String) -> String {
    let mut text = format!("{bold}{}{bold}", chat(&d.subject));
    for l in body_lines(d) {
        text.push('\n');
        text.push_str(&chat(&l));
    }
    if !links.is_empty() {
        text.push('\n');
        let shown: Vec<String> = links.iter().map(link).collect();
        text.push_str(&shown.join(" · "));
    }
    text
}

/// Slack's incoming webhook (mrkdwn): `<url|label>` links.
pub fn slack(d: &Delivery, links: &[Link]) -> Value {
    json!({ "text": chat_text(d, links, "*", |l| format!("<{}|{}>", l.url, l.label)) })
}

/// Mattermost's incoming webhook (Markdown): `[label](url)` links.
pub fn mattermost(d: &Delivery, links: &[Link]) -> Value {
    let text = chat_text(d, links, "**", |l| format!("[{}]({})", l.label, l.url));
    json!({ "text": text, "username": "watchfloor" })
}

/// A Microsoft Teams workflow ("post to a channel when a webhook request is received"):
/// an Adaptive Card, whose text blocks are plain text.
pub fn teams(d: &Delivery, links: &[Link]) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": chat(&d.subject), "weight": "Bolder", "wrap": true
    })];
    for l in body_lines(d) {
        body.push(json!({ "type": "TextBlock", "text": chat(&l), "wrap": true }));
    }
    let actions: Vec<Value> = links
        .iter()
        .map(|l| json!({ "type": "Action.OpenUrl", "title": l.label, "url": l.url }))
        .collect();
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": actions,
            }
        }]
    })
}

/// A Matrix room's webhook bridge (hookshot's generic webhooks): plain text and HTML.
pub fn matrix(d: &Delivery, links: &[Link]) -> Value {
    let mut text = line(&d.subject);
    let mut rich = format!("<strong>{}</strong>", html(&line(&d.subject)));
    for l in body_lines(d) {
        text.push('\n');
        text.push_str(&l);
        rich.push_str("<br>");
        rich.push_str(&html(&l));
    }
    for l in links {
        text.push_str(&format!("\n{}: {}", l.label, l.url));
        rich.push_str(&format!(
            "<br><a href=\"{}\">{}</a>",
            html(&l.url),
            html(l.label)
        ));
    }
    json!({ "text": text, "html": rich, "username": "watchfloor" })
}

/// ntfy's JSON publishing: the topic, title, message, priority and view actions.
pub fn ntfy(d: &Delivery, topic: &str, links: &[Link]) -> Value {
    let urgent = d.purpose == crate::domain::page::DeliveryPurpose::Page;
    let actions: Vec<Value> = links
        .iter()
        .take(3)
        .map(|l| json!({ "action": "view", "label": l.label, "url": l.url, "clear": true }))
        .collect();
    json!({
        "topic": topic,
        "title": line(&d.subject),
        "message": body_lines(d).join("\n"),
        "priority": if urgent { 5 } else { 3 },
        "tags": ["rotating_light"],
        "actions": actions,
    })
}

/// The mail's text: the body, then each link on its own line.
pub fn mail_text(d: &Delivery, links: &[Link]) -> String {
    let mut text = body_lines(d).join("\n");
    if !links.is_empty() {
        text.push_str("\n\n");
        for l in links {
            text.push_str(&format!("{}: {}\n", l.label, l.url));
        }
    }
    text.push_str(&format!(
        "\n-- \nSent by watchfloor to {}. Message key {}.\n",
        line(&d.person),
        d.idempotency_key
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_text_cannot_mention_link_or_format() {
        let hostile = "@channel <!here> [click](http://evil) *bold*\nsecond";
        let out = chat(hostile);
        assert!(!out.contains("@channel"));
        assert!(!out.contains("<!here>"));
        assert!(!out.contains("[click]("));
        assert!(!out.contains('\n'));
        assert!(out.contains("\\*bold\\*"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }
}
