//! The engine's state machine against a scripted in-memory clinic: a transport
//! that follows protocol v1 (sequence numbers, per-mutation answers, consent
//! checks, paged pulls) and can lose, fail or refuse on demand. The real
//! server is exercised by tests/sync.

use super::*;
use crate::consent::{ConsentCategory, ConsentGrant, ConsentState};
use crate::outbox::{self, Operation};
use crate::{Error, FixedClock, NewCraving, Steady};
use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use steady_protocol::{
    ChangeKind, ClinicChange, Consent, EnrollRequest, EnrollResponse, ErrorBody, ErrorCode,
    MutationOutcome, MutationResult, Operation as WireOp, PullRequest, PushRequest,
};

/// What the scripted clinic does with the next request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    /// The request never arrives.
    LoseRequest,
    /// The server commits, the answer is lost.
    LoseResponse,
    /// A 503 before anything is processed.
    ServerError,
    /// The device was revoked by staff.
    Revoked,
}

#[derive(Default)]
struct Clinic {
    last_seq: i64,
    records: BTreeMap<(String, String), Value>,
    applied_seqs: Vec<i64>,
    consents: BTreeMap<String, Consent>,
    changes: Vec<ClinicChange>,
    faults: VecDeque<Option<Fault>>,
    requests: Vec<(String, Value)>,
    now_ms: i64,
}

struct Scripted(Mutex<Clinic>);

impl Scripted {
    fn new() -> Arc<Self> {
        Arc::new(Scripted(Mutex::new(Clinic {
            now_ms: start().timestamp_millis(),
            ..Clinic::default()
        })))
    }
    fn clinic(&self) -> std::sync::MutexGuard<'_, Clinic> {
        self.0.lock().unwrap()
    }
    fn fail_next(&self, faults: &[Option<Fault>]) {
        self.clinic().faults.extend(faults.iter().copied());
    }
    fn author(&self, kind: ChangeKind, id: &str, op: WireOp, payload: Value) {
        let mut c = self.clinic();
        let cursor = c.changes.len() as i64 + 1;
        c.changes.push(ClinicChange {
            cursor,
            kind,
            record_id: id.to_string(),
            operation: op,
            payload,
            authored_at_ms: 1,
        });
    }
}

fn json_response(status: u16, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: serde_json::to_vec(body).unwrap(),
    }
}

fn error(status: u16, code: ErrorCode) -> HttpResponse {
    json_response(status, &ErrorBody::new(code, "scripted"))
}

impl Transport for Scripted {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut c = self.clinic();
        let fault = c.faults.pop_front().flatten();
        if fault == Some(Fault::LoseRequest) {
            return Err(TransportError::Network {
                reason: "lost".into(),
            });
        }
        let path = request
            .url
            .trim_start_matches("http://clinic.test")
            .to_string();
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        c.requests.push((path.clone(), body.clone()));
        if fault == Some(Fault::ServerError) {
            return Ok(error(503, ErrorCode::Internal));
        }
        if fault == Some(Fault::Revoked) {
            return Ok(error(403, ErrorCode::DeviceRevoked));
        }
        let response = match path.as_str() {
            "/v1/enroll" => {
                let req: EnrollRequest = serde_json::from_value(body).unwrap();
                if req.code != "ABCD-EFGH" {
                    return Ok(error(410, ErrorCode::CodeUsed));
                }
                json_response(
                    201,
                    &EnrollResponse {
                        device_id: "device-1".into(),
                        device_token: "token-secret".into(),
                        clinic_name: "Riverside IOP".into(),
                        protocol_version: 1,
                    },
                )
            }
            "/v1/sync/push" => {
                let req: PushRequest = serde_json::from_value(body).unwrap();
                let mut results = Vec::new();
                for m in req.mutations {
                    let outcome = if m.seq <= c.last_seq {
                        MutationOutcome::Duplicate
                    } else if m.record_type == "consent" {
                        let consent: Consent = serde_json::from_value(m.payload).unwrap();
                        c.consents.insert(consent.consent_id.clone(), consent);
                        MutationOutcome::Applied
                    } else if !c
                        .consents
                        .values()
                        .any(|k| k.category == m.category && k.is_current(c.now_ms))
                    {
                        MutationOutcome::Rejected {
                            reason: format!("no current consent for {}", m.category),
                        }
                    } else {
                        c.applied_seqs.push(m.seq);
                        c.records.insert((m.record_type, m.record_id), m.payload);
                        MutationOutcome::Applied
                    };
                    c.last_seq = c.last_seq.max(m.seq);
                    results.push(MutationResult {
                        seq: m.seq,
                        outcome,
                    });
                }
                json_response(200, &json!({"results": results, "last_seq": c.last_seq}))
            }
            "/v1/sync/pull" => {
                let req: PullRequest = serde_json::from_value(body).unwrap();
                let limit = 2;
                let after: Vec<_> = c
                    .changes
                    .iter()
                    .filter(|ch| ch.cursor > req.cursor)
                    .cloned()
                    .collect();
                let page: Vec<_> = after.iter().take(limit).cloned().collect();
                let next = page.last().map_or(req.cursor, |ch| ch.cursor);
                json_response(
                    200,
                    &json!({"changes": page, "next_cursor": next, "has_more": after.len() > limit}),
                )
            }
            _ => error(404, ErrorCode::NotFound),
        };
        if fault == Some(Fault::LoseResponse) {
            return Err(TransportError::Timeout {
                reason: "lost".into(),
            });
        }
        Ok(response)
    }
}

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 4, 15, 0, 0).unwrap()
}

