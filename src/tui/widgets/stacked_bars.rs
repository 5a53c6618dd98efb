//! Vertical bars stacked from segments, each segment with its own fill character and
//! style, so the stack reads the same without colour. The bottom row holds the labels,
//! and each bar's total sits on top of it when there is room.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// One part of a bar: how much, drawn with which character and style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub value: u64,
    pub fill: char,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackedBar {
    pub label: String,
    /// Bottom first.
    pub segments: Vec<Segment>,
}

pub struct StackedBars<'a> {
    pub bars: &'a [StackedBar],
    pub bar_width: u16,
    pub gap: u16,
    pub label_style: Style,
}

/// Rows for `value` out of `max` in `height` rows, rounding so that any non-zero
/// value shows at least one row.
fn rows_for(value: u64, max: u64, height: u16) -> u16 {
    if value == 0 || max == 0 {
        return 0;
    }
    (((value * u64::from(height)) as f64 / max as f64).round() as u16).clamp(1, height)
}

impl Widget for StackedBars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < 3 || area.width == 0 {
            return;
        }
        // Bottom row: labels; one row above the tallest bar: its total.
        let chart_height = area.height - 2;
        let base = area.bottom() - 2;
        let max = self
            .bars
            .iter()
            .map(|b| b.segments.iter().map(|s| s.value).sum::<u64>())
            .max()
            .unwrap_or(0);
        for (n, bar) in self.bars.iter().enumerate() {
            let x = area.x + n as u16 * (self.bar_width + self.gap);
            if x + self.bar_width > area.right() {
                break;
            }
            let total: u64 = bar.segments.iter().map(|s| s.value).sum();
            let total_rows = rows_for(total, max, chart_height);
            // Segments share the bar's rows in proportion, bottom first.
            let mut drawn = 0u16;
            let mut running = 0u64;
            for segment in &bar.segments {
                running += segment.value;
                let top = rows_for(running, total, total_rows).max(drawn);
                for row in drawn..top {
                    let y = base - row;
                    for dx in 0..self.bar_width {
                        buf[(x + dx, y)]
                            .set_char(segment.fill)
                            .set_style(segment.style);
                    }
                }
                drawn = top;
            }
            if total > 0 {
                let text = total.to_string();
                if text.len() as u16 <= self.bar_width {
                    buf.set_string(x, base - total_rows, text, self.label_style);
                }
            }
            let label: String = bar.label.chars().take(self.bar_width as usize).collect();
            buf.set_string(x, area.bottom() - 1, label, self.label_style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(buf: &Buffer) -> Vec<String> {
        let area = buf.area;
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    #[test]
    fn segments_stack_bottom_up_in_proportion_with_totals_and_labels() {
        let seg = |value, fill| Segment {
            value,
            fill,
            style: Style::new(),
        };
        let bars = [
            StackedBar {
                label: "w1".into(),
                segments: vec![seg(2, '#'), seg(2, '+')],
            },
            StackedBar {
                label: "w2".into(),
                segments: vec![seg(0, '#'), seg(2, '+')],
            },
            StackedBar {
                label: "w3".into(),
                segments: vec![],
            },
        ];
        let area = Rect::new(0, 0, 8, 6);
        let mut buf = Buffer::empty(area);
        StackedBars {
            bars: &bars,
            bar_width: 2,
            gap: 1,
            label_style: Style::new(),
        }
        .render(area, &mut buf);
        assert_eq!(
            text(&buf),
            [
                "4       ", //
                "++      ", "++ 2    ", "## ++   ", "## ++   ", "w1 w2 w3",
            ]
        );
    }
}
