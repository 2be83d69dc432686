//! The demo clinic is seeded by real phones (steady-core) syncing over HTTP.

mod common;

use common::*;
use steady_clinic::clock::ManualClock;

#[test]
fn demo_patients_sync_what_they_consented_to_and_receive_their_schedule() {
    on_each_backend(|storage| {
        let server = Server::start_with_clock(
            storage,
            ManualClock::at(chrono::Utc::now().timestamp_millis()),
        );
        let phones = tempfile::tempdir().unwrap();
        let report =
            steady_clinic::demo::run(&server.db, &server.base, phones.path(), server.clock_now())
                .unwrap();
        assert_eq!(report.patients.len(), 4);
        for patient in &report.patients {
            assert_eq!(patient.clinic_changes, 4, "{}", patient.name);
        }
        let sam = &report.patients[0];
        // 12 cravings, 4 consents, 2 PHQ-9s, then doses and attendance.
        assert!(sam.applied > 18, "{}", sam.applied);
        assert_eq!(sam.held, 0);
        let jordan = &report.patients[2];
        // The attendance consent and the sessions missed (at least two
        // weekdays fall in any four days).
        assert!(jordan.applied >= 3, "{}", jordan.applied);
        assert_eq!(
            jordan.held, 12,
            "cravings stay on the phone without consent"
        );

        let client = server.client();
        let session = client.ok(
            "POST",
            "/v1/staff/sessions",
            None,
            Some(&serde_json::json!({"email": steady_clinic::demo::STAFF_EMAIL, "password": steady_clinic::demo::STAFF_PASSWORD})),
        );
        let token = session["token"].as_str().unwrap();
        let records = client.ok(
            "GET",
            &format!("/v1/staff/patients/{}/records", sam.patient_id),
            Some(token),
            None,
        );
        let cravings = records["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["record_type"] == "craving")
            .count();
        assert_eq!(cravings, 12);
        let theirs = client.ok(
            "GET",
            &format!("/v1/staff/patients/{}/records", jordan.patient_id),
            Some(token),
            None,
        );
        let theirs = theirs["records"].as_array().unwrap();
        assert!(!theirs.is_empty());
        assert!(theirs.iter().all(|r| r["record_type"] == "attendance"));
        assert!(!report.cli_enrollment_code.is_empty());
        // Every dashboard panel has data: Alex's unsafe craving becomes a
        // flag, and the second clinic has its own patient.
        let flagged = server
            .db
            .transact(steady_clinic::store::Mode::Write, |tx| {
                steady_clinic::flags::sweep(tx, server.clock_now())
            })
            .unwrap();
        assert_eq!(flagged, 1);
        assert!(!report.other_clinic_patient_id.is_empty());
    });
}
