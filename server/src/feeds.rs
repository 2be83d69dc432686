//! Calendar feed subscriptions: the clinic subscribes a patient to a
//! calendar feed URL (`webcal://`, `https://`, `http://`) — a Google
//! Calendar's secret address, an EHR's export — and the server polls it with
//! `If-None-Match`/`If-Modified-Since`, parses it with the core's own import
//! code (`steady_core::schedule::store::parse_calendar`) and writes each
//! series as a clinic record, so the patient's phones receive it by sync.
//!
//! The fetcher takes only http(s), reads at most [`FetchPolicy::max_bytes`]
//! within [`FetchPolicy::timeout`], follows at most a few redirects itself,
//! and checks the address of every hop before connecting: by default only
//! public addresses (no loopback, private, link-local, unique-local,
//! carrier-grade NAT, multicast or unspecified ones), so a feed URL cannot
//! make the server reach into the clinic's own network. Tests inject a
//! policy that allows the loopback feed they serve.
//!
//! A feed is the whole calendar: a series that disappears from it (or that
//! it cancels) is deleted from the patient's clinic records.

use crate::app::AppState;
use crate::audit::{self, Actor, Entry};
use crate::clinic_records::{validate_payload, write_change};
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, StaffAuth};
use crate::staff;
use crate::store::{Mode, Tx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;
use steady_core::schedule::store::parse_calendar;
use steady_core::schedule::wire::to_wire;
use steady_core::ImportSkip;
use steady_protocol::ChangeKind;

/// What the fetcher may reach and how much it reads.
#[derive(Clone, Copy)]
pub struct FetchPolicy {
    /// Whether an address may be connected to (checked on every hop).
    pub allow_address: fn(IpAddr) -> bool,
    pub max_bytes: u64,
    pub timeout: Duration,
    pub max_redirects: u32,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_address: is_public,
            max_bytes: 4 * 1024 * 1024,
            timeout: Duration::from_secs(20),
            max_redirects: 3,
        }
    }
}

/// Public unicast addresses only.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// A feed fetch that did not give a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError(pub String);

/// What a fetch found.
#[derive(Debug)]
pub enum Fetched {
    NotModified,
    Calendar {
        text: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// The longest feed URL taken (the API documents the same limit).
pub const MAX_FEED_URL_CHARS: usize = 2000;

/// `webcal://` and `webcals://` are `https://`; only http(s) is taken.
pub fn feed_url(text: &str) -> Result<String, FeedError> {
    let text = text.trim();
    if text.chars().count() > MAX_FEED_URL_CHARS {
        return Err(FeedError(format!(
            "the feed URL is longer than {MAX_FEED_URL_CHARS} characters"
        )));
    }
    let lower = text.to_ascii_lowercase();
    let url = if let Some(rest) = lower
        .strip_prefix("webcals://")
        .or_else(|| lower.strip_prefix("webcal://"))
    {
        format!("https://{}", &text[text.len() - rest.len()..])
    } else if lower.starts_with("https://") || lower.starts_with("http://") {
        text.to_string()
    } else {
        return Err(FeedError(
            "the feed URL must be webcal://, https:// or http://".into(),
        ));
    };
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| FeedError("the feed URL is not a valid URL".into()))?;
    let host = uri.host().unwrap_or_default();
    if host.is_empty() {
        return Err(FeedError("the feed URL has no host".into()));
    }
    // The API documents a host name or IPv4 address: letters, digits, dots
    // and hyphens.
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(FeedError(
            "the feed URL's host may hold only letters, digits, dots and hyphens".into(),
        ));
    }
    // After the authority: a path (and query) of URL characters or %XX
    // escapes, as the API documents.
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or_default()
        .split_once('/')
        .map(|(_, path)| path)
        .unwrap_or_default();
    if !path_characters_allowed(rest) {
        return Err(FeedError(
            "the feed URL's path holds a character a URL does not allow; escape it as %XX".into(),
        ));
    }
    // After the host only `:port` may follow, the port a number to 65535.
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    let after_host = authority.strip_prefix(host).unwrap_or(authority);
    if !after_host.is_empty() {
        let port = after_host.strip_prefix(':').unwrap_or_default();
        if !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() {
            return Err(FeedError(
                "the feed URL's port is not a number from 0 to 65535".into(),
            ));
        }
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(FeedError(
            "the feed URL must not carry a user name or password".into(),
        ));
    }
    Ok(url)
}

