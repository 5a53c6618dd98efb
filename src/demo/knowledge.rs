//! The demo's knowledge: a runbook for every service (so each bridge brings one up),
//! how-tos for the commonest ticket categories, and a known error for each recurring
//! problem. A few are past their review date, as in any real library.

use crate::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use crate::domain::org::Service;
use crate::domain::review::Problem;
use chrono::{Duration, NaiveDate};

pub fn articles(services: &[Service], problems: &[Problem], today: NaiveDate) -> Vec<ArticleDraft> {
    let mut out = Vec::new();
    for (i, s) in services.iter().filter(|s| !s.archived).enumerate() {
        let mut d = ArticleDraft::new(format!("{}: first response", s.name), ArticleKind::Runbook);
        let needs = if s.depends_on.is_empty() {
            "nothing else".to_string()
        } else {
            s.depends_on.join(", ")
        };
        d.body = format!(
            "# {name}: first response\n\n{name} depends on {needs}.\n\n\
1. Acknowledge the page and take the commander role until someone senior joins\n\
2. Check the {name} dashboard: error rate, latency and saturation against the last hour\n\
3. Check the change calendar for a change on {name} or on what it depends on\n\
4. Roll back the last deploy of {name} if it began in the last hour\n\
5. Post a status update for stakeholders, then every 30 minutes\n",
            name = s.name
        );
        d.services = vec![s.name.clone()];
        d.owner = s.owner_team.clone();
        d.state = ArticleState::Published;
        // Every seventh is overdue for review.
        d.review_by = Some(if i % 7 == 3 {
            today - Duration::days(20)
        } else {
            today + Duration::days(60 + (i as i64 % 5) * 10)
        });
        out.push(d);
    }
    for (category, title, steps) in [
        (
            "access",
            "Reset a locked account",
            "1. Confirm who is asking through a second channel\n2. Unlock the account in the directory\n3. Have them sign in while you wait",
        ),
        (
            "application",
            "Collect what an application error needs",
            "1. Ask for the time, the screen and the exact message\n2. Find the request in the logs by time and user\n3. Attach both to the ticket",
        ),
        (
            "hardware",
            "Swap a failed laptop",
            "1. Check the warranty\n2. Issue a spare from stock\n3. Wipe and return the failed one",
        ),
    ] {
        let mut d = ArticleDraft::new(title, ArticleKind::HowTo);
        d.body = format!("# {title}\n\n{steps}\n");
        d.categories = vec![category.into()];
        d.state = ArticleState::Published;
        d.review_by = Some(today + Duration::days(90));
        out.push(d);
    }
    for p in problems {
        let mut d = ArticleDraft::new(format!("Known error: {}", p.title), ArticleKind::KnownError);
        let workaround = if p.workaround.is_empty() {
            "None known yet: escalate to the owning team."
        } else {
            p.workaround.as_str()
        };
        d.body = format!(
            "# {}\n\n## Workaround\n\n{workaround}\n\n## Root cause\n\n{}\n",
            p.title,
            if p.root_cause.is_empty() {
                "Under investigation."
            } else {
                p.root_cause.as_str()
            }
        );
        d.problems = vec![p.key];
        d.state = ArticleState::Published;
        d.review_by = Some(today + Duration::days(45));
        out.push(d);
    }
    out
}