struct Phone {
    steady: Steady,
    clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

fn phone() -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(start(), "America/New_York"));
    let steady = Steady::open(dir.path().join("p.db"), &[7u8; 32], clock.clone()).unwrap();
    Phone {
        steady,
        clock,
        _dir: dir,
    }
}

fn enrolled(clinic: &Scripted) -> Phone {
    let p = phone();
    p.steady
        .enroll("ABCD-EFGH", "http://clinic.test/", None, clinic)
        .unwrap();
    p
}

fn grant(p: &Phone, categories: &[ConsentCategory]) {
    p.steady
        .grant_consent(ConsentGrant {
            categories: categories.to_vec(),
            signature: "Sam Rivera".into(),
            ..ConsentGrant::default()
        })
        .unwrap();
}

fn craving(p: &Phone, intensity: u8, note: Option<&str>) -> String {
    p.steady
        .log_craving(NewCraving {
            intensity,
            note: note.map(str::to_string),
            ..NewCraving::default()
        })
        .unwrap()
        .id
}

/// Queues a record of another concern's type, as its module would.
fn queue(p: &Phone, record_type: &str, payload: Value) -> String {
    let id = crate::ids::new_id();
    p.steady
        .write(|tx| {
            outbox::record(
                tx,
                record_type,
                &id,
                Operation::Upsert,
                &payload,
                p.steady.now(),
            )
        })
        .unwrap();
    id
}

fn pushed_types(clinic: &Scripted) -> Vec<String> {
    clinic
        .clinic()
        .records
        .keys()
        .map(|(t, _)| t.clone())
        .collect()
}

#[test]
fn nothing_leaves_the_phone_before_consent() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    craving(&p, 6, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.held, 1);
    let pushes = clinic
        .clinic()
        .requests
        .iter()
        .filter(|(path, _)| path == "/v1/sync/push")
        .count();
    assert_eq!(pushes, 0, "no push request at all without consent");
}

#[test]
fn held_records_are_shared_after_consent_with_higher_sequence_numbers() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    let held = craving(&p, 6, None);
    grant(&p, &[ConsentCategory::Attendance]);
    queue(&p, "attendance", json!({"status": "attended"}));
    let first = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(first.applied, 2, "attendance consent and the attendance");
    assert_eq!(first.held, 1);
    grant(&p, &[ConsentCategory::Cravings]);
    let second = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(second.applied, 2, "cravings consent and the held craving");
    assert_eq!(second.held, 0);
    assert!(clinic
        .clinic()
        .records
        .contains_key(&("craving".to_string(), held)));
    assert!(second.rejected.is_empty());
}

