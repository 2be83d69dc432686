//! Randomized runs against a real clinic server: a patient logs and deletes
//! cravings and lapses, grants and revokes consent, staff write and retract clinic
//! records, and syncs meet random faults. After a final consent and a clean
//! sync, the clinic holds every saved record exactly once (no mutation ever
//! applied twice, none refused), the phone holds every clinic record, and
//! both sides agree.

use chrono::Duration;
use proptest::prelude::*;
use std::collections::BTreeMap;
use steady_core::{ConsentCategory, NewLapse};
use steady_sync_tests::clinic::{self, storages, Clinic};
use steady_sync_tests::transport::{Fault, Faulty, Wire, ALL_FAULTS};
use steady_sync_tests::Phone;

#[derive(Debug, Clone)]
enum Step {
    Log { intensity: u8, note: bool },
    Delete(usize),
    Lapse,
    DeleteLapse(usize),
    Grant(ConsentCategory),
    Revoke(ConsentCategory),
    Author,
    Retract(usize),
    Sync(Vec<Fault>),
    Wait(i64),
}

fn category() -> impl Strategy<Value = ConsentCategory> {
    prop_oneof![
        Just(ConsentCategory::Cravings),
        Just(ConsentCategory::Notes)
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..=10, any::<bool>()).prop_map(|(intensity, note)| Step::Log { intensity, note }),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => Just(Step::Lapse),
        1 => any::<usize>().prop_map(Step::DeleteLapse),
        2 => category().prop_map(Step::Grant),
        1 => category().prop_map(Step::Revoke),
        2 => Just(Step::Author),
        1 => any::<usize>().prop_map(Step::Retract),
        4 => proptest::collection::vec(proptest::sample::select(ALL_FAULTS.to_vec()), 0..4)
            .prop_map(Step::Sync),
        1 => (1i64..600).prop_map(Step::Wait),
    ]
}

fn run(clinic: &Clinic, steps: &[Step]) -> Result<(), TestCaseError> {
    let (patient, code) = clinic.patient("Sam Rivera");
    let phone = Phone::new(Duration::zero());
    phone.enroll(&code, clinic.url(), &Wire);
    let faulty = Faulty::new();
    let mut cravings: Vec<String> = Vec::new();
    let mut lapses: Vec<String> = Vec::new();
    let mut authored: Vec<String> = Vec::new();
    let mut rejected = Vec::new();
    for step in steps {
        match step {
            Step::Log { intensity, note } => {
                let note = note.then_some("a note");
                cravings.push(phone.craving(*intensity, note));
            }
            Step::Delete(i) if !cravings.is_empty() => {
                let id = cravings.remove(i % cravings.len());
                phone.steady.delete_craving(&id).expect("delete");
            }
            Step::Lapse => {
                let logged = phone.steady.log_lapse(NewLapse::default()).expect("lapse");
                lapses.push(logged.lapse.id);
            }
            Step::DeleteLapse(i) if !lapses.is_empty() => {
                let id = lapses.remove(i % lapses.len());
                phone.steady.delete_lapse(&id).expect("delete lapse");
            }
            Step::Grant(c) => phone.grant(&[*c]),
            Step::Revoke(c) => {
                phone.steady.revoke_consent(vec![*c]).expect("revoke");
            }
            Step::Author => {
                authored.push(clinic.author(&patient, "message", clinic::message("hello")));
            }
            Step::Retract(i) if !authored.is_empty() => {
                let id = authored.remove(i % authored.len());
                clinic.retract(&patient, "message", &id);
            }
            Step::Sync(faults) => {
                faulty.script(faults);
                if let Ok(report) = phone.steady.sync(&faulty) {
                    rejected.extend(report.rejected);
                }
            }
            Step::Delete(_) | Step::DeleteLapse(_) | Step::Retract(_) => {}
            Step::Wait(minutes) => phone.clock.advance(Duration::minutes(*minutes)),
        }
    }
    phone.grant(&[ConsentCategory::Cravings, ConsentCategory::Lapses]);
    let report = phone.sync_until_done(&faulty);
    rejected.extend(report.rejected);

    prop_assert!(rejected.is_empty(), "refused: {:?}", rejected);
    prop_assert!(faulty.applied_twice().is_empty());
    prop_assert!(phone.steady.pending_outbox().unwrap().is_empty());

    let records = clinic.records(&patient);
    let mut lapses_at_clinic: Vec<String> = records
        .iter()
        .filter(|r| r["record_type"] == "lapse" && r["deleted"] == false)
        .map(|r| r["record_id"].as_str().unwrap_or_default().to_string())
        .collect();
    lapses_at_clinic.sort();
    let mut lapses_on_phone: Vec<String> = phone
        .steady
        .list_lapses(0, i64::MAX / 2)
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    lapses_on_phone.sort();
    prop_assert_eq!(lapses_at_clinic, lapses_on_phone);

    let at_clinic: BTreeMap<String, i64> = records
        .into_iter()
        .filter(|r| r["record_type"] == "craving" && r["deleted"] == false)
        .map(|r| {
            let id = r["record_id"].as_str().unwrap_or_default().to_string();
            (id, r["payload"]["intensity"].as_i64().unwrap_or(-1))
        })
        .collect();
    let on_phone: BTreeMap<String, i64> = phone
        .steady
        .list_cravings(0, i64::MAX / 2)
        .unwrap()
        .into_iter()
        .map(|c| (c.id, i64::from(c.intensity)))
        .collect();
    prop_assert_eq!(at_clinic, on_phone);

    let mut clinic_side = authored.clone();
    clinic_side.sort();
    prop_assert_eq!(clinic_side, phone.clinic_record_ids());
    Ok(())
}

#[test]
fn phone_and_clinic_converge_whatever_the_faults() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let config = ProptestConfig {
            cases: 24,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        proptest!(config, |(steps in proptest::collection::vec(step(), 1..40))| {
            run(&clinic, &steps)?;
        });
    }
}