/// Unreserved and sub-delimiter characters, `:@/?`, and `%XX` escapes.
fn path_characters_allowed(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"._~!$&'()*+,;=:@/?-".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

/// Refuses a URL whose host resolves to an address the policy does not
/// allow (or to none).
fn check_address(url: &str, policy: &FetchPolicy) -> Result<(), FeedError> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| FeedError("the feed URL is not a valid URL".into()))?;
    let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(FeedError("only http and https are fetched".into()));
    }
    let host = uri
        .host()
        .ok_or_else(|| FeedError("the feed URL has no host".into()))?
        .trim_matches(['[', ']']);
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    let addresses: Vec<IpAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| FeedError("the feed's host name does not resolve".into()))?
        .map(|a| a.ip())
        .collect();
    if addresses.is_empty() {
        return Err(FeedError("the feed's host name does not resolve".into()));
    }
    if let Some(refused) = addresses.iter().find(|ip| !(policy.allow_address)(**ip)) {
        return Err(FeedError(format!(
            "the feed's host resolves to {refused}, a loopback or private address, which is not fetched"
        )));
    }
    Ok(())
}

/// Fetches `url` (conditionally, with the validators of the last fetch).
/// Blocking: call it off the async runtime.
pub fn fetch(
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    policy: &FetchPolicy,
) -> Result<Fetched, FeedError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(policy.timeout))
        .build()
        .into();
    let mut current = feed_url(url)?;
    for _ in 0..=policy.max_redirects {
        check_address(&current, policy)?;
        let mut request = agent.get(&current).header("Accept", "text/calendar");
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(since) = last_modified {
            request = request.header("If-Modified-Since", since);
        }
        let response = request.call().map_err(|e| match e {
            ureq::Error::Timeout(_) => FeedError(format!(
                "the feed did not answer within {} s",
                policy.timeout.as_secs()
            )),
            _ => FeedError("the feed could not be reached".into()),
        })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        match status {
            304 => return Ok(Fetched::NotModified),
            301 | 302 | 303 | 307 | 308 => {
                let location = header("location")
                    .ok_or_else(|| FeedError("a redirect without a Location".into()))?;
                current = redirect_target(&current, &location)?;
            }
            200 => {
                let etag = header("etag");
                let last_modified = header("last-modified");
                let text = response
                    .into_body()
                    .with_config()
                    .limit(policy.max_bytes)
                    .read_to_string()
                    .map_err(|_| {
                        FeedError(format!(
                            "the feed is larger than {} bytes or not text",
                            policy.max_bytes
                        ))
                    })?;
                return Ok(Fetched::Calendar {
                    text,
                    etag,
                    last_modified,
                });
            }
            other => return Err(FeedError(format!("the feed answered HTTP {other}"))),
        }
    }
    Err(FeedError("the feed redirects too many times".into()))
}

fn redirect_target(current: &str, location: &str) -> Result<String, FeedError> {
    let location = location.trim();
    if location.contains("://") {
        return feed_url(location);
    }
    let uri: ureq::http::Uri = current
        .parse()
        .map_err(|_| FeedError("the feed URL is not a valid URL".into()))?;
    let (scheme, authority) = (
        uri.scheme_str().unwrap_or("https"),
        uri.authority().map(|a| a.as_str()).unwrap_or_default(),
    );
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    Err(FeedError("a redirect to a relative location".into()))
}

/// What one poll did.
#[derive(Debug, Clone, Serialize)]
pub struct PollReport {
    /// `updated`, `not_modified` or `failed`.
    pub status: String,
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
    pub unchanged: u32,
    /// Why the poll failed (`failed` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What the calendar held that is not a session, with line and reason.
    pub skipped: Vec<ImportSkip>,
}

