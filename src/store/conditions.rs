//! A WHERE clause built piece by piece, its parameters numbered as they are added.

use rusqlite::types::ToSql;

/// Builds a WHERE clause with numbered parameters.
#[derive(Default)]
pub(super) struct Conditions {
    clauses: Vec<String>,
    pub(super) params: Vec<Box<dyn ToSql>>,
}

impl Conditions {
    /// Adds a parameter and returns its placeholder.
    pub(super) fn param(&mut self, value: impl ToSql + 'static) -> String {
        self.params.push(Box::new(value));
        format!("?{}", self.params.len())
    }

    pub(super) fn clause(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    pub(super) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}