#[test]
fn categories_without_consent_stay_on_the_phone() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 3, None);
    queue(&p, "lapse", json!({"what": "x"}));
    queue(&p, "dose", json!({"status": "taken"}));
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(pushed_types(&clinic), vec!["craving"]);
    assert_eq!(report.held, 2);
    let status = p.steady.consent_status().unwrap();
    let lapses = status
        .iter()
        .find(|s| s.category == ConsentCategory::Lapses)
        .unwrap();
    assert_eq!(lapses.state, ConsentState::NotGranted);
    assert_eq!(lapses.held_records, 1);
}

#[test]
fn notes_are_withheld_unless_notes_are_consented() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    let quiet = craving(&p, 5, Some("private words"));
    p.steady.sync(clinic.as_ref()).unwrap();
    let sent = clinic.clinic().records[&("craving".to_string(), quiet)].clone();
    assert_eq!(sent["intensity"], 5);
    assert!(sent.get("note").is_none());
    grant(&p, &[ConsentCategory::Notes]);
    let shared = craving(&p, 4, Some("shared words"));
    p.steady.sync(clinic.as_ref()).unwrap();
    let sent = clinic.clinic().records[&("craving".to_string(), shared)].clone();
    assert_eq!(sent["note"], "shared words");
}

#[test]
fn revoking_stops_sharing_at_once_and_later_records_are_held() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 2, None);
    p.steady.sync(clinic.as_ref()).unwrap();
    let revoked = p
        .steady
        .revoke_consent(vec![ConsentCategory::Cravings])
        .unwrap();
    assert_eq!(revoked.len(), 1);
    craving(&p, 8, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 1, "only the revocation travels");
    assert_eq!(report.held, 1);
    assert_eq!(clinic.clinic().records.len(), 1);
    assert!(clinic
        .clinic()
        .consents
        .values()
        .all(|c| c.revoked_at_ms.is_some()));
    let state = &p.steady.consent_status().unwrap()[2];
    assert_eq!(state.state, ConsentState::Revoked);
}

#[test]
fn a_consent_for_an_outside_recipient_travels_but_shares_nothing_with_the_clinic() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    let outside = p
        .steady
        .grant_consent(ConsentGrant {
            categories: vec![ConsentCategory::Cravings],
            purpose: Some("care by my family doctor".into()),
            signature: "Sam Rivera".into(),
            recipient: Some("Lakeside Health".into()),
            recipient_address: Some("1 Main St, Springfield".into()),
            ..ConsentGrant::default()
        })
        .unwrap();
    craving(&p, 6, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 1, "only the consent travels");
    assert_eq!(
        report.held, 1,
        "the craving waits for consent to the clinic"
    );
    assert!(clinic.clinic().records.is_empty());
    let sent = clinic.clinic().consents[&outside[0].id].clone();
    assert_eq!(sent.recipient, "Lakeside Health");
    assert_eq!(
        sent.recipient_address.as_deref(),
        Some("1 Main St, Springfield")
    );
    p.steady
        .revoke_outside_consent("lakeside health".into(), vec![ConsentCategory::Cravings])
        .unwrap();
    p.steady.sync(clinic.as_ref()).unwrap();
    assert!(clinic.clinic().consents[&outside[0].id]
        .revoked_at_ms
        .is_some());
    assert!(clinic.clinic().records.is_empty());
}

#[test]
fn an_expired_consent_stops_sharing() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    p.steady
        .grant_consent(ConsentGrant {
            categories: vec![ConsentCategory::Cravings],
            expires_at_ms: Some((start() + Duration::days(2)).timestamp_millis()),
            signature: "Sam Rivera".into(),
            ..ConsentGrant::default()
        })
        .unwrap();
    p.clock.advance(Duration::days(3));
    craving(&p, 4, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.held, 1);
    assert!(clinic.clinic().records.is_empty());
    assert_eq!(
        p.steady.consent_status().unwrap()[2].state,
        ConsentState::Expired
    );
}

