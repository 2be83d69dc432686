//! The clinic's FHIR export: consent-scoped, labelled 42CFRPart2, with the
//! §2.32 notice and the consent scope; a disclosure to an outside recipient
//! needs a current consent naming it (kept apart from the consents naming the
//! clinic, which it never widens), holds only that consent's categories and
//! lands in the patient's accounting of disclosures. Bundles go to
//! $STEADY_EXPORT_OUT for scripts/test-fhir.sh.

mod common;

use common::*;
use serde_json::{json, Value};

fn consent_to(seq: i64, id: &str, category: &str, recipient: &str, revoked: Option<i64>) -> Value {
    let mut mutation = consent(seq, id, category, revoked);
    mutation["payload"]["recipient"] = json!(recipient);
    mutation
}

/// A consent letting the clinic disclose `category` to Lakeside Health.
fn to_lakeside(seq: i64, id: &str, category: &str, revoked: Option<i64>) -> Value {
    let mut mutation = consent_to(seq, id, category, "Lakeside Health", revoked);
    mutation["payload"]["recipient_address"] = json!("1 Main St, Springfield");
    mutation["payload"]["discloser"] = json!("Steady Clinic");
    mutation["payload"]["purpose"] = json!("care by my family doctor");
    mutation
}

fn record(seq: i64, record_type: &str, category: &str, id: &str, payload: Value) -> Value {
    json!({"seq": seq, "record_type": record_type, "record_id": id, "operation": "upsert",
           "category": category, "created_at_ms": T0, "payload": payload})
}

fn hand_to_validator(name: &str, bundle: &Value) {
    if let Some(dir) = std::env::var_os("STEADY_EXPORT_OUT") {
        let dir = std::path::Path::new(&dir).join("server");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.fhir.json")), bundle.to_string()).unwrap();
    }
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

/// A patient who shares cravings and attendance, and revoked lapses.
fn sharing_patient(clinic: &Clinic) -> Device {
    let phone = clinic.enrolled("Sam Rivera");
    let answers = phone.push_ok(vec![
        consent(1, "k-cravings", "cravings", None),
        consent(2, "k-lapses", "lapses", None),
        consent(3, "k-attendance", "attendance", None),
        record(
            4,
            "craving",
            "cravings",
            "c1",
            json!({"id": "c1", "intensity": 7,
            "occurred_at_ms": T0, "time_zone": "America/New_York", "note": "private words",
            "triggers": ["stress"], "flagged_for_clinic": true, "marked_unsafe": true}),
        ),
        record(
            5,
            "lapse",
            "lapses",
            "l1",
            json!({"id": "l1", "occurred_at_ms": T0,
            "time_zone": "America/New_York", "substances": ["alcohol"]}),
        ),
        record(
            6,
            "attendance",
            "attendance",
            "s1@2027-01-04T18:00",
            json!({
            "occurrence_id": "s1@2027-01-04T18:00", "series_id": "s1", "status": "late",
            "recorded_at_ms": T0, "time_zone": "America/New_York"}),
        ),
        consent(7, "k-lapses", "lapses", Some(T0)),
    ]);
    assert!(
        outcomes(&answers).iter().all(|o| o == "applied"),
        "{answers}"
    );
    phone
}

#[test]
fn the_clinic_export_holds_only_consented_categories_labelled_part2() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = sharing_patient(&clinic);
        let patient = &phone.patient_id;
        let bundle = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{patient}/fhir?purpose=continuity%20of%20care"),
            None,
        );
        hand_to_validator(&format!("clinic-{}", storage.name), &bundle);
        assert_eq!(bundle["resourceType"], "Bundle");
        for entry in bundle["entry"].as_array().unwrap() {
            let labels = entry["resource"]["meta"]["security"].as_array().unwrap();
            assert!(labels.iter().any(|l| l["code"] == "42CFRPart2"), "{entry}");
        }
        let observations = resources(&bundle, "Observation");
        assert_eq!(
            observations.len(),
            1,
            "the craving only: lapses were revoked"
        );
        let craving = observations[0];
        assert_eq!(craving["valueInteger"], 7);
        assert_eq!(craving["effectiveDateTime"], "2027-01-03T07:00:00-05:00");
        assert!(craving["note"].is_null(), "notes are not consented");
        assert_eq!(resources(&bundle, "Flag").len(), 1);
        let appointment = resources(&bundle, "Appointment")[0];
        assert_eq!(appointment["status"], "fulfilled");
        assert_eq!(appointment["extension"][0]["valueCode"], "patient");
        let consents = resources(&bundle, "Consent");
        assert_eq!(consents.len(), 2, "the current consents are the scope");
        let composition = &bundle["entry"][0]["resource"];
        let notice = composition["section"][0]["text"]["div"].as_str().unwrap();
        assert!(notice.contains("42 CFR part 2 prohibits unauthorized use or disclosure"));
        let scope = composition["section"][1]["text"]["div"].as_str().unwrap();
        assert!(scope.contains("attendance, cravings") && scope.contains("continuity of care"));

        let audit = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/audit?patient_id={patient}"),
            None,
        );
        let entry = audit
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "records.fhir_export")
            .expect("the export is audited");
        assert_eq!(entry["purpose"], "continuity of care");
        // The program's own copy is not an outside disclosure.
        let accounting = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{patient}/disclosures"),
            None,
        );
        assert_eq!(accounting["disclosures"], json!([]));
    });
}

