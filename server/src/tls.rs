//! HTTPS for a server that is not behind a TLS-terminating proxy (issue 17,
//! point 10): rustls with the `ring` provider (the one the CLI's HTTPS client
//! already uses), a certificate chain and key read from PEM files named in
//! the configuration. Responses over TLS carry `Strict-Transport-Security`
//! (added in [`crate::net`]).

use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct TlsConfig {
    pub acceptor: tokio_rustls::TlsAcceptor,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsConfig")
    }
}

impl TlsConfig {
    /// Reads a PEM certificate chain (leaf first) and its PEM private key.
    /// Errors name the file and what was wrong with it, never key material.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<TlsConfig, String> {
        Ok(TlsConfig {
            acceptor: tokio_rustls::TlsAcceptor::from(server_config(cert, key)?),
        })
    }
}

/// The rustls server configuration for a PEM certificate chain and key (the
/// HTTPS listener's; tests use it for TLS peers of their own).
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("tls certificate {}: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("tls certificate {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!(
            "tls certificate {}: holds no PEM certificate",
            cert.display()
        ));
    }
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|e| format!("tls key {}: {e}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("tls: the key does not fit the certificate: {e}"))?;
    Ok(Arc::new(config))
}
