//! Signing in and out in the browser. The password check, its rate limit
//! and the session are the staff API's own (`staff::sign_in`); the page only
//! moves the session token into a cookie. The sign-in form has its own CSRF
//! token (a random value in a short-lived cookie, posted back in the form),
//! so another site cannot sign a browser into an account of its choosing.

use super::page::{render, WebError, WebResult};
use super::session::{
    self, check_origin, cookie, over_tls, set_cookie, WebStaff, SESSION_COOKIE, SIGN_IN_COOKIE,
};
use crate::app::AppState;
use crate::extract::JsonBody;
use crate::{secrets, staff};
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    csrf: String,
    error: String,
    email: String,
}

fn page_with_token(
    headers: &HeaderMap,
    email: String,
    error: String,
    status: StatusCode,
) -> WebResult<Response> {
    let token = secrets::new_token("si")?;
    let mut response = render(&SignInPage {
        csrf: token.clone(),
        error,
        email,
    })?;
    *response.status_mut() = status;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SIGN_IN_COOKIE, &token, 3600, over_tls(headers)),
    );
    Ok(response)
}

/// `GET /dashboard/sign-in`
pub async fn form(headers: HeaderMap) -> WebResult<Response> {
    page_with_token(&headers, String::new(), String::new(), StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /dashboard/sign-in`
pub async fn submit(
    State(state): State<AppState>,
    client: crate::net::ClientAddr,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> WebResult<Response> {
    check_origin(&headers)?;
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.csrf {
        return Err(session::csrf_refused());
    }
    let result = staff::sign_in(
        State(state),
        client,
        JsonBody(staff::SignIn {
            email: form.email.clone(),
            password: form.password,
        }),
    )
    .await;
    match result {
        Ok((_, axum::Json(session))) => {
            let tls = over_tls(&headers);
            let mut response = Redirect::to("/dashboard").into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            let max_age = staff::SESSION_TTL_MS / 1000;
            let cookies = response.headers_mut();
            cookies.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.token, max_age, tls),
            );
            cookies.append(header::SET_COOKIE, set_cookie(SIGN_IN_COOKIE, "", 0, tls));
            Ok(response)
        }
        Err(e) => {
            let status = e.status();
            page_with_token(&headers, form.email, WebError::from(e).message, status)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /dashboard/sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    check_origin(&headers)?;
    web.check_csrf(&form.csrf)?;
    staff::sign_out(State(state), web.auth()).await?;
    let mut response = Redirect::to("/dashboard/sign-in").into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, over_tls(&headers)),
    );
    Ok(response)
}
