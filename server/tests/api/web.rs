//! The embedded web app and the headers every response carries.

use crate::helpers::TestServer;
use reqwest::StatusCode;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};

#[tokio::test]
async fn health_answers_after_a_database_round_trip() {
    let server = TestServer::spawn().await;
    let response = server.client().get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "status": "ok" })
    );
}

#[tokio::test]
async fn client_routes_get_the_app_and_assets_are_hashed_compressed_and_immutable() {
    let server = TestServer::spawn().await;
    let http = reqwest::Client::new();

    for path in ["/", "/notices/12", "/staff/notices/new"] {
        let page = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers()[CACHE_CONTROL], "no-cache");
        assert!(
            page.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
    let index = http
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let wasm = index
        .split('\'')
        .find(|part| part.starts_with("/assets/app-") && part.ends_with(".wasm"))
        .expect("index.html names a hashed wasm module")
        .to_owned();

    let module = http
        .get(server.url(&wasm))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(module.status(), StatusCode::OK);
    assert_eq!(module.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(module.headers()[CONTENT_ENCODING], "br");
    assert_eq!(
        module.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let etag = module.headers()[ETAG].clone();

    let gzipped = http
        .get(server.url(&wasm))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()[CONTENT_ENCODING], "gzip");
    let plain = http.get(server.url(&wasm)).send().await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(&plain.bytes().await.unwrap()[..4], b"\0asm");

    let revalidated = http
        .get(server.url(&wasm))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    for missing in ["/assets/app-0000000000.wasm", "/favicon.ico"] {
        let response = http.get(server.url(missing)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    let manifest = http
        .get(server.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        manifest.headers()[CONTENT_TYPE],
        "application/manifest+json"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = TestServer::spawn().await;
    let client = server.client();
    for path in ["/", "/api/health", "/api/notices", "/api/nothing-here"] {
        let response = client.get(path).await;
        let headers = response.headers();
        let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp} lacks {directive}");
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    let api = client.get("/api/notices").await;
    assert_eq!(
        api.headers()[CACHE_CONTROL],
        "no-store",
        "API answers may hold personal data"
    );
}

#[tokio::test]
async fn api_responses_are_compressed_when_large() {
    let server = TestServer::spawn().await;
    let http = reqwest::Client::new();
    let response = http
        .get(server.url("/api/openapi.json"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let server = TestServer::spawn().await;
    let doc: serde_json::Value = server
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/health", &["get"][..]),
        ("/api/auth/login", &["post"]),
        ("/api/auth/logout", &["post"]),
        ("/api/auth/me", &["get"]),
        ("/api/users", &["get", "post"]),
        ("/api/users/{id}/disable", &["post"]),
        ("/api/users/{id}/enable", &["post"]),
        ("/api/notices", &["get", "post"]),
        ("/api/notices/{id}", &["get", "put"]),
        ("/api/notices/{id}/publish", &["post"]),
        ("/api/notices/{id}/withdraw", &["post"]),
        ("/api/notices/preview", &["post"]),
        ("/api/audit", &["get"]),
        ("/api/notifications", &["get"]),
        ("/api/notifications/unread", &["get"]),
        ("/api/notifications/{id}/read", &["post"]),
        ("/api/notifications/read-all", &["post"]),
        ("/api/community/structure", &["get"]),
        ("/api/community/grids", &["post"]),
        ("/api/community/grids/{id}/buildings", &["post"]),
        ("/api/community/buildings/{id}/units", &["post"]),
        ("/api/community/units/{id}/rooms", &["post"]),
        ("/api/community/structure/{level}/{id}", &["put"]),
        ("/api/community/structure/{level}/{id}/retire", &["post"]),
        ("/api/community/grids/{id}/staff", &["put"]),
        ("/api/community/import", &["post"]),
        ("/api/residents/register", &["post"]),
        ("/api/residents/me", &["get"]),
        ("/api/residents/me/members", &["post"]),
        ("/api/residents/me/members/{id}", &["put", "delete"]),
        ("/api/residents/me/consent/withdraw", &["post"]),
        ("/api/residents/me/consent/give", &["post"]),
        ("/api/residents/me/access", &["get"]),
        ("/api/residents/households", &["get", "post"]),
        ("/api/residents/households/{id}", &["get"]),
        ("/api/residents/households/{id}/reveal", &["post"]),
        (
            "/api/residents/households/{id}/members/{member_id}",
            &["put"],
        ),
        ("/api/residents/visits", &["post"]),
        ("/api/residents/coverage", &["get"]),
        ("/api/residents/export", &["get"]),
        ("/api/residents/merge-requests", &["get"]),
        ("/api/residents/merge-requests/{id}/merge", &["post"]),
        ("/api/residents/merge-requests/{id}/reject", &["post"]),
        ("/api/residents/retention", &["get", "post"]),
        ("/api/volunteers/skills", &["get", "post"]),
        ("/api/volunteers/sign-up", &["post"]),
        ("/api/volunteers/me", &["get", "put"]),
        ("/api/volunteers", &["get"]),
        ("/api/volunteers/{id}", &["get"]),
        ("/api/volunteers/{id}/approve", &["post"]),
        ("/api/volunteers/{id}/pause", &["post"]),
        ("/api/volunteers/{id}/remove", &["post"]),
        ("/api/volunteers/me/calendar", &["post", "delete"]),
        ("/api/calendar/{file}", &["get"]),
        ("/api/volunteers/me/hours", &["get"]),
        ("/api/volunteers/hours", &["get"]),
        ("/api/shifts/settings", &["get", "put"]),
        ("/api/shifts", &["get", "post"]),
        ("/api/shifts/{id}", &["get", "put"]),
        ("/api/shifts/{id}/cancel", &["post"]),
        ("/api/shifts/{id}/signup", &["post", "delete"]),
        ("/api/shifts/{id}/signups", &["post"]),
        ("/api/shifts/signups/{id}/check-in", &["post"]),
        ("/api/shifts/signups/{id}/check-out", &["post"]),
        ("/api/shifts/signups/{id}/no-show", &["post"]),
        ("/api/shifts/mine", &["get"]),
        ("/api/shifts/roster", &["get"]),
        ("/api/submissions", &["get", "post"]),
        ("/api/submissions/mine", &["get"]),
        ("/api/submissions/settings", &["get", "put"]),
        ("/api/submissions/batch", &["post"]),
        ("/api/submissions/{id}", &["get"]),
        ("/api/submissions/{id}/verify", &["post"]),
        ("/api/submissions/{id}/reject", &["post"]),
        ("/api/submissions/{id}/rumour", &["post"]),
        ("/api/submissions/{id}/merge", &["post"]),
        ("/api/submissions/{id}/answer", &["post"]),
        ("/api/submitters/{id}/block", &["post"]),
        ("/api/submitters/{id}/unblock", &["post"]),
        ("/api/moderation-log", &["get"]),
        ("/api/community/calendar", &["get"]),
        ("/api/zones/buildings", &["get"]),
        ("/api/zones/buildings/{id}", &["put"]),
        ("/api/zones/buildings/{id}/preview", &["post"]),
        ("/api/zones/buildings/{id}/history", &["get"]),
        ("/api/zones/mine", &["get"]),
        ("/api/supplies/requests", &["get", "post"]),
        ("/api/supplies/mine", &["get"]),
        ("/api/supplies/requests/{id}", &["get"]),
        ("/api/supplies/requests/{id}/actions", &["post"]),
        ("/api/supplies/deliveries", &["get"]),
        ("/api/supplies/requests/{id}/contact", &["post"]),
        ("/api/supplies/volunteers", &["get"]),
        ("/api/supplies/runs", &["post", "get"]),
        ("/api/supplies/runs/{id}/handover", &["post"]),
        ("/api/board/updates", &["get"]),
        ("/api/board/updates/{id}", &["get"]),
        ("/api/board/search", &["get"]),
        ("/api/board/doc-number", &["get"]),
        ("/api/notices/{id}/superseded-by", &["post"]),
        ("/api/board/live", &["get"]),
        ("/api/board/qr.svg", &["get"]),
        ("/api/notices/{id}/receipts", &["put"]),
        ("/api/notices/{id}/receipt", &["get", "post"]),
        ("/api/receipts", &["get"]),
        ("/api/receipts/{notice_id}/buildings", &["get"]),
        ("/api/receipts/{notice_id}/follow-up", &["get"]),
        (
            "/api/receipts/{notice_id}/households/{household_id}",
            &["post"],
        ),
        ("/api/submissions/{id}/photo", &["get", "put"]),
        ("/api/health/me", &["get"]),
        ("/api/health/me/check-ins", &["post"]),
        ("/api/health/me/all-well", &["post"]),
        ("/api/health/worklist", &["get"]),
        ("/api/health/members/{id}", &["get"]),
        ("/api/health/members/{id}/follow-ups", &["post"]),
        ("/api/health/care/{household_id}", &["put"]),
        ("/api/health/care/{household_id}/contacts", &["post"]),
        ("/api/health/care/overdue", &["get"]),
        ("/api/testing/rounds", &["get", "post"]),
        ("/api/testing/rounds/{id}", &["get"]),
        ("/api/testing/rounds/{id}/cancel", &["post"]),
        ("/api/testing/rounds/{id}/untested", &["get"]),
        ("/api/testing/rounds/{id}/door", &["get"]),
        ("/api/testing/rounds/{id}/results", &["post"]),
        (
            "/api/testing/rounds/{id}/results/{member_id}/undo",
            &["post"],
        ),
        ("/api/testing/me", &["get"]),
        ("/api/health/care", &["get"]),
    ] {
        for method in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(*method)).is_some(),
                "{method} {path} is documented"
            );
        }
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["schemas"]["NoticeInput"].is_object());
}

#[tokio::test]
async fn feeds_keep_their_cache_lifetime_and_the_api_stays_uncached() {
    let server = TestServer::spawn().await;
    let client = server.client();
    for feed in ["/feed.xml", "/feed/announcement.xml"] {
        let response = client.get(feed).await;
        assert_eq!(response.status(), StatusCode::OK, "{feed}");
        assert_eq!(
            response.headers()[CACHE_CONTROL],
            "public, max-age=60",
            "{feed}"
        );
    }
    let api = client.get("/api/notices").await;
    assert_eq!(api.headers()[CACHE_CONTROL], "no-store");
}