#[test]
fn a_disclosure_needs_a_consent_naming_the_recipient_and_the_server_takes_only_its_own() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = sharing_patient(&clinic);
        let patient = &phone.patient_id;
        let path = format!(
            "/v1/staff/patients/{patient}/fhir?purpose=referral&recipient=Lakeside%20Health\
             &recipient_address=1%20Main%20St%2C%20Springfield"
        );
        let refused = clinic.staff("GET", &path, None);
        assert_error(&refused, 403, "forbidden", "recipient");
        let missing_address = clinic.staff(
            "GET",
            &format!("/v1/staff/patients/{patient}/fhir?recipient=Lakeside%20Health"),
            None,
        );
        assert_error(
            &missing_address,
            400,
            "invalid_request",
            "recipient_address",
        );
        let accounting_path = format!("/v1/staff/patients/{patient}/disclosures");
        assert_eq!(
            clinic.staff_ok("GET", &accounting_path, None)["disclosures"],
            json!([])
        );

        // A consent naming another recipient without its address is refused
        // at push: only a consent without an address may name the clinic.
        let answer = phone.push_ok(vec![consent_to(
            8,
            "k-lakeside",
            "cravings",
            "Lakeside Health",
            None,
        )]);
        let result = &answer["results"][0];
        assert_eq!(result["result"], "rejected", "{answer}");
        assert!(
            result["reason"].as_str().unwrap().starts_with("recipient:"),
            "{answer}"
        );
        let still_refused = clinic.staff("GET", &path, None);
        assert_error(&still_refused, 403, "forbidden", "recipient");
        assert_eq!(
            clinic.staff_ok("GET", &accounting_path, None)["disclosures"],
            json!([])
        );
    });
}

