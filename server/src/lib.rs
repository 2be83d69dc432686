//! steady-clinic: the clinic's sync server and staff API. Phones enroll with
//! a one-time code, push what the patient consents to share and pull what
//! the clinic authors; staff manage patients and read what was disclosed,
//! with every access in an append-only audit log. Storage is SQLite by
//! default and PostgreSQL in production (see docs/server.md).

// The OpenAPI document is one large `json!` literal.
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod audit;
pub mod background;
pub mod bench;
pub mod clinic_records;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod enroll;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod fhir;
pub mod net;
pub mod openapi;
pub mod page;
pub mod pull;
pub mod push;
pub mod rate_limit;
pub mod records;
pub mod secrets;
pub mod settings;
pub mod staff;
pub mod store;
pub mod tls;
pub mod validate;
// The clinician dashboard (docs/dashboard.md).
pub mod alerts;
pub mod clinic_attendance;
pub mod clinic_scope;
pub mod drug_screens;
pub mod flags;
pub mod messages;
pub mod office_hours;
pub mod web;
// What the handlers share, below them and the router.
pub mod clinic_changes;
pub mod state;
