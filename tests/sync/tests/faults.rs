//! Faults between a phone running the real core and a real clinic server:
//! every fault, on pushes and on pulls, still delivers each saved record to
//! the clinic exactly once and each clinic change to the phone.

use chrono::Duration;
use serde_json::Value;
use std::collections::BTreeSet;
use steady_core::{ConsentCategory, Error};
use steady_sync_tests::clinic::{self, storages, Clinic};
use steady_sync_tests::transport::{Fault, Faulty, RoundRobin, Wire, ALL_FAULTS};
use steady_sync_tests::Phone;

fn record_ids(records: &[Value], record_type: &str) -> BTreeSet<String> {
    records
        .iter()
        .filter(|r| r["record_type"] == record_type && r["deleted"] == false)
        .map(|r| r["record_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn enrolled(clinic: &Clinic, skew: Duration) -> (Phone, String) {
    let (patient_id, code) = clinic.patient("Sam Rivera");
    let phone = Phone::new(skew);
    phone.enroll(&code, clinic.url(), &Wire);
    (phone, patient_id)
}

#[test]
fn every_fault_on_a_push_still_delivers_each_record_exactly_once() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        for fault in ALL_FAULTS {
            let (phone, patient) = enrolled(&clinic, Duration::zero());
            let faulty = Faulty::new();
            phone.grant(&[ConsentCategory::Cravings]);
            let mut saved = BTreeSet::new();
            for round in 0..2 {
                for i in 0..3 {
                    saved.insert(phone.craving(i + round, None));
                }
                faulty.script(&[fault]);
                phone.sync_until_done(&faulty);
            }
            let held = record_ids(&clinic.records(&patient), "craving");
            assert_eq!(held, saved, "{} {fault:?}", storage.name);
            assert!(faulty.applied_twice().is_empty(), "{fault:?}");
            // The consent and every craving were applied, each once.
            assert_eq!(faulty.applied_count(), saved.len() + 1, "{fault:?}");
            assert!(phone.steady.pending_outbox().unwrap().is_empty());
        }
    }
}

#[test]
fn every_fault_on_a_pull_still_brings_each_clinic_change() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        for fault in ALL_FAULTS {
            let (phone, patient) = enrolled(&clinic, Duration::zero());
            let faulty = Faulty::new();
            let mut expected = BTreeSet::new();
            for i in 0..3 {
                expected.insert(clinic.author(
                    &patient,
                    "message",
                    clinic::message(&format!("m{i}")),
                ));
            }
            let dropped =
                clinic.author(&patient, "session_series", clinic::session_series("Group"));
            clinic.retract(&patient, "session_series", &dropped);
            // No consent yet: the first request of a sync is the pull.
            faulty.script(&[fault]);
            phone.sync_until_done(&faulty);
            let expected: Vec<String> = expected.into_iter().collect();
            assert_eq!(
                phone.clinic_record_ids(),
                expected,
                "{} {fault:?}",
                storage.name
            );
        }
    }
}

#[test]
fn a_phone_clock_far_ahead_or_behind_the_clinic_still_converges() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        for skew in [
            Duration::days(3),
            Duration::hours(-30),
            Duration::minutes(7),
        ] {
            let (phone, patient) = enrolled(&clinic, skew);
            phone.grant(&[ConsentCategory::Cravings]);
            let saved: BTreeSet<_> = (0..3).map(|i| phone.craving(i, None)).collect();
            let report = phone.sync_until_done(&Wire);
            assert!(
                report.rejected.is_empty(),
                "{skew:?}: {:?}",
                report.rejected
            );
            assert_eq!(record_ids(&clinic.records(&patient), "craving"), saved);
        }
    }
}

#[test]
fn revoking_on_the_phone_stops_sharing_and_a_new_grant_releases_what_waited() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (phone, patient) = enrolled(&clinic, Duration::zero());
        phone.grant(&[ConsentCategory::Cravings]);
        let first = phone.craving(3, None);
        phone.sync_until_done(&Wire);
        phone
            .steady
            .revoke_consent(vec![ConsentCategory::Cravings])
            .unwrap();
        let waited = phone.craving(7, None);
        let report = phone.sync_until_done(&Wire);
        assert_eq!(report.held, 1);
        let shared = record_ids(&clinic.records(&patient), "craving");
        assert_eq!(shared, BTreeSet::from([first.clone()]));
        phone.grant(&[ConsentCategory::Cravings]);
        let report = phone.sync_until_done(&Wire);
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let shared = record_ids(&clinic.records(&patient), "craving");
        assert_eq!(shared, BTreeSet::from([first, waited]));
    }
}

