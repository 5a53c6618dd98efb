//! What changed between two snapshots of a record (the audit log's before and after),
//! field by field, in words people read: `priority P3 → P1`.

use crate::domain::sanitize_line;

/// Fields that change on every write and say nothing to a person.
const QUIET_FIELDS: &[&str] = &[
    "version",
    "updated_at",
    "sla_response_due",
    "sla_resolution_due",
    "sla_response_breached",
    "sla_resolution_breached",
];

fn show(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "-".into(),
        Some(serde_json::Value::String(s)) => sanitize_line(s),
        Some(other) => sanitize_line(&other.to_string()),
    }
}

/// `field old → new` for every field that differs between two snapshots.
pub fn describe_changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    describe_changes_except(before, after, &[])
}

pub fn describe_changes_except(
    before: &serde_json::Value,
    after: &serde_json::Value,
    skip: &[&str],
) -> Vec<String> {
    after
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, value)| {
            !QUIET_FIELDS.contains(&name.as_str())
                && !skip.contains(&name.as_str())
                && before.get(name.as_str()) != Some(value)
        })
        .map(|(name, value)| {
            // Field names as words; values exactly as stored (a login may hold `_`).
            format!(
                "{} {} → {}",
                name.replace('_', " "),
                show(before.get(name.as_str())),
                show(Some(value))
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_described_field_by_field_without_noise() {
        let before = json!({"state": "new", "assignee": null, "version": 1, "updated_at": "x"});
        let after =
            json!({"state": "triaged", "assignee": "chen", "version": 2, "updated_at": "y"});
        assert_eq!(
            describe_changes(&before, &after),
            ["assignee - → chen", "state new → triaged"]
        );
    }
}
