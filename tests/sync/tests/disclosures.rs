//! The patient lets the clinic disclose to an outside recipient and reads the
//! clinic's accounting of disclosures on the phone: the phone's consent naming
//! the recipient syncs, staff export the record to that recipient (only the
//! consented categories), the phone's `disclosures` call lists when, to whom
//! (name and address), what and why; another recipient, the clinic under its
//! own name, and the same recipient after revocation are refused.

use chrono::Duration;
use steady_clinic::clock::Clock;
use steady_core::{ConsentCategory, ConsentGrant, ConsentState, NewLapse};
use steady_sync_tests::clinic::{storages, Clinic};
use steady_sync_tests::transport::Wire;
use steady_sync_tests::Phone;

fn export_path(patient: &str, recipient: &str) -> String {
    format!(
        "/v1/staff/patients/{patient}/fhir?purpose=care%20coordination&recipient={}\
         &recipient_address=2%20Elm%20St",
        recipient.replace(' ', "%20")
    )
}

fn observation_codes(bundle: &serde_json::Value) -> Vec<String> {
    let mut codes: Vec<String> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Observation")
        .map(|r| r["code"]["coding"][0]["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn the_clinic_discloses_to_an_outside_recipient_the_phone_named_and_the_phone_reads_it() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (patient, code) = clinic.patient("Sam Rivera");
        let phone = Phone::new(Duration::zero());
        phone.enroll(&code, clinic.url(), &Wire);
        assert!(phone
            .steady
            .disclosures(&Wire)
            .expect("accounting")
            .is_empty());
        phone.grant(&[ConsentCategory::Cravings, ConsentCategory::Lapses]);
        phone.craving(6, None);
        phone
            .steady
            .log_lapse(NewLapse {
                substances: vec!["alcohol".into()],
                ..NewLapse::default()
            })
            .expect("lapse");
        let outside = phone
            .steady
            .grant_consent(ConsentGrant {
                categories: vec![ConsentCategory::Cravings, ConsentCategory::Checkins],
                purpose: Some("care by my family doctor".into()),
                signature: "Sam Rivera".into(),
                recipient: Some("Elm Street Family Practice".into()),
                recipient_address: Some("2 Elm St".into()),
                ..ConsentGrant::default()
            })
            .expect("outside consent");
        assert_eq!(outside.len(), 2);
        phone.sync_until_done(&Wire);
        let checkins = &phone.steady.consent_status().unwrap()[3];
        assert_eq!(checkins.category, ConsentCategory::Checkins);
        assert_eq!(
            checkins.state,
            ConsentState::NotGranted,
            "the outside consent shares nothing with the clinic"
        );

        let bundle = clinic.staff(
            "GET",
            &export_path(&patient, "Elm Street Family Practice"),
            None,
        );
        assert_eq!(
            bundle["resourceType"], "Bundle",
            "{}: {bundle}",
            storage.name
        );
        assert_eq!(
            observation_codes(&bundle),
            ["craving"],
            "{}: cravings only, not the lapse the clinic holds",
            storage.name
        );
        let accounting = phone.steady.disclosures(&Wire).expect("accounting");
        assert_eq!(accounting.len(), 1, "{}", storage.name);
        let entry = &accounting[0];
        assert_eq!(entry.recipient_name, "Elm Street Family Practice");
        assert_eq!(entry.recipient_address, "2 Elm St");
        assert_eq!(entry.purpose, "care coordination");
        assert_eq!(
            entry.description,
            "FHIR R4 record export: checkins, cravings"
        );
        assert_eq!(entry.disclosed_at_ms, clinic.clock.now_ms());

        let clinic_name = phone.steady.enrollment().unwrap().unwrap().clinic_name;
        for other in ["Hillside Clinic", clinic_name.as_str()] {
            let (status, refused) = clinic.staff_answer("GET", &export_path(&patient, other), None);
            assert_eq!(status, 403, "{other}: {refused}");
            assert_eq!(refused["error"]["code"], "forbidden", "{other}: {refused}");
        }

        let revoked = phone
            .steady
            .revoke_outside_consent(
                "elm street family practice".into(),
                vec![ConsentCategory::Cravings, ConsentCategory::Checkins],
            )
            .expect("revoke");
        assert_eq!(revoked.len(), 2);
        phone.sync_until_done(&Wire);
        let (status, refused) = clinic.staff_answer(
            "GET",
            &export_path(&patient, "Elm Street Family Practice"),
            None,
        );
        assert_eq!(status, 403, "{refused}");
        assert_eq!(refused["error"]["code"], "forbidden", "{refused}");
        assert_eq!(
            phone.steady.disclosures(&Wire).expect("accounting").len(),
            1,
            "{}: a refusal is not a disclosure",
            storage.name
        );
    }
}
