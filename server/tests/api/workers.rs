//! Caring for the workers (关心关爱): the staff's duty roster warns where it goes past the
//! rest rules and counts the hours for the subsidy; the wellbeing check is read by its
//! author alone, and the community sees only counts of a large enough team.

use crate::fixtures::{reply, unique};
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::notifications::{Message, Notification};
use shouwang_api::workers::{
    Duty, DutyHoursRow, DutyRoster, DutyRules, RestWarning, WellbeingBand, WellbeingResult,
    WellbeingSummary,
};

/// A staff member of the community, signed in, with their account id.
async fn staff_member(server: &TestServer, name: &str) -> (i64, TestClient) {
    let username = format!("{name}{}", unique());
    let id = server.create_account(Role::Staff, &username).await;
    let client = server.client();
    assert_eq!(
        client.login(&username, PASSWORD).await.status(),
        StatusCode::OK
    );
    (id, client)
}

fn duty(worker: i64, date: &str, start: &str, end: &str, post: &str) -> Value {
    json!({ "worker_id": worker, "date": date, "start": start, "end": end, "post": post })
}

async fn add(admin: &TestClient, body: &Value) -> Duty {
    reply(admin.post("/api/duties", body).await, StatusCode::CREATED).await
}

async fn delete(client: &TestClient, path: &str) -> reqwest::Response {
    client.send(client.http.delete(client.url(path))).await
}

