//! The clinic's encrypted database, its online backup and a restore
//! (issue 17, point 11): a backup taken while the server serves, restored
//! into a fresh server on the same address, which real phones (the core)
//! then sync with — nothing lost, nothing applied twice.

use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use steady_clinic::app::AppState;
use steady_clinic::audit::Actor;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clinic_records;
use steady_clinic::clock::ManualClock;
use steady_clinic::store::{backup_sqlite, Backend, Db, DbKey, Mode};
use steady_core::ConsentCategory;
use steady_protocol::ChangeKind;
use steady_sync_tests::clinic::T0_MS;
use steady_sync_tests::transport::Wire;
use steady_sync_tests::Phone;

fn key() -> DbKey {
    DbKey::from_hex(&"5e".repeat(32)).unwrap()
}

fn serve(path: &std::path::Path, listen: &str) -> (Db, BackgroundServer) {
    let db = Db::open(&Backend::SqliteEncrypted {
        path: path.to_path_buf(),
        key: key(),
    })
    .expect("open encrypted clinic database");
    let state = AppState {
        db: db.clone(),
        clock: Arc::new(ManualClock::at(T0_MS)),
    };
    let server = BackgroundServer::start(listen, state).expect("start");
    (db, server)
}

fn cravings_held(db: &Db, patient_id: &str) -> Vec<String> {
    db.transact(Mode::Read, |tx| {
        tx.query(
            "SELECT record_id FROM records WHERE patient_id = $1 AND record_type = 'craving'
             ORDER BY record_id",
            &[patient_id.into()],
        )?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<Vec<_>, _>>()
    })
    .unwrap()
}

fn author_message(db: &Db, patient_id: &str, body: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    db.transact(Mode::Write, |tx| {
        clinic_records::write_change(
            tx,
            &Actor::Admin,
            patient_id,
            ChangeKind::Message,
            &id,
            Some(&json!({"from": "Dana", "body": body})),
            T0_MS,
        )
    })
    .unwrap();
    id
}

#[test]
fn a_restored_backup_serves_existing_phones_without_loss_or_duplication() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("clinic.db");
    let (db, server) = serve(&live, "127.0.0.1:0");
    let listen = server.base.trim_start_matches("http://").to_string();
    let added = steady_clinic::admin::add_patient(&db, "Sam Rivera", T0_MS).unwrap();
    let patient = added.patient.patient_id;
    let phone = Phone::new(chrono::Duration::zero());
    phone.enroll(&added.enrollment.code, &server.base, &Wire);
    phone.grant(&[ConsentCategory::Cravings]);
    let mut saved: BTreeSet<String> = (0..3).map(|i| phone.craving(i, None)).collect();
    let first_message = author_message(&db, &patient, "Welcome");
    phone.sync_until_done(&Wire);

    // Online: the server keeps serving while the snapshot is taken.
    let backup = dir.path().join("backup.db");
    backup_sqlite(&live, Some(&key()), &backup, &key()).expect("backup");
    let (status, _) = steady_sync_tests_status(&server.base);
    assert_eq!(status, 200, "still serving after the backup");

    // Both files are encrypted: no SQLite header, and no key opens nothing.
    for file in [&live, &backup] {
        let header = std::fs::read(file).unwrap();
        assert_ne!(&header[..16], b"SQLite format 3\0", "{}", file.display());
        assert!(Db::open(&Backend::Sqlite(file.to_path_buf())).is_err());
    }

    // The clinic loses its server; a fresh one is restored on the same address.
    drop(server);
    drop(db);
    let restored = dir.path().join("restored.db");
    backup_sqlite(&backup, Some(&key()), &restored, &key()).expect("restore");
    assert!(
        backup_sqlite(&backup, Some(&key()), &restored, &key()).is_err(),
        "a restore never overwrites a database"
    );
    let (db, _server) = serve(&restored, &listen);
    assert_eq!(cravings_held(&db, &patient).len(), 3);

    // The phone goes on: new records arrive once, old ones are not resent.
    saved.extend((3..5).map(|i| phone.craving(i, None)));
    let second_message = author_message(&db, &patient, "See you Monday");
    let report = phone.sync_until_done(&Wire);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(
        cravings_held(&db, &patient)
            .into_iter()
            .collect::<BTreeSet<_>>(),
        saved
    );
    let pushes: i64 = db
        .transact(Mode::Read, |tx| {
            tx.query_opt(
                "SELECT last_seq FROM devices WHERE patient_id = $1",
                &[patient.as_str().into()],
            )?
            .unwrap()
            .int(0)
        })
        .unwrap();
    assert_eq!(
        pushes, 6,
        "one consent and five cravings, each numbered once"
    );
    assert!(phone.steady.pending_outbox().unwrap().is_empty());
    let mut expected = vec![first_message, second_message];
    expected.sort();
    assert_eq!(phone.clinic_record_ids(), expected);
}

fn steady_sync_tests_status(base: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(&format!("{base}/openapi.json")).call().unwrap();
    (
        response.status().as_u16(),
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}