#[test]
fn a_lost_response_is_retried_and_answered_as_duplicate() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 6, None);
    clinic.fail_next(&[Some(Fault::LoseResponse)]);
    assert!(matches!(
        p.steady.sync(clinic.as_ref()),
        Err(Error::Unavailable { .. })
    ));
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.duplicates, 2);
    assert_eq!(
        clinic.clinic().applied_seqs,
        vec![2],
        "applied exactly once"
    );
    assert!(p.steady.pending_outbox().unwrap().is_empty());
}

#[test]
fn a_lost_request_or_server_error_loses_nothing() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 6, None);
    clinic.fail_next(&[Some(Fault::LoseRequest)]);
    assert!(p.steady.sync(clinic.as_ref()).is_err());
    clinic.fail_next(&[Some(Fault::ServerError)]);
    assert!(matches!(
        p.steady.sync(clinic.as_ref()),
        Err(Error::Unavailable { .. })
    ));
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 2);
    assert_eq!(clinic.clinic().applied_seqs, vec![2]);
}

#[test]
fn a_rejection_does_not_block_the_queue() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    p.steady.sync(clinic.as_ref()).unwrap();
    // The clinic lost the consent (it expired at the server's clock, say).
    clinic.clinic().consents.clear();
    let refused = craving(&p, 1, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].record_id, refused);
    assert!(report.rejected[0].reason.contains("consent"));
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 2, None);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 2);
    assert!(p.steady.pending_outbox().unwrap().is_empty());
}

#[test]
fn a_revoked_device_gets_a_typed_error_and_enrolling_again_resends_unacknowledged_rows() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    craving(&p, 6, None);
    clinic.fail_next(&[Some(Fault::Revoked)]);
    assert!(matches!(
        p.steady.sync(clinic.as_ref()),
        Err(Error::DeviceRevoked)
    ));
    // The new device starts with no sequence at the server.
    clinic.clinic().last_seq = 0;
    clinic.clinic().consents.clear();
    p.steady
        .enroll("ABCD-EFGH", "http://clinic.test", None, clinic.as_ref())
        .unwrap();
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(pushed_types(&clinic), vec!["craving"]);
}

#[test]
fn pull_applies_pages_and_a_lost_page_is_pulled_again() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    for i in 0..3 {
        clinic.author(
            ChangeKind::Message,
            &format!("m{i}"),
            WireOp::Upsert,
            json!({"from": "Dana", "body": format!("hello {i}")}),
        );
    }
    clinic.author(
        ChangeKind::SessionSeries,
        "s1",
        WireOp::Upsert,
        json!({"title": "Evening group"}),
    );
    clinic.author(ChangeKind::Message, "m0", WireOp::Delete, Value::Null);
    // The first page is applied, the second page's answer is lost.
    clinic.fail_next(&[None, Some(Fault::LoseResponse)]);
    assert!(p.steady.sync(clinic.as_ref()).is_err());
    assert_eq!(p.steady.clinic_records(None).unwrap().len(), 2);
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.clinic_changes, 3);
    let messages = p.steady.clinic_records(Some("message".into())).unwrap();
    let ids: Vec<_> = messages.iter().map(|m| m.record_id.as_str()).collect();
    assert_eq!(ids, vec!["m1", "m2"]);
    assert_eq!(
        p.steady
            .clinic_records(Some("session_series".into()))
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        p.steady.clinic_records(Some("lapse".into())),
        Err(Error::Invalid { field, .. }) if field == "kind"
    ));
}

