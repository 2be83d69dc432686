//! Alerts: when a safety flag is raised, the patient's care team (in clinic
//! hours) or the on-call clinician (out of hours) gets an email that carries
//! no health data; a flag nobody acknowledged within the clinic's
//! escalation time goes to the next person. Emails wait in `alert_outbox`
//! and are sent over SMTP (the `lettre` crate) by a loop of their own, so a
//! slow or dead mail server never blocks the sync that brought the flag;
//! failures are retried with backoff and logged without patient data.
//!
//! The care team is every staff member of the patient's clinic
//! (docs/dashboard.md). The escalation chain is the on-call clinician, then
//! the clinic's staff in the order they were added: level 0 goes to the
//! whole care team in hours (to the on-call clinician out of hours), level
//! n to the n-th person of the chain, until the chain is exhausted.

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::store::{Db, DbError, Mode, Tx};
use crate::{flags, messages, office_hours};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::sync::Arc;
use std::time::Duration;

/// Subject and text of every alert: no name, no reason, no health data.
pub const SUBJECT: &str = "Steady: a patient needs attention";
pub const TEXT: &str = "A patient on your caseload needs attention — sign in to see.";
/// Attempts before an alert is given up (and logged).
pub const MAX_ATTEMPTS: i64 = 8;
const RETRY_BASE_MS: i64 = 30_000;

/// Where and how alerts are sent (environment: `STEADY_CLINIC_SMTP`,
/// `STEADY_CLINIC_ALERT_FROM`, `STEADY_CLINIC_DASHBOARD_URL`, and for a relay
/// that needs them `STEADY_CLINIC_SMTP_USERNAME`/`_PASSWORD` and
/// `STEADY_CLINIC_SMTP_CA`).
#[derive(Debug, Clone, Default)]
pub struct AlertConfig {
    /// `smtps://HOST[:PORT]` (TLS from the first byte, port 465 by default),
    /// `smtp+starttls://HOST[:PORT]` (STARTTLS required, port 587), or
    /// `smtp://HOST[:PORT]` (plain SMTP, port 25: only to a relay on
    /// loopback or a trusted network, and never with a password).
    pub smtp_url: String,
    pub from: String,
    /// Put in the email so the recipient knows where to sign in.
    pub dashboard_url: String,
    /// User name and password for the relay (TLS only).
    pub credentials: Option<(String, String)>,
    /// PEM file of the certificate authority a private relay's certificate
    /// is issued by; the public web roots are trusted otherwise.
    pub ca_file: Option<std::path::PathBuf>,
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    Plain,
    StartTls,
    Tls,
}

impl AlertConfig {
    /// The relay's host, port and protection, from `smtp_url`.
    pub fn relay(&self) -> ApiResult<(String, u16, SmtpSecurity)> {
        let (rest, security, default_port) = [
            ("smtps://", SmtpSecurity::Tls, 465),
            ("smtp+starttls://", SmtpSecurity::StartTls, 587),
            ("smtp://", SmtpSecurity::Plain, 25),
        ]
        .into_iter()
        .find_map(|(scheme, security, port)| {
            self.smtp_url
                .strip_prefix(scheme)
                .map(|rest| (rest.trim_end_matches('/'), security, port))
        })
        .ok_or_else(|| {
            ApiError::invalid(
                "smtp",
                "must be smtps://HOST[:PORT], smtp+starttls://HOST[:PORT] or smtp://HOST[:PORT]",
            )
        })?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| ApiError::invalid("smtp", "port must be a number"))?,
            ),
            None => (rest, default_port),
        };
        if host.is_empty() {
            return Err(ApiError::invalid("smtp", "has no host"));
        }
        if security == SmtpSecurity::Plain && self.credentials.is_some() {
            return Err(ApiError::invalid(
                "smtp",
                "a user name and password are only sent over TLS: use smtps:// or smtp+starttls://",
            ));
        }
        Ok((host.to_string(), port, security))
    }

    /// The mailer for this relay: TLS parameters, credentials, a timeout.
    fn mailer(&self) -> Result<SmtpTransport, String> {
        let (host, port, security) = self.relay().map_err(|e| e.reason)?;
        let tls = |host: &str| -> Result<TlsParameters, String> {
            let mut params = TlsParameters::builder(host.to_string());
            if let Some(path) = &self.ca_file {
                let pem = std::fs::read(path).map_err(|e| format!("smtp CA file: {}", e.kind()))?;
                let ca = Certificate::from_pem(&pem).map_err(|e| format!("smtp CA file: {e}"))?;
                params = params.add_root_certificate(ca);
            }
            params.build_rustls().map_err(|e| format!("smtp TLS: {e}"))
        };
        let mut builder = SmtpTransport::builder_dangerous(host.as_str())
            .port(port)
            .timeout(Some(Duration::from_secs(10)));
        builder = match security {
            SmtpSecurity::Plain => builder,
            SmtpSecurity::StartTls => builder.tls(Tls::Required(tls(&host)?)),
            SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls(&host)?)),
        };
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

