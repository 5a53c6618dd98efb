//! The ITIL impact × urgency → priority matrix. The matrix itself comes from config.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Impact or urgency level: 1 = high, 2 = medium, 3 = low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Level(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a valid level (expected 1 = high, 2 = medium or 3 = low)")]
pub struct InvalidLevel {
    pub value: i64,
}

impl Level {
    pub const HIGH: Level = Level(1);
    pub const MEDIUM: Level = Level(2);
    pub const LOW: Level = Level(3);

    pub fn new(value: i64) -> Result<Self, InvalidLevel> {
        match value {
            1..=3 => Ok(Level(value as u8)),
            _ => Err(InvalidLevel { value }),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "high",
            2 => "medium",
            _ => "low",
        }
    }
}

impl TryFrom<i64> for Level {
    type Error = InvalidLevel;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Level::new(v)
    }
}

impl From<Level> for i64 {
    fn from(l: Level) -> i64 {
        l.0 as i64
    }
}

/// Ticket priority P1 (critical) … P5 (planning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Priority(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a valid priority (expected 1 to 5)")]
pub struct InvalidPriority {
    pub value: i64,
}

impl Priority {
    pub const P1: Priority = Priority(1);
    pub const P5: Priority = Priority(5);

    pub fn new(value: i64) -> Result<Self, InvalidPriority> {
        match value {
            1..=5 => Ok(Priority(value as u8)),
            _ => Err(InvalidPriority { value }),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Priority {
    type Error = InvalidPriority;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Priority::new(v)
    }
}

impl From<Priority> for i64 {
    fn from(p: Priority) -> i64 {
        p.0 as i64
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}

impl std::str::FromStr for Priority {
    type Err = InvalidPriority;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.trim().trim_start_matches(['P', 'p']);
        let value = digits.parse().map_err(|_| InvalidPriority { value: -1 })?;
        Priority::new(value)
    }
}

/// Rows are impact (high → low), columns urgency (high → low).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Vec<i64>>", into = "Vec<Vec<i64>>")]
pub struct PriorityMatrix([[Priority; 3]; 3]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidMatrix {
    #[error("the priority matrix needs 3 rows (impact high, medium, low), found {0}")]
    Rows(usize),
    #[error(
        "row {row} of the priority matrix needs 3 columns (urgency high, medium, low), found {found}"
    )]
    Columns { row: usize, found: usize },
    #[error("row {row}, column {column} of the priority matrix: {source}")]
    Cell {
        row: usize,
        column: usize,
        source: InvalidPriority,
    },
}

impl PriorityMatrix {
    /// The common ITIL matrix: P1 for high/high down to P5 for low/low.
    pub fn itil() -> Self {
        let p = |n| Priority(n);
        PriorityMatrix([[p(1), p(2), p(3)], [p(2), p(3), p(4)], [p(3), p(4), p(5)]])
    }

    pub fn priority(&self, impact: Level, urgency: Level) -> Priority {
        self.0[impact.0 as usize - 1][urgency.0 as usize - 1]
    }
}

impl TryFrom<Vec<Vec<i64>>> for PriorityMatrix {
    type Error = InvalidMatrix;

    fn try_from(rows: Vec<Vec<i64>>) -> Result<Self, Self::Error> {
        if rows.len() != 3 {
            return Err(InvalidMatrix::Rows(rows.len()));
        }
        let mut cells = [[Priority::P1; 3]; 3];
        for (r, row) in rows.iter().enumerate() {
            if row.len() != 3 {
                return Err(InvalidMatrix::Columns {
                    row: r + 1,
                    found: row.len(),
                });
            }
            for (c, value) in row.iter().enumerate() {
                cells[r][c] = Priority::new(*value).map_err(|source| InvalidMatrix::Cell {
                    row: r + 1,
                    column: c + 1,
                    source,
                })?;
            }
        }
        Ok(PriorityMatrix(cells))
    }
}

impl From<PriorityMatrix> for Vec<Vec<i64>> {
    fn from(m: PriorityMatrix) -> Self {
        m.0.iter()
            .map(|row| row.iter().map(|p| i64::from(*p)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(n: i64) -> Level {
        Level::new(n).unwrap()
    }

    #[test]
    fn itil_matrix_maps_every_cell() {
        let m = PriorityMatrix::itil();
        let expected = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];
        for impact in 1..=3 {
            for urgency in 1..=3 {
                assert_eq!(
                    m.priority(lv(impact), lv(urgency)).get() as i64,
                    expected[impact as usize - 1][urgency as usize - 1],
                    "impact {impact} urgency {urgency}"
                );
            }
        }
    }

    #[test]
    fn matrix_from_config_rows_is_validated_with_position() {
        let ok =
            PriorityMatrix::try_from(vec![vec![1, 1, 2], vec![2, 3, 4], vec![3, 4, 5]]).unwrap();
        assert_eq!(ok.priority(Level::HIGH, Level::MEDIUM), Priority::P1);
        assert_eq!(
            PriorityMatrix::try_from(vec![vec![1, 2, 3]]),
            Err(InvalidMatrix::Rows(1))
        );
        assert_eq!(
            PriorityMatrix::try_from(vec![vec![1, 2, 3], vec![2, 3], vec![3, 4, 5]]),
            Err(InvalidMatrix::Columns { row: 2, found: 2 })
        );
        let err = PriorityMatrix::try_from(vec![vec![1, 2, 3], vec![2, 3, 4], vec![3, 4, 9]])
            .unwrap_err();
        assert!(err.to_string().contains("row 3, column 3"), "{err}");
    }

    #[test]
    fn levels_and_priorities_refuse_out_of_range() {
        assert!(Level::new(0).is_err());
        assert!(Level::new(4).is_err());
        assert!(Priority::new(6).is_err());
        assert_eq!("p2".parse::<Priority>(), Ok(Priority(2)));
        assert_eq!(Priority(3).to_string(), "P3");
    }
}
