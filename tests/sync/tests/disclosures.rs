//! The patient reads the clinic's accounting of disclosures on the phone:
//! after staff export the record to a recipient the patient's consent names,
//! the phone's `disclosures` call lists when, to whom (name and address),
//! what and why.

use chrono::Duration;
use steady_clinic::clock::Clock;
use steady_core::ConsentCategory;
use steady_sync_tests::clinic::{storages, Clinic};
use steady_sync_tests::transport::Wire;
use steady_sync_tests::Phone;

#[test]
fn the_phone_reads_its_accounting_of_disclosures() {
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
        phone.grant(&[ConsentCategory::Cravings]);
        phone.craving(6, None);
        phone.sync_until_done(&Wire);
        // The consent names the clinic as it introduced itself at enrollment.
        let recipient = phone.steady.enrollment().unwrap().unwrap().clinic_name;
        let bundle = clinic.staff(
            "GET",
            &format!(
                "/v1/staff/patients/{patient}/fhir?purpose=care%20coordination&recipient={}&recipient_address=2%20Elm%20St",
                recipient.replace(' ', "%20")
            ),
            None,
        );
        assert_eq!(bundle["resourceType"], "Bundle", "{}", storage.name);
        let accounting = phone.steady.disclosures(&Wire).expect("accounting");
        assert_eq!(accounting.len(), 1, "{}", storage.name);
        let entry = &accounting[0];
        assert_eq!(entry.recipient_name, recipient);
        assert_eq!(entry.recipient_address, "2 Elm St");
        assert_eq!(entry.purpose, "care coordination");
        assert_eq!(entry.description, "FHIR R4 record export: cravings");
        assert_eq!(entry.disclosed_at_ms, clinic.clock.now_ms());
    }
}
