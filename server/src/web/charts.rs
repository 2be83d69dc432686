//! Trend charts as SVG drawn on the server (no script, no inline CSS:
//! presentation attributes only, so the strict CSP holds): cravings per
//! week, PHQ-9 and GAD-7 over time against their band lines, attendance
//! hours against the plan, and adherence per medication. Each chart carries
//! a title and a text summary for screen readers.

use super::digest::occurrences;
use super::facts::Facts;
use std::fmt::Write;

const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
const WEEKS: i64 = 8;
const W: f64 = 480.0;
const H: f64 = 160.0;
const PAD: f64 = 28.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(id: &str, title: &str, summary: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
         <line x1=\"{PAD}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
        escape(title),
        escape(summary),
        H - PAD,
        W - 4.0,
        H - PAD
    )
}

/// Bars for each labelled value, a second faint bar for a planned value.
fn bars(id: &str, title: &str, rows: &[(String, f64, Option<f64>)], unit: &str) -> String {
    let max = rows
        .iter()
        .map(|(_, v, p)| v.max(p.unwrap_or(0.0)))
        .fold(1.0, f64::max);
    let summary = rows
        .iter()
        .map(|(label, v, plan)| match plan {
            Some(p) => format!("{label}: {v:.0} of {p:.0} {unit}"),
            None => format!("{label}: {v:.0} {unit}"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = open(id, title, &summary);
    let slot = (W - PAD - 8.0) / rows.len().max(1) as f64;
    let scale = (H - 2.0 * PAD) / max;
    for (i, (label, value, plan)) in rows.iter().enumerate() {
        let x = PAD + 4.0 + i as f64 * slot;
        if let Some(plan) = plan {
            let h = plan * scale;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#d9e2ec\"/>",
                H - PAD - h,
                slot * 0.8
            );
        }
        let h = value * scale;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#1f5f8b\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
            H - PAD - h,
            slot * 0.6,
            x + slot * 0.3,
            H - PAD - h - 3.0,
            if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") },
            x + slot * 0.4,
            H - PAD + 12.0,
            escape(label),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn week_label(i: i64) -> String {
    match i {
        0 => "this wk".to_string(),
        n => format!("-{n} wk"),
    }
}

/// Cravings logged per week, the last 8 weeks.
pub fn cravings_per_week(facts: &Facts, now_ms: i64) -> String {
    let rows: Vec<_> = (0..WEEKS)
        .rev()
        .map(|i| {
            let (from, to) = (now_ms - (i + 1) * WEEK_MS, now_ms - i * WEEK_MS);
            let n = facts
                .cravings
                .iter()
                .filter(|c| c.at_ms > from && c.at_ms <= to)
                .count();
            (week_label(i), n as f64, None)
        })
        .collect();
    bars("cravings", "Cravings per week", &rows, "cravings")
}

/// Hours attended per week against the hours the series planned.
pub fn attendance_hours(facts: &Facts, now_ms: i64) -> String {
    let rows: Vec<_> = (0..WEEKS)
        .rev()
        .map(|i| {
            let (from, to) = (now_ms - (i + 1) * WEEK_MS, now_ms - i * WEEK_MS);
            let planned: i64 = occurrences(facts, from, to).iter().map(|o| o.minutes).sum();
            let attended: i64 = facts
                .attendance
                .iter()
                .filter(|a| a.starts_at_ms > from && a.starts_at_ms <= to)
                .filter(|a| a.status == "attended" || a.status == "late")
                .map(|a| a.minutes)
                .sum();
            (
                week_label(i),
                attended as f64 / 60.0,
                Some(planned as f64 / 60.0),
            )
        })
        .collect();
    bars(
        "attendance",
        "Attendance hours per week (light: planned)",
        &rows,
        "hours",
    )
}

/// Share of confirmed doses taken, per medication.
pub fn adherence(facts: &Facts) -> String {
    let rows: Vec<_> = facts
        .plans
        .iter()
        .map(|(id, plan)| {
            let doses: Vec<_> = facts
                .doses
                .iter()
                .filter(|d| &d.medication_id == id)
                .collect();
            let taken = doses.iter().filter(|d| d.status != "skipped").count();
            let pct = if doses.is_empty() {
                0.0
            } else {
                100.0 * taken as f64 / doses.len() as f64
            };
            (plan.name.clone(), pct, Some(100.0))
        })
        .collect();
    bars(
        "adherence",
        "Doses taken, % of confirmed, per medication",
        &rows,
        "%",
    )
}

/// PHQ-9 and GAD-7 scores over time with the band lines (5, 10, 15, 20).
pub fn scores(facts: &Facts) -> String {
    let points: Vec<_> = facts.scores.iter().collect();
    let summary = if points.is_empty() {
        "No questionnaire answers shared.".to_string()
    } else {
        points
            .iter()
            .map(|s| format!("{} {}", s.instrument.to_uppercase(), s.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut svg = open(
        "scores",
        "PHQ-9 (blue) and GAD-7 (orange) over time",
        &summary,
    );
    let y = |score: i64| H - PAD - (score as f64) * (H - 2.0 * PAD) / 27.0;
    for line in [5, 10, 15, 20] {
        let _ = write!(
            svg,
            "<line x1=\"{PAD}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\
             <text x=\"2\" y=\"{2:.1}\" font-size=\"9\" fill=\"#222\">{line}</text>",
            y(line),
            W - 4.0,
            y(line) + 3.0
        );
    }
    let (first, last) = match (points.first(), points.last()) {
        (Some(a), Some(b)) => (a.at_ms, b.at_ms.max(a.at_ms + 1)),
        _ => (0, 1),
    };
    let x = |at: i64| PAD + 8.0 + (at - first) as f64 * (W - PAD - 24.0) / (last - first) as f64;
    for (instrument, color) in [("phq9", "#1f5f8b"), ("gad7", "#b35900")] {
        let series: Vec<_> = points
            .iter()
            .filter(|s| s.instrument == instrument)
            .collect();
        let path: Vec<String> = series
            .iter()
            .map(|s| format!("{:.1},{:.1}", x(s.at_ms), y(s.score)))
            .collect();
        if path.len() > 1 {
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>",
                path.join(" ")
            );
        }
        for s in series {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>",
                x(s.at_ms),
                y(s.score)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::super::facts::Craving;
    use super::*;

    #[test]
    fn a_chart_is_svg_with_a_title_a_summary_and_no_inline_style() {
        let now = 1_799_064_000_000;
        let facts = Facts {
            cravings: vec![Craving {
                at_ms: now - 1000,
                intensity: 5.0,
                coping: vec![],
                outcome: None,
            }],
            ..Facts::default()
        };
        let svg = cravings_per_week(&facts, now);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"cravings-t\">Cravings per week</title>"));
        assert!(svg.contains("this wk: 1 cravings"));
        assert!(!svg.contains("style="));
        assert!(escape("<b>&").eq("&lt;b&gt;&amp;"));
    }
}