/// One tick's work: raise flags, answer out-of-hours messages, queue the
/// alerts and escalations due, then send what is due. Returns the number
/// of emails sent.
pub fn tick(db: &Db, config: Option<&AlertConfig>, now_ms: i64) -> ApiResult<usize> {
    db.transact(Mode::Write, |tx| -> ApiResult<()> {
        flags::sweep(tx, now_ms)?;
        messages::sweep_out_of_hours(tx, now_ms)?;
        Ok(queue_due(tx, now_ms)?)
    })?;
    let Some(config) = config else {
        return Ok(0);
    };
    let due = db.transact(
        Mode::Read,
        |tx| -> Result<Vec<(String, String, i64)>, DbError> {
            tx.query(
                "SELECT id, recipient, attempts FROM alert_outbox
             WHERE sent_at_ms IS NULL AND attempts < $1 AND next_attempt_ms <= $2
             ORDER BY created_at_ms, id",
                &[MAX_ATTEMPTS.into(), now_ms.into()],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, r.int(2)?)))
            .collect::<Result<Vec<_>, DbError>>()
        },
    )?;
    let mut sent = 0;
    for (id, recipient, attempts) in due {
        let outcome = send(config, &recipient);
        db.transact(Mode::Write, |tx| -> Result<(), DbError> {
            match &outcome {
                Ok(()) => tx.exec(
                    "UPDATE alert_outbox SET sent_at_ms = $1, attempts = attempts + 1 WHERE id = $2",
                    &[now_ms.into(), id.clone().into()],
                )?,
                Err(reason) => tx.exec(
                    "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = $1,
                         last_error = $2 WHERE id = $3",
                    &[
                        (now_ms + RETRY_BASE_MS * (1 << attempts.clamp(0, 10))).into(),
                        reason.clone().into(),
                        id.clone().into(),
                    ],
                )?,
            };
            Ok(())
        })?;
        match outcome {
            Ok(()) => sent += 1,
            // The alert id and the SMTP error only: no patient, no recipient.
            Err(reason) => eprintln!(
                "steady-clinic: alert {id} not sent (attempt {}): {reason}",
                attempts + 1
            ),
        }
    }
    Ok(sent)
}

