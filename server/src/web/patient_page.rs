//! One patient's page: the pre-session digest first, then safety flags and
//! their lifecycle, trend charts, what the patient shares and under which
//! consent, the clinic's own records (attendance, drug screens) with their
//! forms, and the patient's devices. A category the patient never consented
//! to share shows as "not shared", never as data. Each view is audited with
//! the staff member and the purpose.

use super::digest::{self, occurrences};
use super::facts::{self, Facts};
use super::page::{age, local_date, local_time, render, WebResult};
use super::session::WebStaff;
use super::{charts, clinic_patient};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::drug_screens::{self, StoredScreen};
use crate::error::{ApiError, ApiResult};
use crate::flags::{self, ASSESSMENTS};
use crate::store::{Mode, Tx};
use crate::{office_hours, staff};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use steady_core::Tz;
use steady_protocol::ConsentCategory;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Deserialize)]
pub struct PurposeQuery {
    #[serde(default)]
    purpose: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

impl PurposeQuery {
    pub fn purpose(&self) -> ApiResult<String> {
        match self.purpose.as_deref() {
            Some(p) if !p.trim().is_empty() => crate::validate::text("purpose", p, 200),
            _ => Ok(staff::DEFAULT_PURPOSE.to_string()),
        }
    }
}

pub struct FlagView {
    pub id: String,
    pub reason: &'static str,
    pub status: String,
    pub raised: String,
    pub age: String,
    pub acknowledged: String,
    pub resolved: String,
    pub outcome: String,
}

pub struct CategoryView {
    pub name: &'static str,
    pub consent: &'static str,
    pub shown: bool,
}

pub struct AttendanceView {
    pub when: String,
    pub status: String,
    pub verified: bool,
    pub self_report: String,
}

pub struct ScreenView {
    pub id: String,
    pub collected_on: String,
    pub specimen: String,
    pub panel: String,
    pub results: Vec<(String, String, String, bool, Option<&'static str>)>,
    pub released: String,
}

pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub enrolled: String,
    pub last_seen: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "patient.html")]