impl PollReport {
    fn new(status: &str) -> Self {
        PollReport {
            status: status.into(),
            added: 0,
            updated: 0,
            removed: 0,
            unchanged: 0,
            error: None,
            skipped: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub url: String,
}

/// `PUT /v1/staff/patients/{patient_id}/calendar-feed`
pub async fn subscribe(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    JsonBody(body): JsonBody<Subscription>,
) -> ApiResult<StatusCode> {
    let url = feed_url(&body.url).map_err(|e| ApiError::invalid("url", e.0))?;
    let now = state.clock.now_ms();
    state
        .db
        .run(Mode::Write, move |tx| {
            staff::require_patient(tx, &patient_id)?;
            tx.exec(
                "DELETE FROM calendar_feeds WHERE patient_id = $1",
                &[patient_id.clone().into()],
            )?;
            tx.exec(
                "INSERT INTO calendar_feeds (patient_id, url, created_by, created_at_ms)
                 VALUES ($1, $2, $3, $4)",
                &[
                    patient_id.clone().into(),
                    url.into(),
                    auth.actor().to_string().into(),
                    now.into(),
                ],
            )?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "calendar_feed.subscribe",
                    patient_id: Some(&patient_id),
                    purpose: "treatment",
                    detail: String::new(),
                },
            )?;
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/staff/patients/{patient_id}/calendar-feed/poll`: polls now.
pub async fn poll_now(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
) -> ApiResult<Json<PollReport>> {
    let report = poll(&state, auth.actor(), &patient_id, FetchPolicy::default()).await?;
    Ok(Json(report))
}

/// Polls one patient's feed under `policy` and applies what changed.
pub async fn poll(
    state: &AppState,
    actor: Actor,
    patient_id: &str,
    policy: FetchPolicy,
) -> ApiResult<PollReport> {
    let id = patient_id.to_string();
    let feed = state
        .db
        .run(Mode::Read, move |tx| {
            staff::require_patient(tx, &id)?;
            tx.query_opt(
                "SELECT url, etag, last_modified FROM calendar_feeds WHERE patient_id = $1",
                &[id.into()],
            )?
            .ok_or_else(|| ApiError::not_found("calendar feed"))
            .and_then(|row| Ok((row.text(0)?, row.opt_text(1)?, row.opt_text(2)?)))
        })
        .await?;
    let (url, etag, last_modified) = feed;
    let fetched = tokio::task::spawn_blocking(move || {
        fetch(&url, etag.as_deref(), last_modified.as_deref(), &policy)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let now = state.clock.now_ms();
    let (report, validators) = match fetched {
        Err(FeedError(reason)) => {
            let mut report = PollReport::new("failed");
            report.error = Some(reason);
            (report, None)
        }
        Ok(Fetched::NotModified) => (PollReport::new("not_modified"), None),
        Ok(Fetched::Calendar {
            text,
            etag,
            last_modified,
        }) => match parse_calendar(&text) {
            Err(error) => {
                let mut report = PollReport::new("failed");
                report.error = Some(error.to_string());
                (report, None)
            }
            Ok(calendar) => {
                let mut report = PollReport::new("updated");
                report.skipped = calendar.skipped.clone();
                (report, Some((calendar, etag, last_modified)))
            }
        },
    };
    let id = patient_id.to_string();
    state
        .db
        .run(Mode::Write, move |tx| {
            let mut report = report;
            if let Some((calendar, etag, last_modified)) = validators {
                apply(tx, &actor, &id, &calendar, now, &mut report)?;
                tx.exec(
                    "UPDATE calendar_feeds SET etag = $2, last_modified = $3 WHERE patient_id = $1",
                    &[id.clone().into(), etag.into(), last_modified.into()],
                )?;
            }
            tx.exec(
                "UPDATE calendar_feeds SET polled_at_ms = $2, status = $3 WHERE patient_id = $1",
                &[id.clone().into(), now.into(), report.status.clone().into()],
            )?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &actor,
                    action: "calendar_feed.poll",
                    patient_id: Some(&id),
                    purpose: "treatment",
                    detail: format!(
                        "{} added={} updated={} removed={} skipped={}",
                        report.status,
                        report.added,
                        report.updated,
                        report.removed,
                        report.skipped.len()
                    ),
                },
            )?;
            Ok::<_, ApiError>(report)
        })
        .await
}

/// Writes each series of the feed as the patient's clinic record (new,
/// changed or unchanged) and deletes those the feed no longer has.
fn apply(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    calendar: &steady_core::schedule::store::ParsedCalendar,
    now: i64,
    report: &mut PollReport,
) -> ApiResult<()> {
    let mut known: std::collections::HashMap<String, String> = tx
        .query(
            "SELECT uid, record_id FROM calendar_feed_series WHERE patient_id = $1",
            &[patient_id.into()],
        )?
        .into_iter()
        .map(|row| Ok((row.text(0)?, row.text(1)?)))
        .collect::<ApiResult<_>>()?;
    for series in &calendar.series {
        let Some(uid) = series.uid.clone() else {
            continue;
        };
        let wire = to_wire(series).map_err(|e| ApiError::invalid("calendar", e))?;
        let payload = serde_json::to_value(wire).map_err(|_| ApiError::internal())?;
        let payload = match validate_payload(ChangeKind::SessionSeries, payload) {
            Ok(payload) => payload,
            Err(_) => {
                report.skipped.push(ImportSkip {
                    line: 0,
                    component: "VEVENT".into(),
                    uid: Some(uid),
                    reason: "the clinic server does not accept this series".into(),
                });
                continue;
            }
        };
        match known.remove(&uid) {
            Some(record_id) => {
                let current = tx.query_opt(
                    "SELECT payload FROM clinic_records WHERE patient_id = $1 AND record_id = $2",
                    &[patient_id.into(), record_id.clone().into()],
                )?;
                let same = current
                    .map(|row| row.text(0))
                    .transpose()?
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .is_some_and(|current| current == payload);
                if same {
                    report.unchanged += 1;
                } else {
                    write_change(
                        tx,
                        actor,
                        patient_id,
                        ChangeKind::SessionSeries,
                        &record_id,
                        Some(&payload),
                        now,
                    )?;
                    report.updated += 1;
                }
            }
            None => {
                let record_id = uuid::Uuid::new_v4().to_string();
                write_change(
                    tx,
                    actor,
                    patient_id,
                    ChangeKind::SessionSeries,
                    &record_id,
                    Some(&payload),
                    now,
                )?;
                tx.exec(
                    "INSERT INTO calendar_feed_series (patient_id, uid, record_id) VALUES ($1, $2, $3)",
                    &[patient_id.into(), uid.into(), record_id.into()],
                )?;
                report.added += 1;
            }
        }
    }
    // What the feed no longer has (or cancels) is gone from the schedule.
    for (uid, record_id) in known {
        write_change(
            tx,
            actor,
            patient_id,
            ChangeKind::SessionSeries,
            &record_id,
            None,
            now,
        )?;
        tx.exec(
            "DELETE FROM calendar_feed_series WHERE patient_id = $1 AND uid = $2",
            &[patient_id.into(), uid.into()],
        )?;
        report.removed += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::feed_url;

    #[test]
    fn feed_urls_are_taken_exactly_as_the_api_documents_them() {
        assert_eq!(
            feed_url("webcal://calendar.clinic.example/groups.ics?key=a%20b").unwrap(),
            "https://calendar.clinic.example/groups.ics?key=a%20b"
        );
        assert!(feed_url("https://10.0.0.5:8443/feed").is_ok());
        for bad in [
            "webcal://0*",
            "https://bad_host.example/x",
            "https://clinic.example/a b",
            "https://clinic.example/%zz",
            "https://clinic.example/x#part",
            "https://clinic.example:99999/",
            "https://user:pw@clinic.example/",
            "ftp://clinic.example/",
        ] {
            assert!(feed_url(bad).is_err(), "{bad}");
        }
    }
}