fn send(config: &AlertConfig, recipient: &str) -> Result<(), String> {
    let mailer = config.mailer()?;
    let email = Message::builder()
        .from(
            config
                .from
                .parse()
                .map_err(|_| "alert-from: not an address")?,
        )
        .to(recipient.parse().map_err(|_| "recipient: not an address")?)
        .subject(SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(format!("{TEXT}\n\n{}\n", config.dashboard_url))
        .map_err(|e| format!("building the email: {e}"))?;
    mailer
        .send(&email)
        .map(|_| ())
        .map_err(|e| format!("smtp: {e}"))
}

/// The clinic's escalation chain: on call first, then staff by seniority
/// of their account.
fn chain(tx: &mut dyn Tx, clinic_id: &str, on_call: &str) -> Result<Vec<String>, DbError> {
    let mut chain: Vec<String> = Vec::new();
    if !on_call.is_empty() {
        chain.push(on_call.to_string());
    }
    for row in tx.query(
        "SELECT email FROM staff WHERE clinic_id = $1 ORDER BY created_at_ms, email",
        &[clinic_id.into()],
    )? {
        let email = row.text(0)?;
        if !chain.contains(&email) {
            chain.push(email);
        }
    }
    Ok(chain)
}

/// Queues, for every unacknowledged flag, the alerts its age calls for.
pub fn queue_due(tx: &mut dyn Tx, now_ms: i64) -> Result<(), DbError> {
    let open = tx.query(
        "SELECT f.id, f.raised_at_ms, p.clinic_id FROM safety_flags f
         JOIN patients p ON p.id = f.patient_id WHERE f.status = 'new'",
        &[],
    )?;
    for row in open {
        let (flag_id, raised, clinic_id) = (row.text(0)?, row.int(1)?, row.text(2)?);
        let hours = office_hours::load(tx, &clinic_id)?;
        let chain = chain(tx, &clinic_id, &hours.on_call_email)?;
        let escalation_ms = hours.escalation_minutes.max(1) * 60_000;
        let levels = (now_ms - raised).max(0) / escalation_ms;
        for level in 0..=levels.min(chain.len() as i64) {
            let recipients: Vec<String> = match level {
                0 if hours.is_open(raised) => chain
                    .iter()
                    .skip(usize::from(!hours.on_call_email.is_empty()))
                    .cloned()
                    .collect(),
                0 => chain.first().cloned().into_iter().collect(),
                n => chain.get(n as usize).cloned().into_iter().collect(),
            };
            for recipient in recipients {
                tx.exec(
                    "INSERT INTO alert_outbox (id, flag_id, recipient, level, created_at_ms,
                         next_attempt_ms)
                     VALUES ($1, $2, $3, $4, $5, $5)
                     ON CONFLICT (flag_id, level, recipient) DO NOTHING",
                    &[
                        uuid::Uuid::now_v7().to_string().into(),
                        flag_id.clone().into(),
                        recipient.into(),
                        level.into(),
                        now_ms.into(),
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// The alert settings from the environment: `STEADY_CLINIC_SMTP` (see
/// [`AlertConfig::smtp_url`]; without it flags are still raised and queued,
/// and nothing is sent), `STEADY_CLINIC_ALERT_FROM`,
/// `STEADY_CLINIC_DASHBOARD_URL`, `STEADY_CLINIC_SMTP_USERNAME` with
/// `STEADY_CLINIC_SMTP_PASSWORD`, and `STEADY_CLINIC_SMTP_CA`.
pub fn config_from_env() -> ApiResult<Option<AlertConfig>> {
    let Ok(smtp_url) = std::env::var("STEADY_CLINIC_SMTP") else {
        return Ok(None);
    };
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let credentials = match (
        var("STEADY_CLINIC_SMTP_USERNAME"),
        var("STEADY_CLINIC_SMTP_PASSWORD"),
    ) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "smtp",
                "STEADY_CLINIC_SMTP_USERNAME and STEADY_CLINIC_SMTP_PASSWORD go together",
            ))
        }
    };
    let config = AlertConfig {
        smtp_url,
        from: var("STEADY_CLINIC_ALERT_FROM")
            .unwrap_or_else(|| "steady-alerts@localhost".to_string()),
        dashboard_url: var("STEADY_CLINIC_DASHBOARD_URL").unwrap_or_default(),
        credentials,
        ca_file: var("STEADY_CLINIC_SMTP_CA").map(Into::into),
    };
    config.relay()?;
    Ok(Some(config))
}

/// Starts the alert loop (every 15 s) for a serving process.
pub fn spawn_from_env(state: &crate::app::AppState) -> ApiResult<()> {
    spawn(
        state.db.clone(),
        state.clock.clone(),
        config_from_env()?,
        Duration::from_secs(15),
    );
    Ok(())
}

/// Runs [`tick`] every `every` on the runtime's blocking threads, for as
/// long as the server runs. Errors are logged and the loop goes on.
pub fn spawn(db: Db, clock: Arc<dyn Clock>, config: Option<AlertConfig>, every: Duration) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        loop {
            interval.tick().await;
            let (db, clock, config) = (db.clone(), clock.clone(), config.clone());
            let result =
                tokio::task::spawn_blocking(move || tick(&db, config.as_ref(), clock.now_ms()))
                    .await;
            if let Ok(Err(e)) = result {
                eprintln!("steady-clinic: alert loop: {}", e.reason);
            }
        }
    });
}
