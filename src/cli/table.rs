//! Aligned plain-text tables for list commands. Cells are sanitised and measured in
//! terminal columns, so wide characters and hostile text line up and stay inert.

use crate::display::truncate;
use crate::domain::sanitize_line;
use unicode_width::UnicodeWidthStr;

/// Renders rows under a header, each column as wide as its widest cell (capped).
pub fn render(header: &[&str], rows: &[Vec<String>], max_widths: &[usize]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| {
                    truncate(
                        &sanitize_line(cell),
                        max_widths.get(i).copied().unwrap_or(usize::MAX),
                    )
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            cells
                .iter()
                .map(|r| r[i].width())
                .chain([h.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |row: Vec<&str>| {
        let last = row.len() - 1;
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push('\n');
    };
    line(header.to_vec());
    for row in &cells {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_in_terminal_columns() {
        let out = render(
            &["KEY", "TITLE"],
            &[
                vec!["TKT-1".into(), "日本語".into()],
                vec!["TKT-10".into(), "ok".into()],
            ],
            &[10, 10],
        );
        assert_eq!(out, "KEY     TITLE\nTKT-1   日本語\nTKT-10  ok\n");
    }

    #[test]
    fn long_and_hostile_cells_are_cut_and_cleaned() {
        let out = render(&["T"], &[vec!["\u{1b}[31mabcdefghij".into()]], &[6]);
        assert_eq!(out, "T\nabcde…\n");
    }
}
