//! Export, backup, restore and import against real encrypted databases.
//! Bundles and CSV files are also written to `$STEADY_EXPORT_OUT` when it is
//! set, for the independent validator (scripts/test-fhir.sh).

use super::*;
use crate::test_support::{utc, TestDb};
use crate::{
    AttendanceStatus, CravingOutcome, DoseStatus, FixedClock, Frequency, NewCraving,
    NewDailyCheckIn, NewLapse, NewMedication, Recurrence, ScheduleSource, SessionKind,
    SessionSeries, Weekday,
};
use serde_json::Value;

const PASSPHRASE: &str = "correct horse battery";

fn ms(rfc3339: &str) -> i64 {
    utc(rfc3339).timestamp_millis()
}

/// A week of a patient's life in New York: a session attended and one
/// missed, doses taken and skipped, cravings (one with a note that needs
/// quoting in CSV, one marked unsafe), a lapse, check-ins, a PHQ-9 with item 9
/// above 0, a GAD-7 and a coping plan entry.
fn a_week() -> TestDb {
    let db = TestDb::new("2026-03-13T20:00:00Z", "America/New_York");
    let s = &db.steady;
    let series = s
        .save_session_series(SessionSeries {
            id: String::new(),
            uid: None,
            kind: SessionKind::Group,
            title: "Evening group".into(),
            location: Some("Room 2".into()),
            video_url: None,
            time_zone: "America/New_York".into(),
            start_local: "2026-03-09T18:00".into(),
            duration_min: 180,
            recurrence: Some(Recurrence {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: vec![Weekday::Mon, Weekday::Wed],
                until: None,
                count: None,
                rules: Vec::new(),
                extra_starts: Vec::new(),
            }),
            changes: Vec::new(),
            source: ScheduleSource::Clinic,
        })
        .unwrap();
    s.record_attendance(
        &format!("{}@2026-03-09T18:00", series.id),
        AttendanceStatus::Attended,
    )
    .unwrap();
    s.record_attendance(
        &format!("{}@2026-03-11T18:00", series.id),
        AttendanceStatus::Missed,
    )
    .unwrap();
    let med = s
        .add_medication(NewMedication {
            name: "Buprenorphine".into(),
            dose: Some("8 mg".into()),
            times: vec!["08:00".into()],
            start_date: Some("2026-03-09".into()),
            ..Default::default()
        })
        .unwrap();
    s.confirm_dose(&med.id, DoseStatus::Taken, Some("2026-03-10T08:00"))
        .unwrap();
    s.confirm_dose(&med.id, DoseStatus::TakenLate, Some("2026-03-11T08:00"))
        .unwrap();
    s.confirm_dose(&med.id, DoseStatus::Skipped, Some("2026-03-12T08:00"))
        .unwrap();
    s.log_craving(NewCraving {
        intensity: 6,
        note: Some("after the call, \"again\"\nsecond line".into()),
        occurred_at_ms: Some(ms("2026-03-10T21:00:00Z")),
        triggers: vec!["stress".into(), "people".into()],
        coping_tried: vec!["urge_surfing".into()],
        outcome: Some(CravingOutcome::Passed),
        duration_minutes: Some(15),
        ..Default::default()
    })
    .unwrap();
    s.log_craving(NewCraving {
        intensity: 9,
        occurred_at_ms: Some(ms("2026-03-12T03:00:00Z")),
        marked_unsafe: true,
        ..Default::default()
    })
    .unwrap();
    s.log_lapse(NewLapse {
        occurred_at_ms: Some(ms("2026-03-12T02:00:00Z")),
        substances: vec!["alcohol".into()],
        helped: Some("calling my sister".into()),
        ..Default::default()
    })
    .unwrap();
    for day in 9..=12 {
        s.record_daily_checkin(NewDailyCheckIn {
            mood: 3,
            strongest_craving: Some(4),
            local_date: Some(format!("2026-03-{day:02}")),
            ..Default::default()
        })
        .unwrap();
    }
    s.submit_phq9(vec![1, 2, 1, 1, 0, 1, 2, 0, 1]).unwrap();
    s.submit_gad7(vec![1, 1, 2, 0, 1, 1, 0]).unwrap();
    s.add_to_coping_plan(crate::PlanSection::Reason, "my kids".into())
        .unwrap();
    db
}

