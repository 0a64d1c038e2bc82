//! Volunteers sign themselves up from a phone; staff approve, pause or remove them.

use crate::fixtures::{inbox, reply};
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::{Account, Role};
use shouwang_api::volunteers::{CalendarLink, Skill, Volunteer, VolunteerStatus};

pub fn sign_up_body(phone: &str, name: &str) -> Value {
    json!({
        "phone": phone,
        "password": PASSWORD,
        "name": name,
        "service_area": "第一网格",
        "skills": ["medical", "driving"],
        "availability": [{ "weekday": 6, "part": "morning" }],
        "trainings": [{ "training": "prevention", "completed_on": "2022-04-01" }],
    })
}

/// A volunteer who signed up through the API (and is signed in); returns their id.
pub async fn signed_up(server: &TestServer, phone: &str) -> (TestClient, i64) {
    let client = server.client();
    let response = client
        .post("/api/volunteers/sign-up", &sign_up_body(phone, "李明"))
        .await;
    let id = reply::<Volunteer>(response, StatusCode::CREATED).await.id;
    (client, id)
}

/// A volunteer's profile as a reply shows it (the profile itself, or after a decision).
async fn profile(response: reqwest::Response) -> Volunteer {
    reply(response, StatusCode::OK).await
}

async fn me(client: &TestClient) -> Account {
    reply(client.get("/api/auth/me").await, StatusCode::OK).await
}

async fn calendar_link(volunteer: &TestClient) -> String {
    let link: CalendarLink = reply(
        volunteer.action("/api/volunteers/me/calendar").await,
        StatusCode::OK,
    )
    .await;
    link.path
}

#[tokio::test]
async fn a_volunteer_signs_up_and_is_approved_by_staff() {
    let server = TestServer::spawn().await;
    let (volunteer, id) = signed_up(&server, "139 1234 5678").await;

    // Given a new sign-up, they are signed in as a pending volunteer named by their phone.
    let account = me(&volunteer).await;
    assert_eq!(account.role, Role::Volunteer);
    assert_eq!(account.username, "13912345678");
    let own = profile(volunteer.get("/api/volunteers/me").await).await;
    assert_eq!(own.status, VolunteerStatus::Pending);
    assert_eq!(own.phone, "13912345678");
    assert_eq!(own.skills, ["driving", "medical"]);
    assert_eq!(own.trainings[0].completed_on.to_string(), "2022-04-01");

    // Staff see them in the pending list, phone masked.
    let staff = server.sign_in_as(Role::Staff).await;
    let pending: Page<Volunteer> = reply(
        staff.get("/api/volunteers?status=pending").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending.total, 1);
    assert_eq!(pending.items[0].phone, "139****5678");

    // Opening one profile is audited; the phone stays masked (a reveal needs a reason:
    // see hardening.rs).
    let full = profile(staff.get(&format!("/api/volunteers/{id}")).await).await;
    assert_eq!(full.phone, "139****5678");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.view'")
            .await,
        1
    );

    let approved = profile(staff.action(&format!("/api/volunteers/{id}/approve")).await).await;
    assert_eq!(approved.status, VolunteerStatus::Approved);
    assert_eq!(
        approved.phone, "139****5678",
        "a reply to staff masks the phone, as the list does"
    );
    assert_error(
        staff.action(&format!("/api/volunteers/{id}/approve")).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // They are told.
    assert_eq!(inbox(&volunteer).await.items[0].kind, "volunteer.approved");

    let paused = staff.action(&format!("/api/volunteers/{id}/pause")).await;
    assert_eq!(profile(paused).await.status, VolunteerStatus::Paused);
    let removed = staff.action(&format!("/api/volunteers/{id}/remove")).await;
    assert_eq!(profile(removed).await.status, VolunteerStatus::Removed);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'volunteer.%' AND target_id IS NOT NULL")
            .await,
        5,
        "sign-up, view, approve, pause, remove"
    );
}

#[tokio::test]
async fn a_volunteer_edits_their_own_profile() {
    let server = TestServer::spawn().await;
    let (volunteer, id) = signed_up(&server, "13912345678").await;
    let edited = volunteer
        .put(
            "/api/volunteers/me",
            &json!({
                "name": "李明明",
                "service_area": "全社区",
                "skills": ["it"],
                "availability": [],
                "trainings": [],
            }),
        )
        .await;
    let edited = profile(edited).await;
    assert_eq!(edited.name, "李明明");
    assert_eq!(edited.skills, ["it"]);
    assert_eq!(
        edited.status,
        VolunteerStatus::Pending,
        "editing does not approve"
    );
    assert_eq!(me(&volunteer).await.display_name, "李明明");
    let skills = server
        .count(&format!(
            "SELECT COUNT(*) FROM volunteer_skills WHERE volunteer_id = {id}"
        ))
        .await;
    assert_eq!(skills, 1);
}

