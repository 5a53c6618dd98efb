//! The change calendar: a week grid (days × two-hour slots), a month grid (changes per
//! day, freezes marked) and an agenda list, each with the cursor day's changes below.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::change::{Change, ChangeState};
use crate::domain::display::truncate;
use crate::domain::{Timestamp, sanitize_line};
use crate::tui::changes_pane::{month_grid_start, week_start};
use crate::tui::state::{CalendarView, ChangeCalendar, State, on_day};
use crate::tui::widgets::hints::key_hints;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// The agenda's columns: key, start, kind, state, risk, conflicts, and the title.
const AGENDA_WIDTHS: [Constraint; 7] = [
    Constraint::Length(8),
    Constraint::Length(12),
    Constraint::Length(9),
    Constraint::Length(11),
    Constraint::Length(1),
    Constraint::Length(2),
    Constraint::Fill(1),
];

fn local_instant(day: NaiveDate, hour: u32) -> Timestamp {
    chrono::Local
        .from_local_datetime(&day.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

fn overlaps(c: &Change, from: Timestamp, to: Timestamp) -> bool {
    matches!((c.planned_start_at, c.planned_end_at), (Some(s), Some(e)) if s < to && from < e)
}

pub fn change_style(state: &State, c: &Change) -> Style {
    let theme = &state.theme;
    let base = match c.state {
        ChangeState::Failed | ChangeState::RolledBack => theme.error(),
        ChangeState::Draft | ChangeState::Submitted => theme.key(),
        ChangeState::Cancelled | ChangeState::Rejected => theme.muted(),
        ChangeState::Completed => theme.info(),
        _ => Style::new(),
    };
    if c.risk >= 4 {
        base.add_modifier(Modifier::BOLD)
    } else {
        base
    }
}

fn frozen(cal: &ChangeCalendar, from: Timestamp, to: Timestamp) -> bool {
    cal.freezes
        .iter()
        .any(|w| w.starts_at < to && from < w.ends_at)
}

fn day_list<'a>(state: &State, cal: &ChangeCalendar, rows: usize) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let visible = cal.visible();
    let start = cal.selected.saturating_sub(rows.saturating_sub(1));
    let mut lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, c)| {
            let time = |t: Option<Timestamp>| {
                t.map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
                    .unwrap_or_default()
            };
            let conflict = cal
                .open_conflicts
                .get(&c.key)
                .map(|n| format!("!{n}"))
                .unwrap_or_else(|| "  ".into());
            let line = Line::from(vec![
                Span::styled(format!(" {:<8}", c.key.to_string()), change_style(state, c)),
                Span::raw(format!(
                    "{}-{} ",
                    time(c.planned_start_at),
                    time(c.planned_end_at)
                )),
                Span::styled(format!("{conflict:<3}"), theme.error()),
                Span::raw(format!(
                    "{:<11} r{} ",
                    crate::domain::display::words(c.state.as_str()),
                    c.risk
                )),
                Span::raw(sanitize_line(&c.title)),
            ]);
            if i == cal.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            " no changes on this day",
            theme.muted(),
        )));
    }
    lines
}

fn week(state: &State, cal: &ChangeCalendar, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let monday = week_start(cal.day);
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let day_width = ((area.width.saturating_sub(6)) / 7).max(6);
    let mut header = vec![Cell::from("")];
    for d in &days {
        let label = d.format("%a %d").to_string();
        let style = if *d == cal.day {
            theme.selected()
        } else {
            theme.header()
        };
        header.push(Cell::from(Span::styled(label, style)));
    }
    let mut rows = Vec::new();
    for slot in 0..12u32 {
        let mut cells = vec![Cell::from(Span::styled(
            format!("{:02}:00", slot * 2),
            theme.muted(),
        ))];
        for d in &days {
            let from = local_instant(*d, slot * 2);
            let to = from + Duration::hours(2);
            let here: Vec<&Change> = cal
                .changes
                .iter()
                .filter(|c| overlaps(c, from, to))
                .collect();
            let cell = match here.first() {
                Some(c) => {
                    let more = if here.len() > 1 {
                        format!("+{}", here.len() - 1)
                    } else {
                        String::new()
                    };
                    let mark = if cal.open_conflicts.contains_key(&c.key) {
                        "!"
                    } else {
                        ""
                    };
                    let text = truncate(&format!("{mark}{}{more}", c.key.0), day_width as usize);
                    Cell::from(Span::styled(format!("#{text}"), change_style(state, c)))
                }
                None if frozen(cal, from, to) => {
                    Cell::from(Span::styled("❄ freeze", theme.muted()))
                }
                None => Cell::from(""),
            };
            cells.push(cell);
        }
        rows.push(Row::new(cells));
    }
    let mut widths = vec![Constraint::Length(5)];
    widths.extend(std::iter::repeat_n(Constraint::Length(day_width), 7));
    let [grid, list] = Layout::vertical([Constraint::Length(13), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header))
            .column_spacing(1),
        grid,
    );
    frame.render_widget(
        Paragraph::new(day_list(state, cal, list.height as usize)),
        list,
    );
}

