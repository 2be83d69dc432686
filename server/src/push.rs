//! Push: a device's ordered mutations, each applied exactly once. One
//! transaction per push locks the device row, applies every new mutation and
//! moves the device's last sequence with them, so a retry, a duplicate or a
//! crash can neither double nor lose a record.

use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::consent;
use crate::error::{ApiError, ApiResult};
use crate::extract::{DeviceAuth, JsonBody};
use crate::store::{DbError, Mode, Tx, Value};
use axum::extract::State;
use axum::Json;
use std::collections::HashSet;
use steady_protocol::{
    strip_notes, ConsentCategory, ErrorCode, Mutation, MutationOutcome, MutationResult, Operation,
    PushRequest, PushResponse, MAX_ID_BYTES, MAX_MUTATIONS_PER_PUSH, MAX_PAYLOAD_BYTES,
    RECORD_TYPE_CONSENT,
};

/// `POST /v1/sync/push`
pub async fn push(
    State(state): State<AppState>,
    device: DeviceAuth,
    JsonBody(request): JsonBody<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    device.check_device_id(&request.device_id)?;
    check_order(&request.mutations)?;
    let now = state.clock.now_ms();
    let response = state
        .db
        .run(Mode::Write, move |tx| {
            apply_push(tx, &device, &request.mutations, now)
        })
        .await?;
    Ok(Json(response))
}

/// Request-level checks: a push that fails them is refused whole.
fn check_order(mutations: &[Mutation]) -> ApiResult<()> {
    if mutations.len() > MAX_MUTATIONS_PER_PUSH {
        return Err(ApiError::invalid(
            "mutations",
            format!("more than {MAX_MUTATIONS_PER_PUSH} in one push"),
        ));
    }
    let mut previous = 0;
    for (i, mutation) in mutations.iter().enumerate() {
        if mutation.seq <= previous {
            return Err(ApiError::invalid(
                &format!("mutations[{i}].seq"),
                "must be positive and strictly increasing",
            ));
        }
        previous = mutation.seq;
    }
    Ok(())
}

fn apply_push(
    tx: &mut dyn Tx,
    device: &DeviceAuth,
    mutations: &[Mutation],
    now_ms: i64,
) -> ApiResult<PushResponse> {
    // Locks the device row: concurrent pushes of one device run one after the
    // other, on any server instance.
    let row = tx
        .query_opt(
            "UPDATE devices SET last_seen_ms = $1 WHERE id = $2 AND revoked_at_ms IS NULL
             RETURNING last_seq",
            &[now_ms.into(), device.device_id.clone().into()],
        )?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::DeviceRevoked,
                "this device was revoked by the clinic",
            )
        })?;
    let mut last_seq = row.int(0)?;
    let mut consents = Consents::Stale;
    let mut records = RecordWrites::default();
    let mut results = Vec::with_capacity(mutations.len());
    let (mut applied, mut duplicate, mut rejected) = (0, 0, 0);
    for mutation in mutations {
        let outcome = if mutation.seq <= last_seq {
            duplicate += 1;
            MutationOutcome::Duplicate
        } else {
            last_seq = mutation.seq;
            match apply_one(tx, device, mutation, &mut consents, &mut records, now_ms)? {
                Ok(()) => {
                    applied += 1;
                    MutationOutcome::Applied
                }
                Err(reason) => {
                    rejected += 1;
                    MutationOutcome::Rejected { reason }
                }
            }
        };
        results.push(MutationResult {
            seq: mutation.seq,
            outcome,
        });
    }
    records.flush(tx)?;
    tx.exec(
        "UPDATE devices SET last_seq = $1 WHERE id = $2",
        &[last_seq.into(), device.device_id.clone().into()],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor: &device.actor(),
            action: "records.push",
            patient_id: Some(&device.patient_id),
            purpose: "disclosure under patient consent",
            detail: format!(
                "applied={applied} duplicate={duplicate} rejected={rejected} last_seq={last_seq}"
            ),
        },
    )?;
    Ok(PushResponse { results, last_seq })
}

/// The categories with a current consent at this point of the queue, read
/// again only when a record needs them after a consent changed.
enum Consents {
    Stale,
    Current(HashSet<ConsentCategory>),
}

impl Consents {
    fn get(
        &mut self,
        tx: &mut dyn Tx,
        patient_id: &str,
        now_ms: i64,
    ) -> Result<&HashSet<ConsentCategory>, DbError> {
        if let Consents::Stale = self {
            *self = Consents::Current(consent::current_categories(tx, patient_id, now_ms)?);
        }
        match self {
            Consents::Current(categories) => Ok(categories),
            Consents::Stale => Err(DbError::Other("consents not read".into())),
        }
    }
}

/// Record upserts waiting to be written in one statement (one round trip
/// on PostgreSQL instead of one per record). Written before anything that
/// could read them (a consent) and before the push ends; a record already
/// waiting is written first, since one statement cannot upsert a row twice.
#[derive(Default)]
struct RecordWrites {
    rows: Vec<[Value; 10]>,
}

