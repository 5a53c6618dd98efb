//! Selection and scrolling over a list that may be far longer than what is loaded:
//! only the visible window is fetched from the store.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub total: usize,
    pub selected: usize,
    /// Index of the first visible row.
    pub scroll: usize,
    /// How many rows fit on screen.
    pub viewport: usize,
}

impl ListCursor {
    pub fn set_total(&mut self, total: usize) {
        self.total = total;
        self.selected = self.selected.min(total.saturating_sub(1));
        self.keep_selection_visible();
    }

    pub fn set_viewport(&mut self, rows: usize) {
        self.viewport = rows.max(1);
        self.keep_selection_visible();
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.total == 0 {
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, self.total as isize - 1) as usize;
        self.keep_selection_visible();
    }

    pub fn page(&mut self, pages: isize) {
        self.move_by(pages * self.viewport.max(1) as isize);
    }

    pub fn to_top(&mut self) {
        self.selected = 0;
        self.keep_selection_visible();
    }

    pub fn to_bottom(&mut self) {
        self.selected = self.total.saturating_sub(1);
        self.keep_selection_visible();
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.total.saturating_sub(1));
        self.keep_selection_visible();
    }

    fn keep_selection_visible(&mut self) {
        let viewport = self.viewport.max(1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + viewport {
            self.scroll = self.selected + 1 - viewport;
        }
        let max_scroll = self.total.saturating_sub(viewport);
        self.scroll = self.scroll.min(max_scroll);
    }

    /// The visible range, as absolute indexes.
    pub fn visible(&self) -> std::ops::Range<usize> {
        self.scroll..(self.scroll + self.viewport).min(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(total: usize, viewport: usize) -> ListCursor {
        let mut c = ListCursor::default();
        c.set_viewport(viewport);
        c.set_total(total);
        c
    }

    #[test]
    fn moving_past_the_window_scrolls_it() {
        let mut c = cursor(100, 10);
        c.move_by(9);
        assert_eq!((c.selected, c.scroll), (9, 0));
        c.move_by(1);
        assert_eq!((c.selected, c.scroll), (10, 1));
        c.move_by(-5);
        assert_eq!((c.selected, c.scroll), (5, 1));
        c.move_by(-10);
        assert_eq!((c.selected, c.scroll), (0, 0));
    }

    #[test]
    fn paging_and_ends_stay_in_bounds() {
        let mut c = cursor(25, 10);
        c.page(1);
        assert_eq!(c.selected, 10);
        c.page(5);
        assert_eq!((c.selected, c.scroll), (24, 15));
        assert_eq!(c.visible(), 15..25);
        c.to_top();
        assert_eq!((c.selected, c.scroll), (0, 0));
        c.to_bottom();
        assert_eq!(c.selected, 24);
    }

    #[test]
    fn an_empty_list_never_underflows() {
        let mut c = cursor(0, 10);
        c.move_by(3);
        c.page(-1);
        c.to_bottom();
        assert_eq!((c.selected, c.scroll, c.visible()), (0, 0, 0..0));
    }

    #[test]
    fn a_shrinking_list_pulls_the_selection_back() {
        let mut c = cursor(100, 10);
        c.to_bottom();
        c.set_total(20);
        assert_eq!((c.selected, c.scroll), (19, 10));
    }
}