struct PatientPage {
    staff_name: String,
    csrf: String,
    patient_id: String,
    name: String,
    notice: String,
    digest_since: String,
    /// Where the digest counts from and to (for checking it against the records).
    digest_from_ms: i64,
    now_ms: i64,
    digest: digest::Digest,
    craving_mean: String,
    score_lines: Vec<(String, String)>,
    flags: Vec<FlagView>,
    assessments: Vec<(&'static str, &'static str)>,
    categories: Vec<CategoryView>,
    charts: Vec<(&'static str, String)>,
    attendance: Vec<AttendanceView>,
    occurrences: Vec<(String, String)>,
    statuses: [&'static str; 4],
    screens: Vec<ScreenView>,
    substances: [&'static str; 10],
    today: String,
    devices: Vec<DeviceView>,
    recent: Vec<(String, String, String)>,
    /// The plan: (kind, record id, description).
    plan: Vec<(&'static str, String, String)>,
    zone_name: String,
    weekdays: [&'static str; 7],
}

fn consent_of(facts: &Facts, category: &str) -> &'static str {
    let statuses: Vec<&str> = facts
        .scope
        .iter()
        .filter(|c| c.category == category)
        .map(|c| c.status)
        .collect();
    ["current", "expired", "revoked"]
        .into_iter()
        .find(|s| statuses.contains(s))
        .unwrap_or("none")
}

fn staff_name(tx: &mut dyn Tx, actor: &Option<String>) -> ApiResult<String> {
    let Some(actor) = actor else {
        return Ok(String::new());
    };
    let id = actor.strip_prefix("staff:").unwrap_or(actor);
    Ok(tx
        .query_opt("SELECT name FROM staff WHERE id = $1", &[id.into()])?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_else(|| actor.clone()))
}

fn flag_views(tx: &mut dyn Tx, facts: &Facts, zone: Tz, now: i64) -> ApiResult<Vec<FlagView>> {
    let mut out = Vec::new();
    for f in &facts.flags {
        let acknowledged = match f.acknowledged_at_ms {
            Some(at) => format!(
                "{} at {}",
                staff_name(tx, &f.acknowledged_by)?,
                local_time(at, zone)
            ),
            None => String::new(),
        };
        let resolved = match f.resolved_at_ms {
            Some(at) => format!(
                "{} at {}: {}",
                staff_name(tx, &f.resolved_by)?,
                local_time(at, zone),
                f.assessment_label()
            ),
            None => String::new(),
        };
        out.push(FlagView {
            id: f.id.clone(),
            reason: f.reason(),
            status: f.status.clone(),
            raised: local_time(f.raised_at_ms, zone),
            age: age(f.raised_at_ms, now),
            acknowledged,
            resolved,
            outcome: f.outcome.clone().unwrap_or_default(),
        });
    }
    Ok(out)
}

fn screen_views(screens: Vec<StoredScreen>, zone: Tz) -> Vec<ScreenView> {
    screens
        .into_iter()
        .map(|s| ScreenView {
            id: s.id,
            collected_on: s.screen.collected_on,
            specimen: s.screen.specimen.replace('_', " "),
            panel: s.screen.panel,
            results: s
                .screen
                .results
                .iter()
                .map(|r| {
                    (
                        r.substance.clone(),
                        r.result.clone(),
                        r.method.clone(),
                        r.expected,
                        drug_screens::attention(r),
                    )
                })
                .collect(),
            released: s
                .released_at_ms
                .map(|at| local_time(at, zone))
                .unwrap_or_default(),
        })
        .collect()
}

/// The shared records of the last 14 days, newest first, in words.
fn recent_records(facts: &Facts, zone: Tz, now: i64) -> Vec<(String, String, String)> {
    let from = now - 14 * DAY_MS;
    let mut out: Vec<(i64, String, String)> = Vec::new();
    for c in facts.cravings.iter().filter(|c| c.at_ms > from) {
        out.push((
            c.at_ms,
            "Craving".into(),
            format!("intensity {:.0}/10", c.intensity),
        ));
    }
    for at in facts.lapses.iter().filter(|&&at| at > from) {
        out.push((*at, "Lapse".into(), "recorded by the patient".into()));
    }
    for s in facts.scores.iter().filter(|s| s.at_ms > from) {
        out.push((
            s.at_ms,
            s.instrument.to_uppercase(),
            format!("score {}", s.score),
        ));
    }
    for d in facts.doses.iter().filter(|d| d.at_ms > from) {
        let name = facts
            .plans
            .iter()
            .find(|(id, _)| *id == d.medication_id)
            .map_or("Dose", |(_, p)| p.name.as_str());
        out.push((d.at_ms, name.to_string(), d.status.replace('_', " ")));
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.0));
    out.into_iter()
        .take(30)
        .map(|(at, what, detail)| (local_time(at, zone), what, detail))
        .collect()
}

/// `GET /dashboard/patients/{patient_id}`
pub async fn show(
    State(state): State<AppState>,
    web: WebStaff,
    Path(patient_id): Path<String>,
    Query(query): Query<PurposeQuery>,
) -> WebResult<Response> {
    let purpose = query.purpose()?;
    let now = state.clock.now_ms();
    let clinic_id = web.clinic_id.clone();
    let actor = web.actor();
    let page = state
        .db
        .run(Mode::Write, move |tx| {
            clinic_patient(tx, &clinic_id, &patient_id)?;
            flags::sweep(tx, now)?;
            let zone = office_hours::load(tx, &clinic_id)?.zone();
            let facts = facts::load(tx, &patient_id, now)?;
            let questionnaires = tx
                .query(
                    "SELECT record_id, payload FROM clinic_records
                     WHERE patient_id = $1 AND kind = 'questionnaire' ORDER BY updated_at_ms",
                    &[patient_id.clone().into()],
                )?
                .iter()
                .map(|r| {
                    let p: serde_json::Value =
                        serde_json::from_str(&r.text(1)?).unwrap_or_default();
                    Ok((
                        r.text(0)?,
                        format!(
                            "{} every {} at {}",
                            p["title"].as_str().unwrap_or_default(),
                            p["weekday"].as_str().unwrap_or_default(),
                            p["time"].as_str().unwrap_or_default()
                        ),
                    ))
                })
                .collect::<ApiResult<Vec<_>>>()?;
            let flags = flag_views(tx, &facts, zone, now)?;
            let screens = screen_views(drug_screens::of_patient(tx, &patient_id)?, zone);
            let devices = tx
                .query(
                    "SELECT id, name, enrolled_at_ms, last_seen_ms, revoked_at_ms FROM devices
                     WHERE patient_id = $1 ORDER BY enrolled_at_ms, id",
                    &[patient_id.clone().into()],
                )?
                .iter()
                .map(|r| {
                    Ok(DeviceView {
                        id: r.text(0)?,
                        name: r.opt_text(1)?.unwrap_or_else(|| "Phone".into()),
                        enrolled: local_date(r.int(2)?, zone),
                        last_seen: r
                            .opt_int(3)?
                            .map_or("never".into(), |at| format!("{} ago", age(at, now))),
                        revoked: r.opt_int(4)?.is_some(),
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &actor,
                    action: "patient.page.read",
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail: format!("flags={} screens={}", flags.len(), screens.len()),
                },
            )?;
            Ok::<_, ApiError>((facts, flags, screens, devices, zone, questionnaires))
        })
        .await?;
    let (facts, flags, screens, devices, zone, questionnaires) = page;
    let mut plan: Vec<(&'static str, String, String)> = Vec::new();
    for (id, s) in &facts.series {
        let days: Vec<&str> = s
            .weekdays
            .iter()
            .map(|d| match d {
                steady_protocol::Weekday::Mon => "mon",
                steady_protocol::Weekday::Tue => "tue",
                steady_protocol::Weekday::Wed => "wed",
                steady_protocol::Weekday::Thu => "thu",
                steady_protocol::Weekday::Fri => "fri",
                steady_protocol::Weekday::Sat => "sat",
                steady_protocol::Weekday::Sun => "sun",
            })
            .collect();
        plan.push((
            "session_series",
            id.clone(),
            format!(
                "{}: {} at {} ({} min, {}), from {}",
                s.title,
                days.join(", "),
                s.start_time,
                s.duration_minutes,
                s.time_zone,
                s.first_date
            ),
        ));
    }
    for (id, p) in &facts.plans {
        plan.push((
            "medication_plan",
            id.clone(),
            format!(
                "{}{} at {}, from {}",
                p.name,
                p.dose
                    .as_deref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default(),
                p.times.join(", "),
                p.start_date
            ),
        ));
    }
    for (id, label) in questionnaires {
        plan.push(("questionnaire", id, label));
    }
    let digest = digest::digest(&facts, now);
    let categories: Vec<CategoryView> = ConsentCategory::ALL
        .iter()
        .map(|c| {
            let consent = consent_of(&facts, c.as_str());
            CategoryView {
                name: c.as_str(),
                consent,
                shown: consent != "none",
            }
        })
        .collect();
    let shown = |name: &str| categories.iter().any(|c| c.name == name && c.shown);
    let mut chart_list = Vec::new();
    if shown("cravings") {
        chart_list.push(("Cravings", charts::cravings_per_week(&facts, now)));
    }
    if shown("checkins") {
        chart_list.push(("PHQ-9 and GAD-7", charts::scores(&facts)));
    }
    chart_list.push(("Attendance", charts::attendance_hours(&facts, now)));
    if shown("medication") {
        chart_list.push(("Adherence", charts::adherence(&facts)));
    }
    let score_lines = digest
        .scores
        .iter()
        .map(|s| {
            (
                s.title.to_string(),
                format!(
                    "{} ({}){}",
                    s.latest,
                    s.band,
                    s.change
                        .map(|c| format!(", {c:+} since the previous answer"))
                        .unwrap_or_default()
                ),
            )
        })
        .collect();
    let title_of = |series_id: &str| {
        facts
            .series
            .iter()
            .find(|(id, _)| id == series_id)
            .map_or("Session".to_string(), |(_, s)| s.title.clone())
    };
    let attendance = facts
        .attendance
        .iter()
        .rev()
        .take(12)
        .map(|a| AttendanceView {
            when: format!(
                "{} — {}",
                local_time(a.starts_at_ms, zone),
                title_of(&a.series_id)
            ),
            status: a.status.clone(),
            verified: a.verified,
            self_report: a.self_report.clone().unwrap_or_default(),
        })
        .collect();
    let occurrence_choices = occurrences(&facts, now - 14 * DAY_MS, now + DAY_MS)
        .into_iter()
        .rev()
        .map(|o| {
            (
                o.id,
                format!("{} — {}", local_time(o.starts_at_ms, zone), o.title),
            )
        })
        .collect();
    render(&PatientPage {
        staff_name: web.name,
        csrf: web.csrf,
        patient_id: facts.patient_id.clone(),
        name: facts.name.clone(),
        notice: query.notice.unwrap_or_default(),
        digest_since: digest.since_ms.map_or(
            "No attended session on record: the last 7 days".to_string(),
            |at| format!("Since the last attended session, {}", local_time(at, zone)),
        ),
        digest_from_ms: digest.since_ms.unwrap_or(now - 7 * DAY_MS),
        now_ms: now,
        craving_mean: digest
            .craving_mean
            .map(|m| format!("{m:.1}"))
            .unwrap_or_else(|| "—".into()),
        score_lines,
        flags,
        assessments: ASSESSMENTS.to_vec(),
        recent: recent_records(&facts, zone, now),
        charts: chart_list,
        categories,
        attendance,
        occurrences: occurrence_choices,
        statuses: crate::clinic_attendance::STATUSES,
        screens,
        substances: drug_screens::SUBSTANCES,
        today: local_date(now, zone),
        devices,
        plan,
        zone_name: zone.name().to_string(),
        weekdays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        digest,
    })
}