/// Rows per statement: far below both databases' parameter limits, and few
/// distinct statement texts to prepare.
const RECORDS_PER_STATEMENT: usize = 25;

impl RecordWrites {
    fn add(&mut self, tx: &mut dyn Tx, row: [Value; 10]) -> Result<(), DbError> {
        let same_record = |other: &[Value; 10]| other[..3] == row[..3];
        if self.rows.len() >= RECORDS_PER_STATEMENT || self.rows.iter().any(same_record) {
            self.flush(tx)?;
        }
        self.rows.push(row);
        Ok(())
    }

    fn flush(&mut self, tx: &mut dyn Tx) -> Result<(), DbError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let values = (0..self.rows.len())
            .map(|r| {
                let marks: Vec<String> = (1..=10).map(|c| format!("${}", r * 10 + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let params: Vec<Value> = self.rows.drain(..).flatten().collect();
        tx.exec(
            &format!(
                "INSERT INTO records (patient_id, record_type, record_id, category, payload,
                     deleted, device_id, seq, created_at_ms, received_at_ms)
                 VALUES {values}
                 ON CONFLICT (patient_id, record_type, record_id) DO UPDATE SET
                     category = excluded.category, payload = excluded.payload,
                     deleted = excluded.deleted, device_id = excluded.device_id,
                     seq = excluded.seq, created_at_ms = excluded.created_at_ms,
                     received_at_ms = excluded.received_at_ms"
            ),
            &params,
        )?;
        Ok(())
    }
}

/// Applies one new mutation; `Ok(Err(reason))` rejects it.
fn apply_one(
    tx: &mut dyn Tx,
    device: &DeviceAuth,
    mutation: &Mutation,
    consents: &mut Consents,
    records: &mut RecordWrites,
    now_ms: i64,
) -> Result<Result<(), String>, DbError> {
    if let Err(reason) = check_shape(mutation) {
        return Ok(Err(reason));
    }
    if mutation.record_type == RECORD_TYPE_CONSENT {
        records.flush(tx)?;
        let outcome = consent::apply(tx, &device.patient_id, &device.device_id, mutation, now_ms)?;
        *consents = Consents::Stale;
        return Ok(outcome);
    }
    // The category comes from the record's type, never from the label the
    // device put on it: a lapse labelled `attendance` is still a lapse.
    let Some(category) =
        steady_protocol::RecordType::parse(&mutation.record_type).map(|t| t.category())
    else {
        return Ok(Err(format!(
            "record_type: {} is not a record type phones share",
            mutation.record_type
        )));
    };
    if category != mutation.category {
        return Ok(Err(format!(
            "category: a {} record is {category}, not {}",
            mutation.record_type, mutation.category
        )));
    }
    let consented = consents.get(tx, &device.patient_id, now_ms)?;
    if !consented.contains(&category) {
        return Ok(Err(format!("no current consent for {category}")));
    }
    let (payload, deleted) = match mutation.operation {
        Operation::Upsert => {
            let mut payload = mutation.payload.clone();
            // Free text inside another record needs the notes consent too.
            if category != ConsentCategory::Notes && !consented.contains(&ConsentCategory::Notes) {
                strip_notes(&mut payload);
            }
            (Some(payload.to_string()), false)
        }
        Operation::Delete => (None, true),
    };
    records.add(
        tx,
        [
            device.patient_id.clone().into(),
            mutation.record_type.clone().into(),
            mutation.record_id.clone().into(),
            category.as_str().into(),
            payload.into(),
            deleted.into(),
            device.device_id.clone().into(),
            mutation.seq.into(),
            mutation.created_at_ms.into(),
            now_ms.into(),
        ],
    )?;
    Ok(Ok(()))
}

/// Per-mutation checks: failing one rejects that mutation only.
fn check_shape(mutation: &Mutation) -> Result<(), String> {
    let record_type = &mutation.record_type;
    if record_type.is_empty()
        || record_type.len() > MAX_ID_BYTES
        || !record_type
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(format!(
            "record_type: must be 1 to {MAX_ID_BYTES} of a-z, 0-9 and _"
        ));
    }
    let record_id = &mutation.record_id;
    if record_id.is_empty()
        || record_id.len() > MAX_ID_BYTES
        || record_id.chars().any(char::is_control)
    {
        return Err(format!(
            "record_id: must be 1 to {MAX_ID_BYTES} bytes of text"
        ));
    }
    if mutation.operation == Operation::Upsert {
        if !mutation.payload.is_object() {
            return Err("payload: must be a JSON object for upsert".into());
        }
        if mutation.payload.to_string().len() > MAX_PAYLOAD_BYTES {
            return Err(format!("payload: larger than {MAX_PAYLOAD_BYTES} bytes"));
        }
    }
    Ok(())
}