fn month(state: &State, cal: &ChangeCalendar, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let first = month_grid_start(cal.day);
    let day_width = ((area.width.saturating_sub(2)) / 7).max(6);
    let header: Vec<Cell> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .map(|d| Cell::from(Span::styled(*d, theme.header())))
        .collect();
    let mut rows = Vec::new();
    for week in 0..6 {
        let mut cells = Vec::new();
        for i in 0..7 {
            let d = first + Duration::days(week * 7 + i);
            let count = cal.changes.iter().filter(|c| on_day(c, d)).count();
            let conflicts = cal
                .changes
                .iter()
                .any(|c| on_day(c, d) && cal.open_conflicts.contains_key(&c.key));
            let freeze = frozen(
                cal,
                local_instant(d, 0),
                local_instant(d, 0) + Duration::days(1),
            );
            let mut text = format!("{:>2}", d.day());
            if count > 0 {
                text.push_str(&format!(" {count}"));
            }
            if conflicts {
                text.push('!');
            }
            if freeze {
                text.push_str(" ❄");
            }
            let style = if d == cal.day {
                theme.selected()
            } else if d.month() != cal.day.month() {
                theme.muted()
            } else if conflicts {
                theme.error()
            } else {
                Style::new()
            };
            cells.push(Cell::from(Span::styled(text, style)));
        }
        rows.push(Row::new(cells));
    }
    let widths = vec![Constraint::Length(day_width); 7];
    let [grid, list] = Layout::vertical([Constraint::Length(7), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header))
            .column_spacing(1),
        grid,
    );
    frame.render_widget(
        Paragraph::new(day_list(state, cal, list.height as usize)),
        list,
    );
}

fn agenda(state: &State, cal: &ChangeCalendar, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let visible = cal.visible();
    let height = area.height.saturating_sub(1) as usize;
    let start = cal.selected.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, c)| {
            let title = crate::tui::widgets::fill_room(area.width, &AGENDA_WIDTHS);
            let when = c
                .planned_start_at
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%a %d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let conflict = cal
                .open_conflicts
                .get(&c.key)
                .map(|n| format!("!{n}"))
                .unwrap_or_default();
            let row = Row::new(vec![
                Cell::from(Span::styled(c.key.to_string(), change_style(state, c))),
                Cell::from(when),
                Cell::from(c.kind.as_str()),
                Cell::from(crate::domain::display::words(c.state.as_str())),
                Cell::from(c.risk.to_string()),
                Cell::from(Span::styled(conflict, theme.error())),
                Cell::from(crate::domain::display::truncate(
                    &sanitize_line(&c.title),
                    title,
                )),
            ]);
            if i == cal.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header =
        Row::new(["KEY", "START", "KIND", "STATE", "R", "!", "TITLE"]).style(theme.header());
    let widths = AGENDA_WIDTHS;
    if rows.is_empty() {
        let text = if cal.cab {
            " nothing awaits a CAB decision"
        } else {
            " no changes in these two weeks"
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted())), area);
        return;
    }
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let cal = &state.calendar;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let heading = match (cal.view, cal.cab) {
        (_, true) => "CAB agenda: awaiting decision".to_string(),
        (CalendarView::Week, _) => format!("Week of {}", week_start(cal.day).format("%a %d %b %Y")),
        (CalendarView::Month, _) => cal.day.format("%B %Y").to_string(),
        (CalendarView::Agenda, _) => format!("Two weeks from {}", cal.day.format("%a %d %b")),
    };
    // The legend first, then as many whole key hints as the line has room for.
    let legend = "  ! conflict · ❄ freeze · ";
    let room = usize::from(area.width)
        .saturating_sub(crate::domain::display::width(&heading) + 1)
        .saturating_sub(crate::domain::display::width(legend));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {heading}"), theme.header()),
            Span::styled(
                format!(
                    "{legend}{}",
                    crate::tui::widgets::hints::fit_hints(
                        &key_hints(
                            state,
                            KeyContext::Calendar,
                            &[
                                (Action::WeekView, "week"),
                                (Action::MonthView, "month"),
                                (Action::AgendaView, "agenda"),
                                (Action::CabAgenda, "CAB"),
                                (Action::Today, "today"),
                            ],
                        ),
                        room
                    )
                ),
                theme.muted(),
            ),
        ])),
        title,
    );
    match (cal.view, cal.cab) {
        (_, true) | (CalendarView::Agenda, _) => agenda(state, cal, frame, body),
        (CalendarView::Week, _) => week(state, cal, frame, body),
        (CalendarView::Month, _) => month(state, cal, frame, body),
    }
}
