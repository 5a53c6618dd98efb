//! The status page written out: `index.html` (no script, readable on a phone, colours
//! with AA contrast and every state also in words), `status.json` and an Atom feed of
//! the public updates. Every piece of text is made inert for its medium.

use crate::domain::Timestamp;
use crate::views::status_page::{ServiceStatus, StatusPage};

/// Text for HTML and XML: controls gone, the five special characters escaped.
pub fn escape(text: &str) -> String {
    crate::domain::html_escaped(&crate::domain::sanitize_text(text))
}

fn colour(status: ServiceStatus) -> &'static str {
    // Each at least 4.5:1 against the white page, and against white text on it.
    match status {
        ServiceStatus::Operational => "#1b6e32",
        ServiceStatus::Degraded => "#8a5300",
        ServiceStatus::PartialOutage => "#b3400e",
        ServiceStatus::MajorOutage => "#a4161a",
        ServiceStatus::Maintenance => "#1f4f99",
    }
}

fn when(t: Timestamp, zone: chrono_tz::Tz) -> String {
    t.with_timezone(&zone)
        .format("%d %b %Y %H:%M %Z")
        .to_string()
}

fn percent(share: f64) -> String {
    format!("{:.2} %", share * 100.0)
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#fff;line-height:1.45}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}\
.banner{color:#fff;padding:.8rem 1rem;border-radius:.4rem;font-weight:600}\
.service{border-bottom:1px solid #d0d0d0;padding:.6rem 0}\
.service .name{font-weight:600}.state{float:right;font-weight:600}\
.bars{display:flex;gap:1px;margin:.4rem 0;height:1.6rem}.bars span{flex:1;border-radius:1px}\
.muted{color:#555}.update{margin:.4rem 0 .8rem}.update time{color:#555;font-size:.9rem;display:block}\
article{border-left:.3rem solid #d0d0d0;padding-left:.8rem;margin:1rem 0}";

/// `index.html`; `base` is where its relative links resolve when it is served under a
/// path (`/status/`), none for the static site.
pub fn html(page: &StatusPage, zone: chrono_tz::Tz, base: Option<&str>) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head>");
    if let Some(base) = base {
        out.push_str(&format!("<base href=\"{}\">", escape(base)));
    }
    out.push_str(
        "<meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Service status</title><link rel=\"alternate\" type=\"application/atom+xml\" href=\"feed.atom\">",
    );
    out.push_str(&format!(
        "<style>{STYLE}</style></head><body>\n<h1>Service status</h1>\n"
    ));
    let overall = if page.overall == ServiceStatus::Operational {
        "All systems operational".to_string()
    } else {
        page.overall.label().to_string()
    };
    out.push_str(&format!(
        "<p class=\"banner\" style=\"background:{}\">{}</p>\n",
        colour(page.overall),
        escape(&overall)
    ));
    let active: Vec<_> = page.incidents.iter().filter(|i| !i.resolved).collect();
    if !active.is_empty() {
        out.push_str("<h2>Active incidents</h2>\n");
        for i in active {
            incident(&mut out, i, zone);
        }
    }
    if !page.maintenance.is_empty() {
        out.push_str("<h2>Scheduled maintenance</h2>\n");
        for m in &page.maintenance {
            out.push_str(&format!(
                "<article><p><strong>{}</strong> {}</p><p>{} to {}</p><p>{}</p></article>\n",
                if m.in_progress {
                    "In progress:"
                } else {
                    "Planned:"
                },
                escape(&m.services.join(", ")),
                m.starts_at.map(|t| when(t, zone)).unwrap_or_default(),
                m.ends_at.map(|t| when(t, zone)).unwrap_or_default(),
                escape(&m.impact)
            ));
        }
    }
    out.push_str("<h2>Services</h2>\n");
    if page.services.is_empty() {
        out.push_str("<p class=\"muted\">No service is published yet.</p>\n");
    }
    for s in &page.services {
        out.push_str(&format!(
            "<section class=\"service\"><span class=\"name\">{}</span>\
             <span class=\"state\" style=\"color:{}\">{}</span>\
             <div class=\"bars\" aria-hidden=\"true\">",
            escape(&s.name),
            colour(s.status),
            s.status.label()
        ));
        for d in &s.days {
            let shade = d.worst.map_or(colour(ServiceStatus::Operational), colour);
            out.push_str(&format!(
                "<span style=\"background:{shade}\" title=\"{}: {}\"></span>",
                d.date,
                percent(d.uptime)
            ));
        }
        out.push_str(&format!(
            "</div><span class=\"muted\">{} uptime over the last 90 days</span></section>\n",
            percent(s.uptime_90d)
        ));
    }
    let past: Vec<_> = page.incidents.iter().filter(|i| i.resolved).collect();
    if !past.is_empty() {
        out.push_str("<h2>Past incidents</h2>\n");
        for i in past {
            incident(&mut out, i, zone);
        }
    }
    out.push_str(&format!(
        "<p class=\"muted\">Updated {}. <a href=\"status.json\">JSON</a> · <a href=\"feed.atom\">Atom feed</a></p>\n</body></html>\n",
        when(page.generated_at, zone)
    ));
    out
}

fn incident(out: &mut String, i: &crate::views::status_page::PublicIncident, zone: chrono_tz::Tz) {
    out.push_str(&format!(
        "<article id=\"{}\" style=\"border-color:{}\"><h3>{}</h3>",
        escape(&i.id),
        colour(i.status),
        escape(&i.heading)
    ));
    if let Some(resolved) = i.resolved_at {
        out.push_str(&format!(
            "<p class=\"muted\">Resolved {}</p>",
            when(resolved, zone)
        ));
    }
    // A past incident is told by its last word; an active one by every update.
    let shown = if i.resolved { 1 } else { i.updates.len() };
    for u in i.updates.iter().take(shown) {
        out.push_str(&format!(
            "<div class=\"update\"><time datetime=\"{}\">{}</time>{}</div>",
            u.at.to_rfc3339(),
            when(u.at, zone),
            escape(&u.text).replace('\n', "<br>")
        ));
    }
    out.push_str("</article>\n");
}

/// `status.json`.
pub fn json(page: &StatusPage) -> String {
    serde_json::to_string_pretty(page).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// `feed.atom`: one entry per public update, the latest first (at most 50).
pub fn atom(page: &StatusPage, base: &str) -> String {
    let mut updates: Vec<_> = page
        .incidents
        .iter()
        .flat_map(|i| i.updates.iter().map(move |u| (i, u)))
        .collect();
    updates.sort_by_key(|(_, u)| std::cmp::Reverse(u.at));
    updates.truncate(50);
    let updated = updates
        .first()
        .map_or(page.generated_at, |(_, u)| u.at)
        .to_rfc3339();
    let link = if base.is_empty() {
        String::new()
    } else {
        format!("<link href=\"{}\"/>", escape(base))
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Service status</title><id>urn:watchfloor:status</id><updated>{updated}</updated>{link}\n"
    );
    for (i, u) in updates {
        out.push_str(&format!(
            "<entry><id>urn:watchfloor:{}:{}</id><title>{}</title><updated>{}</updated>\
             <content type=\"text\">{}</content></entry>\n",
            escape(&i.id),
            u.at.timestamp(),
            escape(&i.heading),
            u.at.to_rfc3339(),
            escape(&u.text)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_inert_in_html_and_xml() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\"\u{1b}[31m"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    /// WCAG 2's contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_state_colour_reads_at_aa_as_text_on_white_and_under_white_text() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        for status in ServiceStatus::ALL {
            let ratio = contrast(colour(*status), "#ffffff");
            assert!(ratio >= 4.5, "{status}: {ratio:.2}:1");
        }
        for text in ["#1a1a1a", "#555555"] {
            assert!(contrast(text, "#ffffff") >= 4.5, "{text}");
        }
    }
}
