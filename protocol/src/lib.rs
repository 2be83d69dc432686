//! Sync protocol v1 between a patient's phone and the clinic server: only the
//! JSON wire types and the limits both sides enforce. No transport, no
//! storage, no FFI: the core maps these types to its own records and the
//! server validates them. docs/sync-protocol.md is the prose version.
//!
//! Requests deny unknown fields (a typo is an error, not silently ignored);
//! responses accept unknown fields so a newer server can add to them.

mod category;
mod clinic;
mod clinic_records;
mod consent;
mod enroll;
mod error;
mod record_type;
mod sync;

pub use category::{strip_notes, ConsentCategory, NOTE_FIELDS};
pub use clinic::{
    ClinicMessage, MedicationPlan, OccurrenceChange, Questionnaire, SessionKind, SessionSeries,
    Weekday,
};
pub use clinic_records::{
    ClinicAttendance, DrugScreen, PatientMessage, ScreenResult, RECORD_TYPE_MESSAGE,
    RECORD_TYPE_MESSAGE_READ,
};
pub use consent::Consent;
pub use enroll::{EnrollRequest, EnrollResponse};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use record_type::RecordType;
pub use sync::{
    ChangeKind, ClinicChange, Mutation, MutationOutcome, MutationResult, Operation, PullRequest,
    PullResponse, PushRequest, PushResponse,
};

/// The protocol version; it is also the first path segment (`/v1/...`).
pub const PROTOCOL_VERSION: u32 = 1;

/// Path prefix of every v1 route.
pub const PATH_PREFIX: &str = "/v1";
/// `POST`: redeem an enrollment code.
pub const PATH_ENROLL: &str = "/v1/enroll";
/// `POST`: send queued mutations.
pub const PATH_PUSH: &str = "/v1/sync/push";
/// `POST`: fetch clinic-authored changes after a cursor.
pub const PATH_PULL: &str = "/v1/sync/pull";

/// Largest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most mutations one push may carry.
pub const MAX_MUTATIONS_PER_PUSH: usize = 500;
/// Largest serialized payload of one mutation, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
/// Longest `record_type` and `record_id`, in bytes.
pub const MAX_ID_BYTES: usize = 64;
/// Page size of a pull when the phone does not ask for one.
pub const DEFAULT_PULL_LIMIT: u32 = 100;
/// Largest page a pull returns.
pub const MAX_PULL_LIMIT: u32 = 500;

/// Record type of a consent grant or revocation in a push.
pub const RECORD_TYPE_CONSENT: &str = "consent";
