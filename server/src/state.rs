//! What every handler shares: a database handle and a clock — no other state.
//! It sits below the handlers and the router (app.rs), so handlers never
//! import the router that mounts them.

use crate::clock::Clock;
use crate::store::Db;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}