#[test]
fn notes_reach_the_clinic_only_with_notes_consent() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (phone, patient) = enrolled(&clinic, Duration::zero());
        phone.grant(&[ConsentCategory::Cravings]);
        let private = phone.craving(5, Some("words for me"));
        phone.sync_until_done(&Wire);
        phone.grant(&[ConsentCategory::Notes]);
        let shared = phone.craving(5, Some("words to share"));
        phone.sync_until_done(&Wire);
        let records = clinic.records(&patient);
        let payload = |id: &str| {
            records
                .iter()
                .find(|r| r["record_id"] == id)
                .map(|r| r["payload"].clone())
                .unwrap_or(Value::Null)
        };
        assert!(payload(&private).get("note").is_none());
        assert_eq!(payload(&private)["intensity"], 5);
        assert_eq!(payload(&shared)["note"], "words to share");
    }
}

#[test]
fn a_device_revoked_by_staff_is_refused_until_it_enrolls_again() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (phone, patient) = enrolled(&clinic, Duration::zero());
        phone.grant(&[ConsentCategory::Cravings]);
        let first = phone.craving(2, None);
        phone.sync_until_done(&Wire);
        let device = phone.steady.enrollment().unwrap().unwrap().device_id;
        clinic.revoke_device(&patient, &device);
        let later = phone.craving(4, None);
        assert!(matches!(
            phone.steady.sync(&Wire),
            Err(Error::DeviceRevoked)
        ));
        let code = clinic.staff(
            "POST",
            &format!("/v1/staff/patients/{patient}/enrollment-codes"),
            None,
        )["code"]
            .as_str()
            .unwrap()
            .to_string();
        phone.enroll(&code, clinic.url(), &Wire);
        let report = phone.sync_until_done(&Wire);
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let shared = record_ids(&clinic.records(&patient), "craving");
        assert_eq!(shared, BTreeSet::from([first, later]));
    }
}

#[test]
fn two_server_instances_on_one_database_serve_one_phone_exactly_once() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 2);
        let (phone, patient) = enrolled(&clinic, Duration::zero());
        let spread = RoundRobin::new(clinic.instances.iter().map(|i| i.base.clone()).collect());
        phone.grant(&[ConsentCategory::Cravings]);
        let mut saved = BTreeSet::new();
        for i in 0..4 {
            saved.insert(phone.craving(i, None));
            phone.sync_until_done(&spread);
        }
        let message = clinic.author(&patient, "message", clinic::message("hello"));
        phone.sync_until_done(&spread);
        assert_eq!(record_ids(&clinic.records(&patient), "craving"), saved);
        let on_phone: Vec<_> = phone
            .steady
            .clinic_records(Some("message".into()))
            .unwrap()
            .into_iter()
            .map(|r| r.record_id)
            .collect();
        assert_eq!(on_phone, vec![message]);
    }
}

#[test]
fn the_clinic_schedule_reaches_the_phone_schedule_through_faults() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (phone, patient) = enrolled(&clinic, Duration::zero());
        let series = clinic.author(&patient, "session_series", clinic::session_series("Group"));
        let plan = clinic.author(&patient, "medication_plan", clinic::medication_plan());
        let faulty = Faulty::new();
        faulty.script(&[Fault::LoseResponse, Fault::Duplicate]);
        phone.sync_until_done(&faulty);
        let on_phone = phone.steady.session_series().unwrap();
        assert_eq!(on_phone.len(), 1, "{}", storage.name);
        assert_eq!(on_phone[0].id, series);
        assert_eq!(on_phone[0].time_zone, "America/New_York");
        let plans = phone.steady.medications().unwrap();
        assert_eq!(
            plans.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
            vec![plan]
        );
        clinic.retract(&patient, "session_series", &series);
        phone.sync_until_done(&faulty);
        assert!(phone.steady.session_series().unwrap().is_empty());
    }
}
