//! Record identifiers: random UUIDs, minted on the device so records can be
//! created offline and synced without collisions.

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Checks that `id` has the shape of a record id before it reaches SQL.
pub(crate) fn parse_id(field: &str, id: &str) -> crate::Result<String> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| crate::Error::invalid(field, "not a record id"))
}
