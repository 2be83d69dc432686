//! HTTPS without a proxy (issue 17, point 10): the server reads a PEM
//! certificate and key, serves TLS with rustls, and every answer carries
//! HSTS. The certificate is made by the `openssl` command and the client is
//! `curl`, both independent of the server's own TLS stack.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use steady_clinic::app::AppState;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clock::ManualClock;
use steady_clinic::net::ServerOptions;
use steady_clinic::store::Db;
use steady_clinic::tls::TlsConfig;

fn self_signed(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=clinic.test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
        ],
    );
    (dir.join("cert.pem"), dir.join("key.pem"))
}

fn curl(args: &[&str]) -> (bool, String) {
    let out = Command::new("curl")
        .args(["-s", "-i", "--max-time", "30"])
        .args(args)
        .output()
        .expect("curl runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn https_with_the_configured_certificate_and_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path());
    let tls = TlsConfig::from_pem_files(&cert, &key).expect("certificate loads");
    let storage = storages().remove(0);
    let db = Db::open(&storage.backend).unwrap();
    let state = AppState {
        db,
        clock: Arc::new(ManualClock::at(T0)),
    };
    let options = ServerOptions {
        tls: Some(Arc::new(tls)),
        ..ServerOptions::default()
    };
    let server = BackgroundServer::start_with("127.0.0.1:0", state, options).unwrap();
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let url = format!("{}/openapi.json", server.base);
    let (ok, answer) = curl(&["--cacert", cert.to_str().unwrap(), &url]);
    assert!(ok, "{answer}");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    assert!(
        answer
            .to_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "{}",
        &answer[..answer.len().min(600)]
    );
    // Errors carry it too; plain HTTP to the TLS port gets nothing served.
    let (_, missing) = curl(&[
        "--cacert",
        cert.to_str().unwrap(),
        &format!("{}/v1/nothing", server.base),
    ]);
    assert!(
        missing.to_lowercase().contains("strict-transport-security"),
        "{missing}"
    );
    let plain = url.replace("https://", "http://");
    let (_, refused) = curl(&[&plain]);
    assert!(!refused.contains("HTTP/1.1 200"), "{refused}");
}

#[test]
fn a_missing_or_mismatched_key_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, _key) = self_signed(dir.path());
    let other = tempfile::tempdir().unwrap();
    let (_, other_key) = self_signed(other.path());
    let missing = TlsConfig::from_pem_files(&cert, &dir.path().join("nope.pem")).unwrap_err();
    assert!(missing.starts_with("tls key"), "{missing}");
    let mismatched = TlsConfig::from_pem_files(&cert, &other_key).unwrap_err();
    assert!(mismatched.contains("does not fit"), "{mismatched}");
    let not_a_cert = TlsConfig::from_pem_files(&other_key, &other_key).unwrap_err();
    assert!(not_a_cert.contains("no PEM certificate"), "{not_a_cert}");
}
