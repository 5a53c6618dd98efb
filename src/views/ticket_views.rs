//! Named views of the ticket queue — the built-in ones and those from config — and how
//! a view becomes a store query for a given person at a given moment. The TUI and the
//! CLI (`ticket list --view NAME`) share these, so a name means the same everywhere.

use crate::config::Config;
pub use crate::config::views::{BaseView, DEFAULT_COLUMNS, TicketColumn, ViewConfig};
use crate::domain::Timestamp;
use crate::store::{TicketFilter, TicketQuery, TicketSort};
use chrono::Duration;

/// How far back "recently resolved" looks.
const RECENT_DAYS: i64 = 7;

impl TicketView {
    pub fn columns(&self) -> &[TicketColumn] {
        self.spec.columns.as_deref().unwrap_or(DEFAULT_COLUMNS)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketView {
    pub name: String,
    pub title: String,
    pub spec: ViewConfig,
}

impl BaseView {
    pub fn title(self) -> &'static str {
        match self {
            BaseView::AllOpen => "All open",
            BaseView::MyQueue => "My queue",
            BaseView::Unassigned => "Unassigned",
            BaseView::MyGroup => "My group",
            BaseView::AtRisk => "SLA at risk",
            BaseView::Breached => "Breached",
            BaseView::Pending => "Pending",
            BaseView::RecentlyResolved => "Recently resolved",
            BaseView::All => "All",
        }
    }

    fn default_sort(self) -> TicketSort {
        match self {
            BaseView::AtRisk | BaseView::Breached => TicketSort::SlaDue,
            BaseView::RecentlyResolved => TicketSort::Updated,
            _ => TicketSort::Priority,
        }
    }
}

/// The built-in views followed by the config's, in the order the picker shows them.
pub fn all_views(config: &Config) -> Vec<TicketView> {
    let builtin = BaseView::ALL.iter().map(|base| TicketView {
        name: base.as_str().to_string(),
        title: base.title().to_string(),
        spec: ViewConfig {
            name: base.as_str().to_string(),
            base: *base,
            group: None,
            service: None,
            priority_max: None,
            text: None,
            sort: None,
            columns: None,
            key: None,
        },
    });
    let custom = config.views.iter().map(|v| TicketView {
        name: v.name.clone(),
        title: v.name.clone(),
        spec: v.clone(),
    });
    builtin.chain(custom).collect()
}

pub fn find_view(config: &Config, name: &str) -> Result<TicketView, String> {
    find_by_name(&all_views(config), name, |v| &v.name, "view")
}

/// The item called `name` (case, `-` and `_` do not matter), or an error listing all.
pub(crate) fn find_by_name<T: Clone>(
    items: &[T],
    name: &str,
    name_of: impl Fn(&T) -> &str,
    what: &str,
) -> Result<T, String> {
    let canonical = |n: &str| n.trim().replace('-', "_").to_ascii_lowercase();
    let wanted = canonical(name);
    items
        .iter()
        .find(|item| canonical(name_of(item)) == wanted)
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = items.iter().map(&name_of).collect();
            format!("unknown {what} '{name}' ({what}s: {})", names.join(", "))
        })
}

/// Who is looking, and when: what "my" and "at risk" mean for a view.
pub struct ViewContext<'a> {
    pub me: &'a str,
    pub my_group: Option<&'a str>,
    pub now: Timestamp,
    pub config: &'a Config,
}

impl TicketView {
    pub fn query(&self, ctx: &ViewContext<'_>, text: Option<String>) -> TicketQuery {
        let spec = &self.spec;
        let mut query = TicketQuery {
            sort: spec.sort.unwrap_or(spec.base.default_sort()),
            group: spec.group.clone(),
            service: spec.service.clone(),
            priority_max: spec.priority_max,
            text: merge_text(spec.text.clone(), text),
            ..TicketQuery::default()
        };
        match spec.base {
            BaseView::AllOpen => {}
            BaseView::All => query.filter = TicketFilter::All,
            BaseView::MyQueue => query.assignee = Some(ctx.me.to_string()),
            BaseView::Unassigned => query.filter = TicketFilter::Unassigned,
            // Nobody is in no group: an actor without a team sees an empty view, not everything.
            BaseView::MyGroup => query.group = Some(ctx.my_group.unwrap_or("").to_string()),
            BaseView::AtRisk => query.filter = at_risk(ctx.config, ctx.now),
            BaseView::Breached => query.filter = TicketFilter::SlaBreached { now: ctx.now },
            BaseView::Pending => query.state = Some(crate::domain::TicketState::Pending),
            BaseView::RecentlyResolved => {
                query.filter = TicketFilter::ResolvedSince(ctx.now - Duration::days(RECENT_DAYS))
            }
        }
        query
    }
}

fn merge_text(a: Option<String>, b: Option<String>) -> Option<String> {
    match (
        a.filter(|t| !t.trim().is_empty()),
        b.filter(|t| !t.trim().is_empty()),
    ) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    }
}

/// Open tickets due within their priority's at-risk margin of `now`.
pub fn at_risk(config: &crate::config::Config, now: crate::domain::Timestamp) -> TicketFilter {
    let mut margins = [0; 5];
    for (priority, policy) in config.sla.all() {
        margins[priority.get() as usize - 1] = i64::from(policy.at_risk_minutes) * 60;
    }
    TicketFilter::SlaAtRisk { now, margins }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Priority;
    use crate::domain::clock::from_epoch_seconds;

    #[test]
    fn views_are_found_by_name_with_a_helpful_error() {
        let config = Config::default();
        assert_eq!(
            find_view(&config, "at-risk").unwrap().spec.base,
            BaseView::AtRisk
        );
        assert_eq!(
            find_view(&config, "My_Queue").unwrap().spec.base,
            BaseView::MyQueue
        );
        let err = find_view(&config, "urgent").unwrap_err();
        assert!(
            err.contains("unknown view 'urgent'") && err.contains("breached"),
            "{err}"
        );
    }

    #[test]
    fn config_views_extend_the_builtins() {
        let config = Config::parse(
            "[[views]]\nname = \"payments-major\"\nbase = \"all_open\"\nservice = \"checkout\"\npriority_max = 2\nsort = \"sla_due\"\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let view = find_view(&config, "payments-major").unwrap();
        let ctx = ViewContext {
            me: "alice",
            my_group: None,
            now: from_epoch_seconds(1_800_000_000),
            config: &config,
        };
        let q = view.query(&ctx, Some("timeout".into()));
        assert_eq!(q.service.as_deref(), Some("checkout"));
        assert_eq!(q.priority_max, Some(Priority::new(2).unwrap()));
        assert_eq!(q.sort, TicketSort::SlaDue);
        assert_eq!(q.text.as_deref(), Some("timeout"));
        assert_eq!(q.filter, TicketFilter::Open);
    }

    #[test]
    fn personal_views_use_who_is_looking() {
        let config = Config::default();
        let ctx = ViewContext {
            me: "alice",
            my_group: Some("platform"),
            now: from_epoch_seconds(1_800_000_000),
            config: &config,
        };
        let mine = find_view(&config, "my_queue").unwrap().query(&ctx, None);
        assert_eq!(mine.assignee.as_deref(), Some("alice"));
        let group = find_view(&config, "my_group").unwrap().query(&ctx, None);
        assert_eq!(group.group.as_deref(), Some("platform"));
        let risk = find_view(&config, "at_risk").unwrap().query(&ctx, None);
        let TicketFilter::SlaAtRisk { margins, .. } = risk.filter else {
            panic!()
        };
        assert_eq!(margins[0], 30 * 60, "P1 margin from the default config");
    }
}