#[test]
fn enrollment_checks_its_input_and_reports_a_used_code() {
    let clinic = Scripted::new();
    let p = phone();
    let field = |r: crate::Result<EnrollmentInfo>| match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        field(
            p.steady
                .enroll(" ", "http://clinic.test", None, clinic.as_ref())
        ),
        "code"
    );
    assert_eq!(
        field(p.steady.enroll("ABCD", "ftp://x", None, clinic.as_ref())),
        "server_url"
    );
    assert!(matches!(
        p.steady
            .enroll("ZZZZ-ZZZZ", "http://clinic.test", None, clinic.as_ref()),
        Err(Error::Refused { status: 410, .. })
    ));
    assert!(p.steady.enrollment().unwrap().is_none());
    assert!(matches!(
        p.steady.sync(clinic.as_ref()),
        Err(Error::NotEnrolled)
    ));
    let info = p
        .steady
        .enroll("ABCD-EFGH", "http://clinic.test", None, clinic.as_ref())
        .unwrap();
    assert_eq!(info.clinic_name, "Riverside IOP");
    assert!(!format!("{info:?}").contains("token-secret"));
    let stored = p.steady.read(enrollment::load).unwrap().unwrap();
    assert!(!format!("{stored:?}").contains("token-secret"));
}

#[test]
fn requests_carry_the_device_token_and_sequence_numbers_in_order() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings, ConsentCategory::Lapses]);
    craving(&p, 1, None);
    craving(&p, 2, None);
    p.steady.sync(clinic.as_ref()).unwrap();
    let c = clinic.clinic();
    let push = &c
        .requests
        .iter()
        .find(|(p, _)| p == "/v1/sync/push")
        .unwrap()
        .1;
    let seqs: Vec<i64> = push["mutations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
    assert_eq!(push["device_id"], "device-1");
}

#[test]
fn a_record_deleted_before_it_was_ever_shared_is_never_disclosed() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    let kept = craving(&p, 3, None);
    let withdrawn = craving(&p, 9, None);
    p.steady.delete_craving(&withdrawn).unwrap();
    grant(&p, &[ConsentCategory::Cravings]);
    let shared_then_deleted = craving(&p, 5, None);
    p.steady.sync(clinic.as_ref()).unwrap();
    p.steady.delete_craving(&shared_then_deleted).unwrap();
    p.steady.sync(clinic.as_ref()).unwrap();
    let c = clinic.clinic();
    let ids: Vec<&str> = c.records.keys().map(|(_, id)| id.as_str()).collect();
    assert!(ids.contains(&kept.as_str()));
    assert!(!ids.contains(&withdrawn.as_str()), "never disclosed");
    assert_eq!(
        c.records[&("craving".to_string(), shared_then_deleted)],
        Value::Null,
        "a shared record's deletion is synced"
    );
    drop(c);
    assert!(p.steady.pending_outbox().unwrap().is_empty());
}

#[test]
fn a_long_queue_goes_in_pushes_of_at_most_500_in_sequence_order() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    grant(&p, &[ConsentCategory::Cravings]);
    for i in 0..520 {
        craving(&p, (i % 11) as u8, None);
    }
    let report = p.steady.sync(clinic.as_ref()).unwrap();
    assert_eq!(report.applied, 521);
    let c = clinic.clinic();
    let pushes: Vec<Vec<i64>> = c
        .requests
        .iter()
        .filter(|(path, _)| path == "/v1/sync/push")
        .map(|(_, body)| {
            body["mutations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["seq"].as_i64().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(pushes.len(), 2);
    assert_eq!(pushes[0].len(), 500);
    let all: Vec<i64> = pushes.concat();
    assert_eq!(all, (1..=521).collect::<Vec<_>>());
}

#[test]
fn clinic_sessions_and_medication_plans_land_in_the_schedule_and_leave_it_when_retracted() {
    use crate::schedule::ScheduleSource;
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    let series_id = crate::ids::new_id();
    let plan_id = crate::ids::new_id();
    clinic.author(
        ChangeKind::SessionSeries,
        &series_id,
        WireOp::Upsert,
        json!({"kind": "group", "title": "Evening group", "time_zone": "America/New_York",
               "first_date": "2027-01-04", "start_time": "18:00", "duration_minutes": 180,
               "weekdays": ["mon", "wed", "thu"], "until_date": "2027-04-01",
               "cancelled_dates": ["2027-01-18"]}),
    );
    clinic.author(
        ChangeKind::MedicationPlan,
        &plan_id,
        WireOp::Upsert,
        json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"],
               "start_date": "2027-01-04"}),
    );
    // A plan the schedule cannot accept (no time of day) does not block the rest.
    clinic.author(
        ChangeKind::MedicationPlan,
        &crate::ids::new_id(),
        WireOp::Upsert,
        json!({"name": "Broken", "times": [], "start_date": "2027-01-04"}),
    );
    p.steady.sync(clinic.as_ref()).unwrap();
    let series = p.steady.session_series().unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].id, series_id);
    assert_eq!(series[0].source, ScheduleSource::Clinic);
    assert_eq!(series[0].start_local, "2027-01-04T18:00");
    assert_eq!(series[0].changes.len(), 1);
    assert!(series[0].changes[0].cancelled);
    let plans = p.steady.medications().unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].id, plan_id);
    assert_eq!(plans[0].source, ScheduleSource::Clinic);
    assert_eq!(p.steady.clinic_records(None).unwrap().len(), 3);

    clinic.author(
        ChangeKind::SessionSeries,
        &series_id,
        WireOp::Delete,
        Value::Null,
    );
    clinic.author(
        ChangeKind::MedicationPlan,
        &plan_id,
        WireOp::Delete,
        Value::Null,
    );
    p.steady.sync(clinic.as_ref()).unwrap();
    assert!(p.steady.session_series().unwrap().is_empty());
    assert!(p.steady.medications().unwrap().is_empty());
}