/// Writes an export file where the independent validator reads them.
fn hand_to_validator(prefix: &str, files: &[ExportFile]) {
    let Some(dir) = std::env::var_os("STEADY_EXPORT_OUT") else {
        return;
    };
    let dir = std::path::Path::new(&dir).join(format!("core-{prefix}"));
    std::fs::create_dir_all(&dir).unwrap();
    for file in files {
        std::fs::write(dir.join(&file.name), &file.content).unwrap();
    }
}

fn bundle_of(db: &TestDb) -> Value {
    let export = db.steady.export_record(ExportFormat::Fhir).unwrap();
    hand_to_validator("fhir", &export.files);
    serde_json::from_str(&export.files[0].content).unwrap()
}

fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn codes(resource: &Value) -> Vec<String> {
    resource["code"]["coding"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_plain_export_warns_and_offers_the_encrypted_backup_first() {
    let db = a_week();
    for format in [ExportFormat::Fhir, ExportFormat::Csv, ExportFormat::Json] {
        let export = db.steady.export_record(format).unwrap();
        assert_eq!(export.warning, PLAIN_EXPORT_WARNING);
        assert!(export.warning.contains("not encrypted"));
        assert_eq!(export.safer_option, "encrypted_backup");
        assert!(!export.files.is_empty());
    }
}

#[test]
fn the_fhir_export_maps_every_record_kind() {
    let db = a_week();
    let bundle = bundle_of(&db);
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "document");
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(entries[0]["resource"]["resourceType"], "Composition");
    assert_eq!(resources(&bundle, "Patient").len(), 1);

    let observations = resources(&bundle, "Observation");
    let cravings: Vec<_> = observations
        .iter()
        .filter(|o| codes(o) == ["craving"])
        .collect();
    assert_eq!(cravings.len(), 2);
    let first = cravings.iter().find(|o| o["valueInteger"] == 6).unwrap();
    // 21:00Z on 03-10 is 17:00 in New York, daylight time (-04:00).
    assert_eq!(first["effectiveDateTime"], "2026-03-10T17:00:00-04:00");
    assert_eq!(first["code"]["coding"][0]["system"], fhir::STEADY_CODES);
    assert!(first["note"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("after the call"));

    let phq9_total = observations
        .iter()
        .find(|o| codes(o) == ["44261-6"])
        .unwrap();
    assert_eq!(phq9_total["valueInteger"], 9);
    let item9 = phq9_total["component"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"]["coding"][0]["code"] == "44260-8")
        .expect("PHQ-9 item 9 with its LOINC code");
    assert_eq!(item9["valueInteger"], 1);
    let panel = observations
        .iter()
        .find(|o| codes(o) == ["44249-1"])
        .unwrap();
    assert_eq!(
        panel["hasMember"][0]["reference"],
        format!("Observation/{}", phq9_total["id"].as_str().unwrap())
    );
    let gad7 = observations
        .iter()
        .find(|o| codes(o) == ["70274-6"])
        .unwrap();
    assert_eq!(gad7["valueInteger"], 6);

    let responses = resources(&bundle, "QuestionnaireResponse");
    assert_eq!(responses.len(), 2);
    assert!(responses
        .iter()
        .any(|r| r["questionnaire"] == "https://steady.app/fhir/Questionnaire/phq9"));
    assert_eq!(
        phq9_total["derivedFrom"][0]["reference"]
            .as_str()
            .unwrap()
            .split('/')
            .next(),
        Some("QuestionnaireResponse")
    );

    let appointments = resources(&bundle, "Appointment");
    let mut statuses: Vec<_> = appointments
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["fulfilled", "noshow"]);
    let attended = appointments
        .iter()
        .find(|a| a["status"] == "fulfilled")
        .unwrap();
    assert_eq!(attended["start"], "2026-03-09T18:00:00-04:00");
    assert_eq!(attended["end"], "2026-03-09T21:00:00-04:00");
    assert_eq!(attended["extension"][0]["valueCode"], "patient");

    let doses = resources(&bundle, "MedicationAdministration");
    let mut dose_statuses: Vec<_> = doses
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    dose_statuses.sort();
    assert_eq!(dose_statuses, ["completed", "completed", "not-done"]);
    assert_eq!(resources(&bundle, "MedicationStatement").len(), 1);

    // The unsafe craving and PHQ-9 item 9 above 0 both raise a safety flag.
    let flags = resources(&bundle, "Flag");
    let mut flag_codes: Vec<_> = flags.iter().flat_map(|f| codes(f)).collect();
    flag_codes.sort();
    assert_eq!(flag_codes, ["marked-unsafe", "phq9-item9-positive"]);
    // The patient's own export carries no disclosure labels.
    assert!(entries
        .iter()
        .all(|e| e["resource"]["meta"]["security"].is_null()));
}

#[test]
fn a_clinic_disclosure_labels_every_resource_and_carries_the_notice_and_scope() {
    let db = a_week();
    let dump = db.steady.read(|c| dump::read(c, Scope::Export, 0)).unwrap();
    let context = fhir::BundleContext {
        patient_id: "p-1".into(),
        patient_name: None,
        generated_at_ms: ms("2026-03-13T20:00:00Z"),
        time_zone: "America/New_York".into(),
        disclosure: Some(fhir::Disclosure {
            discloser: "Riverside IOP".into(),
            recipient: "Lakeside Health, 1 Main St".into(),
            purpose: "continuity of care".into(),
            categories: vec!["cravings".into()],
            notice: "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
                .into(),
        }),
    };
    let bundle = fhir::bundle(&records::from_dump(&dump), &context);
    hand_to_validator(
        "disclosure",
        &[ExportFile {
            name: "disclosure.fhir.json".into(),
            media_type: "application/fhir+json".into(),
            content: bundle.to_string(),
        }],
    );
    for entry in bundle["entry"].as_array().unwrap() {
        let labels = entry["resource"]["meta"]["security"].as_array().unwrap();
        assert!(labels.iter().any(|l| l["code"] == "42CFRPart2"));
    }
    let composition = &bundle["entry"][0]["resource"];
    let notice = composition["section"][0]["text"]["div"].as_str().unwrap();
    assert!(notice.contains("42 CFR part 2 prohibits unauthorized use or disclosure"));
    let scope = composition["section"][1]["text"]["div"].as_str().unwrap();
    assert!(scope.contains("Lakeside Health") && scope.contains("cravings"));
}

#[test]
fn csv_files_have_their_documented_columns_and_rfc4180_quoting() {
    let db = a_week();
    let export = db.steady.export_record(ExportFormat::Csv).unwrap();
    hand_to_validator("csv", &export.files);
    let documented = csv::columns();
    assert_eq!(export.files.len(), documented.len());
    for (file, (name, columns)) in export.files.iter().zip(&documented) {
        assert_eq!(&file.name, name);
        let header = file.content.lines().next().unwrap();
        assert_eq!(header, columns.join(","));
    }
    let cravings = &export
        .files
        .iter()
        .find(|f| f.name == "cravings.csv")
        .unwrap()
        .content;
    // A note with a quote and a line break is one quoted field.
    assert!(cravings.contains("\"after the call, \"\"again\"\"\nsecond line\""));
    assert!(cravings.contains("2026-03-10T17:00:00-04:00"));
    let doses = &export
        .files
        .iter()
        .find(|f| f.name == "doses.csv")
        .unwrap()
        .content;
    assert_eq!(doses.lines().count(), 4);
}

/// What the patient sees: Today, the report and the lists behind history.
/// Today's sync state is left out: it describes this phone's own sync queue,
/// which a plain export does not carry (a backup does).
fn what_the_patient_sees(steady: &Steady) -> String {
    let (from, to) = (0, ms("2027-01-01T00:00:00Z"));
    let mut today = steady.today().unwrap();
    today.sync.waiting.clear();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        today,
        steady.progress(None).unwrap(),
        steady.list_cravings(from, to).unwrap(),
        steady.list_lapses(from, to).unwrap(),
        steady.list_questionnaire_responses(from, to).unwrap(),
        steady.daily_checkin_history("2026-03-12").unwrap(),
        steady.coping_plan().unwrap(),
    )
}

#[test]
fn a_json_export_imports_on_a_fresh_install_with_the_same_today_progress_and_history() {
    let db = a_week();
    let export = db.steady.export_record(ExportFormat::Json).unwrap();
    hand_to_validator("json", &export.files);
    let fresh = TestDb::new("2026-03-13T20:00:00Z", "America/New_York");
    let imported = fresh
        .steady
        .import_record(export.files[0].content.as_bytes())
        .unwrap();
    assert!(imported.rows >= 17, "{imported:?}");
    assert_eq!(
        what_the_patient_sees(&fresh.steady),
        what_the_patient_sees(&db.steady)
    );
    // Importing twice would duplicate: refused, nothing changed.
    let again = fresh
        .steady
        .import_record(export.files[0].content.as_bytes());
    assert!(matches!(again, Err(Error::Invalid { field, .. }) if field == "export"));
    assert_eq!(
        what_the_patient_sees(&fresh.steady),
        what_the_patient_sees(&db.steady)
    );
}

#[test]
fn an_import_naming_an_unknown_column_is_refused_whole() {
    let db = a_week();
    let export = db.steady.export_record(ExportFormat::Json).unwrap();
    let mut json: Value = serde_json::from_str(&export.files[0].content).unwrap();
    json["tables"]["lapse"][0]["secret"] = Value::from(1);
    let fresh = TestDb::new("2026-03-13T20:00:00Z", "America/New_York");
    let err = fresh
        .steady
        .import_record(json.to_string().as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, reason } if field == "tables.lapse[0]" && reason.contains("secret"))
    );
    let (from, to) = (0, ms("2027-01-01T00:00:00Z"));
    assert!(fresh.steady.list_cravings(from, to).unwrap().is_empty());
    assert!(matches!(
        fresh.steady.import_record(b"{\"format\": \"other\"}"),
        Err(Error::Invalid { .. })
    ));
}