#[tokio::test]
async fn bad_sign_ups_name_the_field_and_store_nothing() {
    let server = TestServer::spawn().await;
    let client = server.client();
    let cases = [
        ("phone", json!("12345"), "invalid_phone"),
        ("password", json!("short"), "weak_password"),
        ("name", json!(" "), "required"),
        ("skills", json!(["no-such-skill"]), "invalid_value"),
        ("skills", json!(["Bad Skill"]), "invalid_value"),
        (
            "availability",
            json!([{ "weekday": 9, "part": "morning" }]),
            "invalid_value",
        ),
        (
            "trainings",
            json!([{ "training": "prevention", "completed_on": "2999-01-01" }]),
            "invalid_date",
        ),
    ];
    for (field, value, code) in cases {
        let mut body = sign_up_body("13912345678", "李明");
        body[field] = value;
        let error = assert_error(
            client.post("/api/volunteers/sign-up", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM volunteers").await, 0);
    assert_eq!(server.count("SELECT COUNT(*) FROM users").await, 0);

    signed_up(&server, "13912345678").await;
    let again = client
        .post(
            "/api/volunteers/sign-up",
            &sign_up_body("139-1234-5678", "冒名"),
        )
        .await;
    let error = assert_error(again, StatusCode::CONFLICT, "username_taken").await;
    assert_eq!(error.field.as_deref(), Some("phone"));
    assert_eq!(server.count("SELECT COUNT(*) FROM volunteers").await, 1);
}

#[tokio::test]
async fn only_staff_manage_volunteers_and_see_their_phones() {
    let server = TestServer::spawn().await;
    let (_, id) = signed_up(&server, "13912345678").await;
    let (other, _) = signed_up(&server, "13987654321").await;
    let resident = server.sign_in_as(Role::Resident).await;
    let signed_out = server.client();

    for (caller, status) in [
        (&other, StatusCode::FORBIDDEN),
        (&resident, StatusCode::FORBIDDEN),
        (&signed_out, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(caller.get("/api/volunteers").await.status(), status);
        assert_eq!(
            caller.get(&format!("/api/volunteers/{id}")).await.status(),
            status,
            "another volunteer's phone stays hidden"
        );
        assert_eq!(
            caller
                .action(&format!("/api/volunteers/{id}/approve"))
                .await
                .status(),
            status
        );
        assert_eq!(caller.get("/api/volunteers/hours").await.status(), status);
        assert_eq!(
            caller
                .post("/api/volunteers/skills", &json!({ "name": "手语" }))
                .await
                .status(),
            status
        );
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM volunteers WHERE status = 'pending'")
            .await,
        2,
        "nothing changed"
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM skills WHERE builtin = FALSE")
            .await,
        0
    );
    let staff = server.sign_in_as(Role::Staff).await;
    assert_error(
        staff.action("/api/volunteers/999999/approve").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A resident has no volunteer profile.
    assert_eq!(
        resident.get("/api/volunteers/me").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_add_skills_volunteers_can_then_list() {
    let server = TestServer::spawn().await;
    let public: Vec<Skill> = reply(
        server.client().get("/api/volunteers/skills").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(public.len(), 6);
    assert_eq!(public[0].name, "医护");
    let staff = server.sign_in_as(Role::Staff).await;
    let created = staff
        .post("/api/volunteers/skills", &json!({ "name": "手语" }))
        .await;
    let code = reply::<Skill>(created, StatusCode::CREATED).await.code;
    assert_eq!(code, "custom-1");
    assert_error(
        staff
            .post("/api/volunteers/skills", &json!({ "name": "手语" }))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let mut body = sign_up_body("13912345678", "李明");
    body["skills"] = json!([code]);
    let response = server.client().post("/api/volunteers/sign-up", &body).await;
    let signed: Volunteer = reply(response, StatusCode::CREATED).await;
    assert_eq!(signed.skills, ["custom-1"]);
}

#[tokio::test]
async fn a_private_calendar_link_can_be_revoked() {
    let server = TestServer::spawn().await;
    let (volunteer, _) = signed_up(&server, "13912345678").await;
    let path = calendar_link(&volunteer).await;
    assert!(path.starts_with("/api/calendar/") && path.ends_with(".ics"));

    // A calendar app fetches it without a session.
    let feed = server
        .bare_client()
        .get(server.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = feed.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM volunteers WHERE ics_token_hash IS NOT NULL AND length(ics_token_hash) = 64")
            .await,
        1,
        "only a hash of the token is stored"
    );

    // A new link replaces the old one; revoking ends both.
    let second = calendar_link(&volunteer).await;
    let old = server
        .bare_client()
        .get(server.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    let revoked = volunteer
        .send(
            volunteer
                .http
                .delete(volunteer.url("/api/volunteers/me/calendar")),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let gone = server
        .bare_client()
        .get(server.url(&second))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let junk = server
        .bare_client()
        .get(server.url("/api/calendar/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(junk.status(), StatusCode::NOT_FOUND);
}
