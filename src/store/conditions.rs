//! A WHERE clause built piece by piece, its parameters numbered as they are added.

use super::db::{Param, Value, as_params};

/// Builds a WHERE clause with numbered parameters.
#[derive(Default)]
pub(super) struct Conditions {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// Adds a parameter and returns its placeholder.
    pub(super) fn param(&mut self, value: impl Param) -> String {
        self.values.push(value.value().to_owned());
        format!("?{}", self.values.len())
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

    /// The parameters in placeholder order.
    pub(super) fn params(&self) -> Vec<&dyn Param> {
        as_params(&self.values)
    }
}