#[test]
fn a_consent_naming_an_outside_recipient_lets_the_clinic_disclose_only_its_categories() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = sharing_patient(&clinic);
        let patient = &phone.patient_id;
        let answer = phone.push_ok(vec![
            to_lakeside(8, "k-out-cravings", "cravings", None),
            to_lakeside(9, "k-out-lapses", "lapses", None),
            to_lakeside(10, "k-out-notes", "notes", None),
        ]);
        assert_eq!(outcomes(&answer), ["applied"; 3], "{answer}");

        // It never widens what the clinic accepts or shows: lapses stay
        // refused, notes stay stripped, the scope names only the clinic.
        let answer = phone.push_ok(vec![
            record(
                11,
                "lapse",
                "lapses",
                "l2",
                json!({"id": "l2", "occurred_at_ms": T0,
                "time_zone": "America/New_York", "substances": ["alcohol"]}),
            ),
            record(
                12,
                "craving",
                "cravings",
                "c2",
                json!({"id": "c2", "intensity": 3, "occurred_at_ms": T0,
                "time_zone": "America/New_York", "note": "more private words"}),
            ),
        ]);
        assert_eq!(outcomes(&answer), ["rejected", "applied"], "{answer}");
        let detail = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{patient}?purpose=treatment"),
            None,
        );
        let scope = detail["consent_scope"].as_array().unwrap();
        assert!(
            scope.iter().all(|c| c["recipient"] == "Steady Clinic"),
            "{detail}"
        );
        let own = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{patient}/fhir?purpose=continuity%20of%20care"),
            None,
        );
        assert_eq!(
            resources(&own, "Consent").len(),
            2,
            "the clinic's own scope"
        );
        assert!(!own.to_string().contains("more private words"));

        let path = |recipient: &str| {
            format!(
                "/v1/staff/patients/{patient}/fhir?purpose=referral&recipient={recipient}\
                 &recipient_address=1%20Main%20St%2C%20Springfield"
            )
        };
        let bundle = clinic.staff_ok("GET", &path("lakeside%20HEALTH%20"), None);
        hand_to_validator(&format!("outside-disclosure-{}", storage.name), &bundle);
        let observations = resources(&bundle, "Observation");
        let mut codes: Vec<&str> = observations
            .iter()
            .map(|o| o["code"]["coding"][0]["code"].as_str().unwrap())
            .collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            ["craving", "craving", "lapse"],
            "cravings and lapses the clinic holds, nothing else"
        );
        assert!(
            resources(&bundle, "Appointment").is_empty(),
            "no attendance"
        );
        let consents = resources(&bundle, "Consent");
        assert_eq!(consents.len(), 3, "the consents naming the recipient");
        assert!(consents
            .iter()
            .all(|c| c["provision"]["actor"][0]["reference"]["display"]
                == "Lakeside Health, 1 Main St, Springfield"));
        let composition = &bundle["entry"][0]["resource"];
        let scope = composition["section"][1]["text"]["div"].as_str().unwrap();
        assert!(scope.contains("cravings, lapses, notes"), "{scope}");
        assert!(
            !bundle.to_string().contains("private words"),
            "notes the clinic stripped at push are not there to disclose"
        );
        let accounting_path = format!("/v1/staff/patients/{patient}/disclosures");
        let accounting = clinic.staff_ok("GET", &accounting_path, None);
        let entries = accounting["disclosures"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{accounting}");
        assert_eq!(entries[0]["recipient_address"], "1 Main St, Springfield");
        assert_eq!(
            entries[0]["description"],
            "FHIR R4 record export: cravings, lapses, notes"
        );
        assert_eq!(entries[0]["purpose"], "referral");

        // Nobody else, and not the clinic under its own name.
        for other in ["Hillside%20Clinic", "Steady%20Clinic"] {
            assert_error(
                &clinic.staff("GET", &path(other), None),
                403,
                "forbidden",
                "recipient",
            );
        }

        // A consent with an address cannot name the clinic, nor can a
        // clinic consent turn into an outside one.
        let mut to_clinic = to_lakeside(13, "k-out-clinic", "attendance", None);
        to_clinic["payload"]["recipient"] = json!("steady clinic");
        let mut moved = to_lakeside(14, "k-cravings", "cravings", None);
        moved["payload"]["discloser"] = json!("Sam Rivera");
        moved["payload"]["purpose"] = json!("treatment coordination");
        let answer = phone.push_ok(vec![to_clinic, moved]);
        assert_eq!(outcomes(&answer), ["rejected", "rejected"], "{answer}");
        assert!(answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("recipient:"));

        // Revoking stops disclosure: first of cravings, then of everything.
        let answer = phone.push_ok(vec![to_lakeside(
            15,
            "k-out-cravings",
            "cravings",
            Some(T0),
        )]);
        assert_eq!(outcomes(&answer), ["applied"], "{answer}");
        let bundle = clinic.staff_ok("GET", &path("Lakeside%20Health"), None);
        assert_eq!(resources(&bundle, "Observation").len(), 1, "the lapse only");
        let answer = phone.push_ok(vec![
            to_lakeside(16, "k-out-lapses", "lapses", Some(T0)),
            to_lakeside(17, "k-out-notes", "notes", Some(T0)),
        ]);
        assert_eq!(outcomes(&answer), ["applied", "applied"], "{answer}");
        assert_error(
            &clinic.staff("GET", &path("Lakeside%20Health"), None),
            403,
            "forbidden",
            "recipient",
        );
        let accounting = clinic.staff_ok("GET", &accounting_path, None);
        assert_eq!(
            accounting["disclosures"].as_array().unwrap().len(),
            2,
            "refusals are not disclosures"
        );
    });
}
