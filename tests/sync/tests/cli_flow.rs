//! The CLI's clinic commands against a real server: `steady enroll`,
//! `steady consent grant|revoke|show` and `steady sync`, with their `--json`
//! documents (docs/cli.md) and error kinds.

use serde_json::Value;
use steady_sync_tests::cli::Cli;
use steady_sync_tests::clinic::{self, storages, Clinic};

fn state(show: &Value, category: &str) -> (String, u64) {
    let entry = show
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["category"] == category)
        .expect("category listed");
    (
        entry["state"].as_str().unwrap_or_default().to_string(),
        entry["held_records"].as_u64().unwrap_or(u64::MAX),
    )
}

#[test]
fn enroll_consent_and_sync_from_the_command_line() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (patient, code) = clinic.patient("Sam Rivera");
        clinic.author(&patient, "message", clinic::message("Welcome"));
        let cli = Cli::new();

        assert_eq!(cli.fail(&["sync"])["kind"], "not_enrolled");
        let early = cli.fail(&["consent", "grant", "cravings", "--signature", "Sam Rivera"]);
        assert_eq!(early["kind"], "not_enrolled");
        let unsigned = cli.fail(&["consent", "grant", "cravings", "--signature", " "]);
        assert_eq!(unsigned["field"], "signature");
        let bad_url = cli.fail(&["enroll", &code, "--server", "ftp://clinic"]);
        assert_eq!(bad_url["field"], "server_url");

        let enrolled = cli.run(&["enroll", &code, "--server", clinic.url()]);
        assert_eq!(enrolled["server_url"], clinic.url());
        assert!(
            enrolled.get("device_token").is_none(),
            "the token stays inside"
        );
        assert_eq!(
            cli.fail(&["enroll", &code, "--server", clinic.url()])["kind"],
            "refused"
        );

        cli.run(&["craving", "log", "6", "--note", "on the bus"]);
        let show = cli.run(&["consent", "show"]);
        assert_eq!(show.as_array().map(Vec::len), Some(7));
        assert_eq!(state(&show, "cravings"), ("not_granted".into(), 1));

        let first = cli.run(&["sync"]);
        assert_eq!(first["applied"], 0);
        assert_eq!(first["held"], 1);
        assert_eq!(first["clinic_changes"], 1);

        let unknown = cli.fail(&["consent", "grant", "everything", "--signature", "Sam"]);
        assert_eq!(unknown["field"], "category");
        let past = cli.fail(&[
            "consent",
            "grant",
            "cravings",
            "--signature",
            "Sam Rivera",
            "--expires",
            "2001-01-01",
        ]);
        assert_eq!(past["field"], "expires_at");

        let granted = cli.run(&[
            "consent",
            "grant",
            "cravings",
            "checkins",
            "--signature",
            "Sam Rivera",
            "--purpose",
            "weekly review with my counselor",
            "--expires",
            "2027-12-31",
        ]);
        let consents = granted["granted"].as_array().expect("granted");
        assert_eq!(consents.len(), 2);
        assert_eq!(consents[0]["recipient"], "Steady Clinic");
        assert_eq!(consents[0]["discloser"], "Sam Rivera");
        assert_eq!(consents[0]["purpose"], "weekly review with my counselor");
        assert!(consents[0]["expires_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2028-01-01T05:00:00")));

        let second = cli.run(&["sync"]);
        assert_eq!(
            second["applied"], 3,
            "two consents and the craving: {second}"
        );
        let records = clinic.records(&patient);
        let craving = records
            .iter()
            .find(|r| r["record_type"] == "craving")
            .expect("craving at the clinic");
        assert!(craving["payload"].get("note").is_none(), "no notes consent");

        let revoked = cli.run(&["consent", "revoke", "cravings"]);
        assert_eq!(revoked["revoked"].as_array().map(Vec::len), Some(1));
        cli.run(&["craving", "log", "2"]);
        let third = cli.run(&["sync"]);
        assert_eq!(third["held"], 1);
        assert_eq!(
            state(&cli.run(&["consent", "show"]), "cravings").0,
            "revoked"
        );

        // A consent for an outside recipient: bad input names its field.
        let outside = |extra: &[&'static str]| {
            let mut args = vec!["consent", "grant", "cravings", "--signature", "Sam Rivera"];
            args.extend_from_slice(extra);
            args
        };
        for (extra, field) in [
            (
                vec!["--recipient", "Elm Street Practice"],
                "recipient_address",
            ),
            (vec!["--recipient-address", "2 Elm St"], "recipient"),
            (
                vec![
                    "--recipient",
                    " ",
                    "--recipient-address",
                    "2 Elm St",
                    "--purpose",
                    "care",
                ],
                "recipient",
            ),
            (
                vec![
                    "--recipient",
                    "Elm Street Practice",
                    "--recipient-address",
                    "2 Elm St",
                ],
                "purpose",
            ),
        ] {
            assert_eq!(cli.fail(&outside(&extra))["field"], field, "{extra:?}");
        }
        assert!(cli
            .run(&["consent", "show", "--outside"])
            .as_array()
            .is_some_and(Vec::is_empty));
        let granted = cli.run(&outside(&[
            "--recipient",
            "Elm Street Practice",
            "--recipient-address",
            "2 Elm St",
            "--purpose",
            "care by my family doctor",
        ]));
        let consent = &granted["granted"][0];
        assert_eq!(consent["recipient"], "Elm Street Practice");
        assert_eq!(consent["recipient_address"], "2 Elm St");
        assert_eq!(consent["discloser"], "Steady Clinic");
        let listed = cli.run(&["consent", "show", "--outside"]);
        assert_eq!(listed[0]["state"], "active", "{listed}");
        let fourth = cli.run(&["sync"]);
        assert_eq!(fourth["applied"], 1, "only the consent: {fourth}");
        assert_eq!(fourth["held"], 1, "cravings stay held for the clinic");
        let revoked = cli.run(&[
            "consent",
            "revoke",
            "cravings",
            "--recipient",
            "elm street practice",
        ]);
        assert_eq!(revoked["revoked"].as_array().map(Vec::len), Some(1));
        let listed = cli.run(&["consent", "show", "--outside"]);
        assert_eq!(listed[0]["state"], "revoked", "{listed}");
    }
}