fn restore_into(path: &std::path::Path, backup: &[u8], passphrase: &str) -> Result<Steady> {
    let clock = Arc::new(FixedClock::new(
        utc("2026-03-14T12:00:00Z"),
        "America/New_York",
    ));
    Steady::restore_backup(path, &[9; KEY_LEN], clock, backup, passphrase).map(|(s, _)| s)
}

#[test]
fn a_backup_restores_the_whole_database_under_a_new_key() {
    let db = a_week();
    let backup = db.steady.create_backup(PASSPHRASE).unwrap();
    assert_eq!(&backup[..8], b"STEADYBK");
    assert!(!backup.windows(6).any(|w| w == b"stress"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-phone.db");
    let restored = restore_into(&path, &backup, PASSPHRASE).unwrap();
    let restored_at = |steady: &Steady| {
        steady
            .read(|c| dump::read(c, Scope::Backup, 0))
            .unwrap()
            .tables
            .into_iter()
            .filter(|(t, _)| t != "backup_restore")
            .collect::<Vec<_>>()
    };
    assert_eq!(restored_at(&restored), restored_at(&db.steady));
    let pending: i64 = restored
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM backup_restore WHERE sync_resumed_at_ms IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(pending, 1);
    // The same record on the same instant on both phones.
    drop(restored);
    let clock = Arc::new(FixedClock::new(
        utc("2026-03-13T20:00:00Z"),
        "America/New_York",
    ));
    let reopened = Steady::open(&path, &[9; KEY_LEN], clock).unwrap();
    assert_eq!(
        what_the_patient_sees(&reopened),
        what_the_patient_sees(&db.steady)
    );
}

#[test]
fn a_wrong_passphrase_or_a_damaged_backup_is_refused_and_changes_nothing() {
    let db = a_week();
    let backup = db.steady.create_backup(PASSPHRASE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phone.db");
    // A database already there (say, the one the lost key no longer opens).
    std::fs::write(&path, b"the old file").unwrap();

    let wrong = restore_into(&path, &backup, "not my passphrase");
    assert!(matches!(wrong, Err(Error::WrongPassphrase)));

    let mut damaged = backup.clone();
    let last = damaged.len() - 20;
    damaged[last] ^= 0x40;
    assert!(matches!(
        restore_into(&path, &damaged, PASSPHRASE),
        Err(Error::DamagedBackup { .. })
    ));
    assert!(matches!(
        restore_into(&path, &backup[..backup.len() / 2], PASSPHRASE),
        Err(Error::DamagedBackup { .. })
    ));
    assert!(matches!(
        restore_into(&path, b"not a backup", PASSPHRASE),
        Err(Error::DamagedBackup { .. })
    ));
    let mut absurd = backup.clone();
    absurd[9..13].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        restore_into(&path, &absurd, PASSPHRASE),
        Err(Error::DamagedBackup { .. })
    ));

    assert_eq!(std::fs::read(&path).unwrap(), b"the old file");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
}

#[test]
fn a_short_passphrase_is_refused() {
    let db = a_week();
    let err = db.steady.create_backup("short").unwrap_err();
    assert!(matches!(err, Error::Invalid { field, .. } if field == "passphrase"));
}

#[test]
fn clinic_recorded_kinds_slot_into_the_same_mapping() {
    let mut set = RecordSet::new();
    set.push(
        records::DRUG_SCREEN,
        serde_json::json!({"id": "u1", "substance": "fentanyl", "result": "negative",
            "specimen": "urine", "collected_at_ms": ms("2026-03-10T15:00:00Z"),
            "time_zone": "America/New_York", "recorded_by": "clinic"}),
    );
    set.push(
        records::ATTENDANCE,
        serde_json::json!({"occurrence_id": "s1@2026-03-09T18:00", "series_id": "s1",
            "status": "excused", "recorded_at_ms": ms("2026-03-10T15:00:00Z"),
            "time_zone": "America/New_York", "recorded_by": "clinic"}),
    );
    let context = fhir::BundleContext {
        patient_id: "p-2".into(),
        patient_name: Some("Sam Rivera".into()),
        generated_at_ms: ms("2026-03-13T20:00:00Z"),
        time_zone: "America/New_York".into(),
        disclosure: None,
    };
    let bundle = fhir::bundle(&set, &context);
    hand_to_validator(
        "clinic-kinds",
        &[ExportFile {
            name: "clinic-kinds.fhir.json".into(),
            media_type: "application/fhir+json".into(),
            content: bundle.to_string(),
        }],
    );
    let screen = resources(&bundle, "Observation")[0];
    assert_eq!(screen["category"][0]["coding"][0]["code"], "laboratory");
    assert_eq!(screen["valueString"], "negative");
    assert_eq!(screen["effectiveDateTime"], "2026-03-10T11:00:00-04:00");
    let appointment = resources(&bundle, "Appointment")[0];
    assert_eq!(appointment["status"], "cancelled");
    assert_eq!(appointment["extension"][0]["valueCode"], "clinic");
}
