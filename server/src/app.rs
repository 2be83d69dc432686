//! The HTTP application: every route, and serving on a socket. It is the top
//! floor of the server: it imports every handler and no handler imports it
//! (the state they share is in state.rs, re-exported here).

use crate::clinic_records::CLINIC_RECORD_PATHS;
use crate::error::ApiError;
use crate::{clinic_records, enroll, feeds, fhir, openapi, pull, push, records, staff};
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::{on, MethodFilter};
use axum::Router;
use steady_protocol::{ErrorCode, MAX_BODY_BYTES, PATH_ENROLL, PATH_PULL, PATH_PUSH};

pub use crate::state::AppState;

/// A route as the OpenAPI document names it: method and path template.
pub type RouteId = (&'static str, &'static str);

/// The router together with the list of what it registered, so a test can
/// hold the OpenAPI document to exactly these routes.
struct Routes {
    router: Router<AppState>,
    list: Vec<RouteId>,
}

impl Routes {
    fn add<H, T>(mut self, method: &'static str, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = match method {
            "GET" => MethodFilter::GET,
            "PUT" => MethodFilter::PUT,
            "DELETE" => MethodFilter::DELETE,
            _ => MethodFilter::POST,
        };
        self.router = self.router.route(path, on(filter, handler));
        self.list.push((method, path));
        self
    }
}

impl Routes {
    /// The create, replace and delete routes of the kind `K`.
    fn clinic_kind<const K: usize>(self, (collection, item): (&'static str, &'static str)) -> Self {
        self.add("POST", collection, clinic_records::create_kind::<K>)
            .add("PUT", item, clinic_records::replace_kind::<K>)
            .add("DELETE", item, clinic_records::delete_kind::<K>)
    }
}

fn routes() -> Routes {
    Routes {
        router: Router::new(),
        list: Vec::new(),
    }
    .add("GET", "/openapi.json", openapi::serve)
    .add("POST", PATH_ENROLL, enroll::redeem)
    .add("POST", PATH_PUSH, push::push)
    .add("POST", PATH_PULL, pull::pull)
    .add("POST", "/v1/staff/sessions", staff::sign_in)
    .add("DELETE", "/v1/staff/sessions/current", staff::sign_out)
    .add("POST", "/v1/staff/patients", staff::create_patient)
    .add("GET", "/v1/staff/patients", staff::list_patients)
    .add("GET", "/v1/staff/patients/{patient_id}", staff::get_patient)
    .add(
        "POST",
        "/v1/staff/patients/{patient_id}/enrollment-codes",
        enroll::issue,
    )
    .add(
        "POST",
        "/v1/staff/patients/{patient_id}/devices/{device_id}/revoke",
        staff::revoke_device,
    )
    .add(
        "GET",
        "/v1/staff/patients/{patient_id}/clinic-records",
        clinic_records::list,
    )
    .clinic_kind::<0>(CLINIC_RECORD_PATHS[0])
    .clinic_kind::<1>(CLINIC_RECORD_PATHS[1])
    .clinic_kind::<2>(CLINIC_RECORD_PATHS[2])
    .clinic_kind::<3>(CLINIC_RECORD_PATHS[3])
    .clinic_kind::<4>(CLINIC_RECORD_PATHS[4])
    .clinic_kind::<5>(CLINIC_RECORD_PATHS[5])
    .add(
        "GET",
        "/v1/staff/patients/{patient_id}/records",
        records::list,
    )
    .add(
        "GET",
        "/v1/staff/patients/{patient_id}/summary",
        records::summary,
    )
    .add("GET", "/v1/staff/audit", staff::audit)
    .add("GET", "/v1/staff/patients/{patient_id}/fhir", fhir::export)
    .add(
        "GET",
        "/v1/staff/patients/{patient_id}/disclosures",
        fhir::staff_accounting,
    )
    .add("GET", "/v1/disclosures", fhir::patient_accounting)
    .add(
        "PUT",
        "/v1/staff/patients/{patient_id}/calendar-feed",
        feeds::subscribe,
    )
    .add(
        "POST",
        "/v1/staff/patients/{patient_id}/calendar-feed/poll",
        feeds::poll_now,
    )
}

/// Every (method, path) the server answers.
pub fn route_list() -> Vec<RouteId> {
    routes().list
}

pub fn router(state: AppState) -> Router {
    routes()
        .router
        .merge(crate::web::router())
        .fallback(|| async { ApiError::new(ErrorCode::NotFound, "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                ErrorCode::InvalidRequest,
                "method: this route does not take that method (see Allow)",
            )
            .with_status(axum::http::StatusCode::METHOD_NOT_ALLOWED)
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(close_after_error))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::clinic_scope::enforce,
        ))
        // Outermost: nothing, not even the clinic-scope check, reads a path
        // or query holding a control character.
        .layer(axum::middleware::from_fn(
            crate::extract::refuse_control_characters,
        ))
        .with_state(state)
}

/// A refused request may leave its body unread, and then the connection
/// cannot carry another request; saying so spares clients a failed reuse.
async fn close_after_error(mut response: Response) -> Response {
    if response.status().is_client_error() || response.status().is_server_error() {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Serves until the process ends, with the default connection limits
/// ([`crate::net::ServerOptions`]).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with(listener, state, crate::net::ServerOptions::default()).await
}

/// Serves with chosen timeouts, connection limits, trusted proxies and TLS.
/// Client addresses reach handlers for the per-address enrollment limit.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: crate::net::ServerOptions,
) -> std::io::Result<()> {
    let _ = tokio::task::spawn_blocking(crate::secrets::prepare).await;
    crate::net::serve(listener, router(state), options).await
}
