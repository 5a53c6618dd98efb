//! Aligned plain-text tables for list commands. Cells are sanitised and measured in
//! terminal columns, so wide characters and hostile text line up and stay inert.

use crate::domain::display::truncate;
use crate::domain::{sanitize_line, spreadsheet_cell};
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

/// How a list prints when not as JSON: the aligned table, or whole fields for scripts.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct TextStyle {
    /// Print CSV: a header row, then every field whole.
    #[arg(long, conflicts_with = "plain")]
    pub csv: bool,
    /// Print tab-separated rows without a header, alignment or cutting (for scripts).
    #[arg(long)]
    pub plain: bool,
}

/// Prints rows in the chosen style (cells sanitised in every style).
pub fn print(style: TextStyle, header: &[&str], rows: &[Vec<String>], max_widths: &[usize]) {
    print!("{}", styled(style, header, rows, max_widths));
}

fn styled(style: TextStyle, header: &[&str], rows: &[Vec<String>], max_widths: &[usize]) -> String {
    // Whole fields for other programs: inert in a terminal and in a spreadsheet.
    let clean = |row: &[String]| {
        row.iter()
            .map(|c| spreadsheet_cell(&sanitize_line(c)))
            .collect::<Vec<_>>()
    };
    if style.plain {
        return rows
            .iter()
            .map(|row| clean(row).join("\t") + "\n")
            .collect();
    }
    if style.csv {
        let mut out = csv::Writer::from_writer(Vec::new());
        let _ = out.write_record(header);
        for row in rows {
            let _ = out.write_record(clean(row));
        }
        return String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default();
    }
    render(header, rows, max_widths)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_and_plain_keep_every_field_whole_and_clean() {
        let rows = vec![vec![
            "INC-1".to_string(),
            "a title, with a comma and a very long tail".to_string(),
            "tab\there \u{1b}[31mred".to_string(),
        ]];
        let header = ["KEY", "TITLE", "NOTE"];
        let csv = styled(
            TextStyle {
                csv: true,
                plain: false,
            },
            &header,
            &rows,
            &[5, 5, 5],
        );
        assert_eq!(
            csv,
            "KEY,TITLE,NOTE\nINC-1,\"a title, with a comma and a very long tail\",tab here red\n"
        );
        let plain = styled(
            TextStyle {
                csv: false,
                plain: true,
            },
            &header,
            &rows,
            &[5, 5, 5],
        );
        assert_eq!(
            plain,
            "INC-1\ta title, with a comma and a very long tail\ttab here red\n"
        );
    }

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
