//! Assembles the router and runs the server.

use crate::auth::csrf;
use crate::error::error_response;
use crate::routes;
use crate::state::AppState;
use crate::tenancy::{self, Deployment};
use crate::web::{assets, headers, idempotency};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::handler::Handler as _;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use shouwang_api::ErrorCode;
use std::any::Any;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// JSON bodies larger than this are refused with 413.
pub const API_BODY_LIMIT: usize = 256 * 1024;

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHOUWANG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    // A second call (tests, embedding) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// The API's routes and their OpenAPI document, built once per process for the root and
/// once for the other communities, and shared: built per community, a hundred
/// communities held a hundred copies (about 9 MiB each, most of the server's memory).
fn community_api(at_root: bool) -> (Router<AppState>, Arc<utoipa::openapi::OpenApi>) {
    static ROOT: OnceLock<(Router<AppState>, Arc<utoipa::openapi::OpenApi>)> = OnceLock::new();
    static OTHERS: OnceLock<(Router<AppState>, Arc<utoipa::openapi::OpenApi>)> = OnceLock::new();
    let built = if at_root { &ROOT } else { &OTHERS };
    let (api, openapi) = built.get_or_init(|| {
        let (api, openapi) = routes::api(at_root).split_for_parts();
        (api, Arc::new(openapi))
    });
    (api.clone(), Arc::clone(openapi))
}

/// One community's site: its API and the app, served at `/` or under `/c/<slug>/`. The
/// site's root also carries the deployment's API (`deployment`).
pub fn community_router(state: AppState, deployment: Option<Arc<Deployment>>) -> Router {
    let (mut api, openapi) = community_api(deployment.is_some());
    if state.settings.test_hooks {
        api = api.merge(routes::test_hooks::router());
    }
    api = api
        .route(
            "/api/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found));
    if let Some(deployment) = deployment {
        api = api.layer(axum::Extension(deployment));
    }
    let api = api
        .method_not_allowed_fallback(method_not_allowed)
        // Inside the cross-site check: a refused request leaves no key behind.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::honour,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::reject_cross_site,
        ))
        // Personal data must not linger in shared or browser caches. Only the public
        // feeds (/feed.xml, /feed/*.xml) say otherwise, and keep their own max-age.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));

    Router::new()
        .merge(api)
        // Pre-compressed assets pass through; the pages with the board written in are
        // compressed here.
        .fallback(assets::serve.layer(CompressionLayer::new()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            // Method, route pattern, status and latency only: never the query string or
            // headers, which can carry phone numbers, names or tokens.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("(app)", MatchedPath::as_str);
                    tracing::info_span!("request", method = %request.method(), route)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn api_not_found() -> Response {
    error_response(ErrorCode::NotFound)
}

async fn method_not_allowed() -> Response {
    error_response(ErrorCode::MethodNotAllowed)
}

fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(ErrorCode::Internal).into_response()
}

/// The whole site: each community under `/c/<slug>/` (or its own host name), the first
/// community and the deployment's API at the root.
pub fn router(deployment: Arc<Deployment>) -> Router {
    Router::new()
        .fallback(tenancy::at_root)
        // Before any routing: a route with parameters here would leave its parameters in
        // the request, and the community's own routes would see them as theirs.
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&deployment),
            tenancy::at_slug,
        ))
        .with_state(deployment)
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight (whose writes
/// are committed before they are answered) and closes the databases.
pub async fn serve(
    listener: tokio::net::TcpListener,
    deployment: Arc<Deployment>,
) -> anyhow::Result<()> {
    // Under `--test-hooks` the jobs run only when a test asks (`POST /api/test/run-due`),
    // so a test sees each run's counts and nothing runs between its steps.
    let housekeeping = (!deployment.shared().settings.test_hooks)
        .then(|| tokio::spawn(housekeeping(Arc::clone(&deployment))));
    let figures = (!deployment.shared().settings.test_hooks).then(|| {
        // Said before the first request is served: the dashboard then shows kept
        // figures while the keeper's first round is under way.
        deployment.keep_figures_fresh_from_now();
        tokio::spawn(crate::ops::deployment::keep_figures_fresh(Arc::clone(
            &deployment,
        )))
    });
    axum::serve(
        listener,
        router(Arc::clone(&deployment)).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    if let Some(housekeeping) = housekeeping {
        housekeeping.abort();
    }
    if let Some(figures) = figures {
        figures.abort();
    }
    tenancy::close(&deployment).await;
    tracing::info!("stopped");
    Ok(())
}

async fn housekeeping(deployment: Arc<Deployment>) {
    let mut tick = tokio::time::interval(deployment.shared().settings.housekeeping_every);
    loop {
        tick.tick().await;
        tenancy::run_due_everywhere(&deployment).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