#[tokio::test]
async fn a_worker_sees_their_roster_and_the_rest_it_lacks() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let (wang, wang_client) = staff_member(&server, "wang").await;
    let (li, _) = staff_member(&server, "li").await;

    // A night in the duty room, 20:00 to 08:00 the next morning.
    let night = add(
        &admin,
        &duty(wang, "2027-03-01", "20:00", "08:00", "值班室"),
    )
    .await;
    assert!(night.warnings.is_empty());
    assert_eq!(night.starts_local.to_string(), "2027-03-01 20:00:00");
    assert_eq!(night.ends_local.to_string(), "2027-03-02 08:00:00");
    // UTC+8: the community's evening is the same day's noon in UTC.
    assert_eq!(night.starts_at.to_rfc3339(), "2027-03-01T12:00:00+00:00");
    // Then the gate at noon: four hours of rest where the rules ask for eight.
    let gate = add(
        &admin,
        &duty(wang, "2027-03-02", "12:00", "20:00", "东门卡口"),
    )
    .await;
    assert_eq!(
        gate.warnings,
        vec![RestWarning::ShortRest {
            minutes: 240,
            limit: 480
        }]
    );
    // Another worker's duty at the same time is no one's business but theirs.
    let other = add(
        &admin,
        &duty(li, "2027-03-02", "06:00", "10:00", "入户排查"),
    )
    .await;
    assert!(other.warnings.is_empty());

    // Wang is told, and sees the team's roster with the warning on their own duty.
    let notes: Page<Notification> =
        reply(wang_client.get("/api/notifications").await, StatusCode::OK).await;
    let told: Vec<Message> = notes
        .items
        .iter()
        .filter_map(Notification::message)
        .collect();
    assert!(told.contains(&Message::DutyAssigned {
        id: gate.id,
        post: "东门卡口".into(),
        starts: "03-02 12:00".into(),
    }));
    let roster: DutyRoster = reply(
        wang_client
            .get("/api/duties?from=2027-03-01&to=2027-03-07")
            .await,
        StatusCode::OK,
    )
    .await;
    let listed: Vec<(i64, usize)> = roster
        .duties
        .iter()
        .map(|d| (d.id, d.warnings.len()))
        .collect();
    assert_eq!(listed, vec![(night.id, 0), (other.id, 0), (gate.id, 1)]);
    assert!(roster.workers.iter().any(|w| w.id == wang));
    assert_eq!(roster.rules, DutyRules::default());
    let mine: DutyRoster = reply(
        wang_client
            .get(&format!(
                "/api/duties?from=2027-03-01&to=2027-03-07&worker_id={wang}"
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine.duties.len(), 2);

    // No one is in two places at once.
    assert_error(
        admin
            .post(
                "/api/duties",
                &duty(wang, "2027-03-02", "06:00", "09:00", "值班室"),
            )
            .await,
        StatusCode::CONFLICT,
        "shift_overlap",
    )
    .await;

    // Taken off the roster, the warning goes with it.
    assert_eq!(
        delete(&admin, &format!("/api/duties/{}", night.id))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        delete(&admin, &format!("/api/duties/{}", night.id)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let roster: DutyRoster = reply(
        wang_client
            .get("/api/duties?from=2027-03-01&to=2027-03-07")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(roster.duties.iter().all(|d| d.warnings.is_empty()));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action IN ('duty.add', 'duty.remove')")
            .await,
        4
    );
}

#[tokio::test]
async fn a_week_without_a_day_off_and_the_hours_for_the_subsidy() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let (zhao, _) = staff_member(&server, "zhao").await;
    let rules: DutyRules = reply(
        admin
            .put(
                "/api/duties/rules",
                &json!({ "max_hours_per_week": 40, "min_rest_minutes": 480, "max_days_in_a_row": 6 }),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rules.max_hours_per_week, 40);

    // Eight hours a day, Monday 2027-03-01 to Monday 2027-03-08.
    let mut warnings = Vec::new();
    for day in 1..=8 {
        let date = format!("2027-03-{day:02}");
        warnings.push(
            add(&admin, &duty(zhao, &date, "08:00", "16:00", "值班室"))
                .await
                .warnings,
        );
    }
    assert!(warnings[..5].iter().all(Vec::is_empty), "{warnings:?}");
    assert_eq!(
        warnings[5],
        vec![RestWarning::WeeklyHours {
            hours: 48,
            limit: 40
        }]
    );
    assert_eq!(
        warnings[6],
        vec![
            RestWarning::WeeklyHours {
                hours: 56,
                limit: 40
            },
            RestWarning::NoDayOff { days: 7 }
        ]
    );
    // A new week, but still no day off.
    assert_eq!(warnings[7], vec![RestWarning::NoDayOff { days: 8 }]);

    let hours: Page<DutyHoursRow> = reply(
        admin
            .get("/api/duties/hours?from=2027-03-01&to=2027-03-07")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(hours.total, 1);
    let row = &hours.items[0];
    assert_eq!(
        (row.worker_id, row.duties, row.minutes, row.warned_duties),
        (zhao, 7, 7 * 480, 2)
    );

    let csv = admin
        .get("/api/duties/hours?from=2027-03-01&to=2027-03-07&format=csv")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.expect("a CSV");
    assert!(text.contains("值班时长（小时）"), "{text}");
    assert!(text.contains(",7,56.0,2,2027-03-01,2027-03-07"), "{text}");
    let xlsx = admin
        .get("/api/duties/hours?from=2027-03-01&to=2027-03-07&format=xlsx")
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        xlsx.headers()[CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.contains("spreadsheetml"))
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'duty.hours_export'")
            .await,
        2
    );
}

#[tokio::test]
async fn only_admins_draw_the_roster_and_staff_read_it() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let (worker, staff) = staff_member(&server, "staff").await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let resident = server.sign_in_as(Role::Resident).await;
    let anonymous = server.client();
    let existing = add(
        &admin,
        &duty(worker, "2027-03-01", "08:00", "12:00", "值班室"),
    )
    .await;
    let body = duty(worker, "2027-03-03", "08:00", "12:00", "值班室");
    let rules =
        json!({ "max_hours_per_week": 40, "min_rest_minutes": 480, "max_days_in_a_row": 6 });

    assert_eq!(staff.get("/api/duties").await.status(), StatusCode::OK);
    for (client, status, code) in [
        (&staff, StatusCode::FORBIDDEN, "forbidden"),
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
        (&resident, StatusCode::FORBIDDEN, "forbidden"),
        (&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated"),
    ] {
        assert_error(client.post("/api/duties", &body).await, status, code).await;
        assert_error(
            delete(client, &format!("/api/duties/{}", existing.id)).await,
            status,
            code,
        )
        .await;
        assert_error(client.get("/api/duties/hours").await, status, code).await;
        assert_error(client.put("/api/duties/rules", &rules).await, status, code).await;
        assert_error(client.get("/api/wellbeing/summary").await, status, code).await;
    }
    for (client, status, code) in [
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
        (&resident, StatusCode::FORBIDDEN, "forbidden"),
        (&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated"),
    ] {
        assert_error(client.get("/api/duties").await, status, code).await;
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM staff_duties").await, 1);
}

#[tokio::test]
async fn bad_duties_and_rules_are_refused_by_field() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let (worker, _) = staff_member(&server, "zhou").await;
    let resident_id = server
        .create_account(Role::Resident, &format!("res{}", unique()))
        .await;

    for (body, code, field) in [
        (
            duty(worker, "2027-03-01", "08:00", "12:00", "  "),
            "required",
            "post",
        ),
        (
            duty(worker, "2027-03-01", "08:00", "12:00", &"岗".repeat(31)),
            "too_long",
            "post",
        ),
        (
            duty(0, "2027-03-01", "08:00", "12:00", "值班室"),
            "required",
            "worker_id",
        ),
        (
            duty(resident_id, "2027-03-01", "08:00", "12:00", "值班室"),
            "invalid_value",
            "worker_id",
        ),
        (
            duty(worker + 1000, "2027-03-01", "08:00", "12:00", "值班室"),
            "invalid_value",
            "worker_id",
        ),
    ] {
        let error = assert_error(
            admin.post("/api/duties", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    // Not a time at all.
    let response = admin
        .post("/api/duties", &json!({ "worker_id": worker, "date": "2027-03-01", "start": "8点", "end": "12:00", "post": "值班室" }))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for (path, code, field) in [
        (
            "/api/duties?from=2027-03-07&to=2027-03-01",
            "date_order",
            "to",
        ),
        (
            "/api/duties?from=2027-03-01&to=2027-04-30",
            "too_long",
            "to",
        ),
    ] {
        let error = assert_error(
            admin.get(path).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    for (rules, field) in [
        (
            json!({ "max_hours_per_week": 0, "min_rest_minutes": 480, "max_days_in_a_row": 6 }),
            "max_hours_per_week",
        ),
        (
            json!({ "max_hours_per_week": 40, "min_rest_minutes": 2000, "max_days_in_a_row": 6 }),
            "min_rest_minutes",
        ),
        (
            json!({ "max_hours_per_week": 40, "min_rest_minutes": 480, "max_days_in_a_row": 0 }),
            "max_days_in_a_row",
        ),
    ] {
        let error = assert_error(
            admin.put("/api/duties/rules", &rules).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM staff_duties").await, 0);
}

fn answers(level: &str) -> Value {
    json!({ "nervous": level, "worrying": level, "little_interest": level, "feeling_down": level })
}

#[tokio::test]
async fn a_wellbeing_check_is_read_by_its_author_alone() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let (_, staff) = staff_member(&server, "qian").await;

    let result: WellbeingResult = reply(
        volunteer
            .post("/api/wellbeing", &answers("more_than_half"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((result.total, result.band), (8, WellbeingBand::Moderate));
    assert!(result.anxiety_flag && result.depression_flag);

    let own: Page<WellbeingResult> =
        reply(volunteer.get("/api/wellbeing/mine").await, StatusCode::OK).await;
    assert_eq!(own.items, vec![result.clone()]);
    let others: Page<WellbeingResult> =
        reply(staff.get("/api/wellbeing/mine").await, StatusCode::OK).await;
    assert!(others.items.is_empty(), "another worker sees nothing of it");
    let admins_own: Page<WellbeingResult> =
        reply(admin.get("/api/wellbeing/mine").await, StatusCode::OK).await;
    assert!(admins_own.items.is_empty(), "nor does an admin");

    // One worker: the admin learns that one took it, and nothing about how it went.
    let summary = admin.get("/api/wellbeing/summary").await;
    assert_eq!(summary.status(), StatusCode::OK);
    let raw: Value = summary.json().await.expect("a summary");
    assert!(!raw.to_string().contains("answers") && !raw.to_string().contains("more_than_half"));
    let summary: WellbeingSummary = serde_json::from_value(raw).expect("a summary");
    assert_eq!((summary.workers, summary.withheld), (1, true));
    assert!(summary.bands.is_empty());
    // Nothing of it is in the audit log either.
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'wellbeing%'")
            .await,
        0
    );

    // Residents are not asked; signed-out callers are told to sign in; answers are checked.
    let resident = server.sign_in_as(Role::Resident).await;
    assert_error(
        resident
            .post("/api/wellbeing", &answers("not_at_all"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        resident.get("/api/wellbeing/mine").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        server
            .client()
            .post("/api/wellbeing", &answers("not_at_all"))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let bad = volunteer
        .post("/api/wellbeing", &answers("sometimes"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM wellbeing_checks").await,
        1
    );

    // The author erases it all.
    assert_eq!(
        delete(&volunteer, "/api/wellbeing/mine").await.status(),
        StatusCode::NO_CONTENT
    );
    let own: Page<WellbeingResult> =
        reply(volunteer.get("/api/wellbeing/mine").await, StatusCode::OK).await;
    assert!(own.items.is_empty());
    assert_eq!(
        server.count("SELECT COUNT(*) FROM wellbeing_checks").await,
        0
    );
}

#[tokio::test]
async fn a_team_of_five_sees_counts_of_each_ones_latest_check() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let mut team = Vec::new();
    for _ in 0..4 {
        team.push(server.sign_in_as(Role::Volunteer).await);
    }
    team.push(staff_member(&server, "sun").await.1);
    for (n, worker) in team.iter().enumerate() {
        let level = if n == 0 {
            "nearly_every_day"
        } else {
            "not_at_all"
        };
        let response = worker.post("/api/wellbeing", &answers(level)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // The first worker feels better later: only their latest check counts.
    let again = team[0]
        .post("/api/wellbeing", &answers("several_days"))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);

    let summary: WellbeingSummary =
        reply(admin.get("/api/wellbeing/summary").await, StatusCode::OK).await;
    assert_eq!((summary.workers, summary.withheld), (5, false));
    let counts: Vec<(WellbeingBand, u32)> =
        summary.bands.iter().map(|b| (b.band, b.workers)).collect();
    assert_eq!(
        counts,
        vec![
            (WellbeingBand::Normal, 4),
            (WellbeingBand::Mild, 1),
            (WellbeingBand::Moderate, 0),
            (WellbeingBand::Severe, 0),
        ]
    );
}