#[test]
fn the_patient_cannot_change_or_remove_what_the_clinic_scheduled() {
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    let plan_id = crate::ids::new_id();
    clinic.author(
        ChangeKind::MedicationPlan,
        &plan_id,
        WireOp::Upsert,
        json!({"name": "Naltrexone", "times": ["09:00"], "start_date": "2027-01-04"}),
    );
    clinic.author(
        ChangeKind::SessionSeries,
        "5d0c9a3e-5b7e-4c55-9a39-7d1f1a3c2b10",
        WireOp::Upsert,
        json!({"kind": "individual", "title": "Counseling", "time_zone": "America/New_York",
               "first_date": "2027-01-05", "start_time": "10:00", "duration_minutes": 50,
               "weekdays": ["tue"]}),
    );
    p.steady.sync(clinic.as_ref()).unwrap();
    let field = |r: crate::Result<()>| match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(field(p.steady.remove_medication(&plan_id)), "id");
    let mut plan = p.steady.medications().unwrap().remove(0);
    plan.name = "Something else".into();
    assert_eq!(field(p.steady.save_medication(plan).map(|_| ())), "id");
    let series = p.steady.session_series().unwrap().remove(0);
    assert_eq!(field(p.steady.delete_session_series(&series.id)), "id");
    assert_eq!(p.steady.medications().unwrap()[0].name, "Naltrexone");
    assert_eq!(p.steady.session_series().unwrap().len(), 1);
}

#[test]
fn an_unsafe_record_says_when_the_clinic_will_see_the_flag_in_words_that_fit() {
    let notice = |p: &Phone| {
        p.steady
            .log_craving_with_support(NewCraving {
                intensity: 9,
                marked_unsafe: true,
                ..NewCraving::default()
            })
            .unwrap()
            .crisis_card
            .and_then(|card| card.clinic_notice)
            .unwrap()
    };
    let alone = phone();
    assert!(notice(&alone).contains("not connected to a clinic"));
    let clinic = Scripted::new();
    let p = enrolled(&clinic);
    assert!(notice(&p).contains("you have not agreed to share your cravings"));
    grant(&p, &[ConsentCategory::Cravings]);
    // Monday 10:00 in New York: staff check during clinic hours.
    let open = notice(&p);
    assert!(open.contains("at Steady's next sync") && open.contains("during clinic hours"));
    // Saturday night.
    p.clock
        .set(Utc.with_ymd_and_hms(2027, 1, 10, 3, 0, 0).unwrap());
    let closed = notice(&p);
    assert!(closed.contains("probably closed now"), "{closed}");
    for text in [notice(&alone), open, closed] {
        assert!(
            text.ends_with("call or text 988 or call 911 now."),
            "{text}"
        );
    }
}
