pub mod footer;
pub mod form_popup;
pub mod help;
pub mod hints;
pub mod messages;
pub mod moving_in;
pub mod stacked_bars;
pub mod status_bar;
pub mod tabs;
pub mod view_line;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A box of the given size centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// How many of `len` lines fit in `rows`, and how many are left for an "… and N more"
/// line, which takes a row itself.
pub fn fit(len: usize, rows: usize) -> (usize, usize) {
    let shown = if len > rows {
        rows.saturating_sub(1)
    } else {
        len
    };
    (shown, len - shown)
}

/// Shares `total` rows among stacked boxes that each need `needs[i]`: the rows go
/// round one at a time to the boxes still wanting more, so a short screen shows the
/// top of every box rather than all of the first.
pub fn allocate(needs: &[u16], total: u16) -> Vec<u16> {
    let mut given = vec![0; needs.len()];
    let mut left = total;
    while left > 0 {
        let mut moved = false;
        for (g, need) in given.iter_mut().zip(needs) {
            if left > 0 && *g < *need {
                *g += 1;
                left -= 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    given
}

/// What a table's one `Fill` column gets of `total` columns: the row less the fixed
/// columns and one column of spacing between each two, so its cells can end in `…`.
pub fn fill_room(total: u16, widths: &[ratatui::layout::Constraint]) -> usize {
    let fixed: u16 = widths
        .iter()
        .map(|w| match w {
            ratatui::layout::Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let spacing = u16::try_from(widths.len().saturating_sub(1)).unwrap_or(u16::MAX);
    usize::from(total.saturating_sub(fixed).saturating_sub(spacing))
}

#[cfg(test)]
mod tests {
    use super::{allocate, fit};

    #[test]
    fn a_list_longer_than_its_box_ends_with_how_many_are_hidden() {
        assert_eq!(fit(3, 6), (3, 0));
        assert_eq!(fit(6, 6), (6, 0));
        assert_eq!(fit(8, 6), (5, 3));
        assert_eq!(fit(4, 0), (0, 4));
    }

    #[test]
    fn rows_go_first_to_every_box_then_to_those_that_need_more() {
        assert_eq!(allocate(&[4, 10, 3], 30), [4, 10, 3], "room for all");
        assert_eq!(allocate(&[4, 10, 6], 12), [4, 4, 4]);
        assert_eq!(allocate(&[1, 10], 6), [1, 5]);
        assert_eq!(allocate(&[5, 5], 3), [2, 1], "never more than there is");
    }
}
