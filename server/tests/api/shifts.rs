//! Staff create shifts; volunteers take seats, wait in line, rest, check in and out.

use crate::fixtures::{inbox, reply, reply_with_wire};
use crate::helpers::{TestClient, TestServer, assert_error};
use crate::volunteers::signed_up;
use chrono::{Duration, NaiveDateTime, NaiveTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, ORIGIN};
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang::domain::sessions::new_token;
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::notifications::Message;
use shouwang_api::shifts::{CreatedShifts, MySignup, PostType, Roster, Shift, SignupStatus};
use shouwang_api::volunteers::{CalendarLink, HoursRow, MyHours};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

/// Wall-clock time in the community (Asia/Shanghai, UTC+8), whole minutes.
pub(crate) fn local_now() -> NaiveDateTime {
    let now = (Utc::now() + Duration::hours(8)).naive_utc();
    now.date()
        .and_hms_opt(
            chrono::Timelike::hour(&now),
            chrono::Timelike::minute(&now),
            0,
        )
        .unwrap()
}

/// A shift body starting at local `start` for `hours`.
pub(crate) fn shift_at(start: NaiveDateTime, hours: i64, capacity: u32) -> Value {
    let end = start + Duration::hours(hours);
    json!({
        "post": "entrance",
        "place": "东门",
        "date": start.date(),
        "start": start.time().format("%H:%M").to_string(),
        "end": end.time().format("%H:%M").to_string(),
        "capacity": capacity,
    })
}

/// Tomorrow (local) at `hour`:00.
pub(crate) fn tomorrow_at(hour: u32) -> NaiveDateTime {
    (local_now().date() + Duration::days(1))
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

pub(crate) async fn create(staff: &TestClient, body: &Value) -> i64 {
    let response = staff.post("/api/shifts", body).await;
    let created: CreatedShifts = reply(response, StatusCode::CREATED).await;
    created.ids[0]
}

/// One shift as the caller sees it.
async fn shift(client: &TestClient, id: i64) -> Shift {
    reply(
        client.get(&format!("/api/shifts/{id}")).await,
        StatusCode::OK,
    )
    .await
}

/// The shifts listed at `/api/shifts?query`.
async fn shifts(client: &TestClient, query: &str) -> Page<Shift> {
    reply(
        client.get(&format!("/api/shifts?{query}")).await,
        StatusCode::OK,
    )
    .await
}

/// The staff roster of a local day.
async fn roster(staff: &TestClient, day: chrono::NaiveDate) -> Roster {
    reply(
        staff.get(&format!("/api/shifts/roster?day={day}")).await,
        StatusCode::OK,
    )
    .await
}

/// The caller's own sign-ups, coming first.
async fn my_signups(volunteer: &TestClient) -> Page<MySignup> {
    reply(volunteer.get("/api/shifts/mine").await, StatusCode::OK).await
}

/// A sign-up that was taken (`201`): the seat, or the place in line.
async fn signup_of(response: reqwest::Response) -> MySignup {
    reply(response, StatusCode::CREATED).await
}

fn at_time(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).expect("an hour of the day")
}

/// An approved volunteer made straight in the database, with a session: no password
/// hash and no sign-in, so fifty of them are quick to make.
async fn approved(server: &TestServer, skills: &[&str]) -> (TestClient, i64) {
    approved_at(server, server, skills).await
}

/// An approved volunteer made in `server`'s database, browsing `instance` (another
/// instance on the same database, or the same server).
pub(crate) async fn approved_at(
    server: &TestServer,
    instance: &TestServer,
    skills: &[&str],
) -> (TestClient, i64) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let phone = format!("1380000{:04}", NEXT.fetch_add(1, Ordering::Relaxed));
    let db = server.connect().await;
    let id: i64 = sql::query_scalar(
        "INSERT INTO users (username, display_name, role, password_hash, created_at)
         VALUES (?, '志愿者', 'volunteer', 'x', ?) RETURNING id",
    )
    .bind(&phone)
    .bind(Utc::now())
    .fetch_one(&db)
    .await
    .unwrap();
    sql::query(
        "INSERT INTO volunteers (user_id, name, phone, service_area, status, created_at, updated_at)
         VALUES (?, '志愿者', ?, '第一网格', 'approved', ?, ?)",
    )
    .bind(id)
    .bind(&phone)
    .bind(Utc::now())
    .bind(Utc::now())
    .execute(&db)
    .await
    .unwrap();
    for skill in skills {
        sql::query("INSERT INTO volunteer_skills (volunteer_id, skill_code) VALUES (?, ?)")
            .bind(id)
            .bind(skill)
            .execute(&db)
            .await
            .unwrap();
    }
    let (token, hash) = new_token();
    sql::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(hash)
    .bind(id)
    .bind(Utc::now())
    .bind(Utc::now() + Duration::days(1))
    .execute(&db)
    .await
    .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(&instance.base).unwrap());
    headers.insert(
        COOKIE,
        HeaderValue::from_str(&format!("shouwang_session={token}")).unwrap(),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    (
        TestClient {
            base: instance.base.clone(),
            http,
        },
        id,
    )
}

pub(crate) async fn take(volunteer: &TestClient, shift: i64, waitlist: bool) -> reqwest::Response {
    volunteer
        .post(
            &format!("/api/shifts/{shift}/signup"),
            &json!({ "join_waitlist": waitlist }),
        )
        .await
}

async fn settings(staff: &TestClient, max_hours: u32, rest_minutes: u32) {
    let response = staff
        .put(
            "/api/shifts/settings",
            &json!({
                "time_zone": "Asia/Shanghai",
                "utc_offset_minutes": 480,
                "max_hours_per_week": max_hours,
                "min_rest_minutes": rest_minutes,
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn staff_create_a_shift_repeating_daily_for_two_weeks() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let mut body = shift_at(tomorrow_at(7), 4, 3);
    body["repeat"] = json!("daily");
    body["repeat_until"] = json!(tomorrow_at(7).date() + Duration::days(13));
    let created: CreatedShifts =
        reply(staff.post("/api/shifts", &body).await, StatusCode::CREATED).await;
    assert_eq!(created.ids.len(), 14);
    assert_eq!(created.series_id, Some(created.ids[0]));

    // Stored in UTC: 07:00 in Shanghai is 23:00 UTC the day before.
    let first = shift(&staff, created.ids[0]).await;
    assert_eq!(first.starts_at.time(), at_time(23));
    assert_eq!(first.starts_local.time(), at_time(7));
    assert_eq!(first.capacity, 3);
    assert_eq!(
        server
            .count(
                "SELECT COUNT(*) FROM shifts WHERE substr(CAST(starts_at AS TEXT), 12, 5) = '23:00'"
            )
            .await,
        14
    );

    // The list filters by local day and pages.
    let day = tomorrow_at(7).date() + Duration::days(3);
    let page = shifts(&staff, &format!("day={day}")).await;
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].starts_local, day.and_time(at_time(7)));
    let page = shifts(&staff, "per_page=5&page=3").await;
    assert_eq!((page.total, page.items.len()), (14, 4));
    assert_eq!(shifts(&staff, "post=delivery").await.total, 0);
    assert_eq!(shifts(&staff, "place=%E4%B8%9C%E9%97%A8").await.total, 14);
}

#[tokio::test]
async fn a_night_shift_crosses_local_midnight() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let start = tomorrow_at(22);
    let id = create(&staff, &shift_at(start, 8, 2)).await;
    let night = shift(&staff, id).await;
    let next_day = start.date() + Duration::days(1);
    assert_eq!(night.ends_local, next_day.and_time(at_time(6)));
    // It belongs to the day it starts on, in the community's time zone.
    let on_start_day = shifts(&staff, &format!("day={}", start.date())).await;
    assert_eq!(on_start_day.total, 1);
    let on_next_day = shifts(&staff, &format!("day={next_day}")).await;
    assert_eq!(on_next_day.total, 0);
    let roster = roster(&staff, start.date()).await;
    assert_eq!(roster.shifts.len(), 1);
    assert_eq!(roster.time_zone, "Asia/Shanghai");
}

#[tokio::test]
async fn bad_shifts_name_the_field_and_store_nothing() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let base = shift_at(tomorrow_at(7), 4, 3);
    let cases = [
        ("capacity", json!(0), "invalid_value"),
        ("place", json!(""), "required"),
        ("end", json!("07:00"), "date_order"),
        ("post", json!("dancing"), "invalid_value"),
        ("required_skill", json!("no-such"), "invalid_value"),
        ("date", json!("2020-01-01"), "invalid_date"),
        ("start", json!("25:00"), "invalid_type"),
        ("post_custom", json!(null), "required"),
    ];
    for (field, value, code) in cases {
        let mut body = base.clone();
        body[field] = value;
        if field == "post_custom" {
            body["post"] = json!("custom");
        }
        let error = assert_error(
            staff.post("/api/shifts", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{field}");
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM shifts").await, 0);
}

#[tokio::test]
async fn volunteers_and_residents_cannot_edit_shifts_or_sign_others_up() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = create(&staff, &shift_at(tomorrow_at(7), 4, 3)).await;
    let (volunteer, _) = approved(&server, &[]).await;
    let (_, other) = approved(&server, &[]).await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = shift_at(tomorrow_at(8), 4, 30);
    for caller in [&volunteer, &resident] {
        assert_eq!(
            caller.post("/api/shifts", &body).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caller
                .put(&format!("/api/shifts/{id}"), &body)
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caller
                .action(&format!("/api/shifts/{id}/cancel"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caller
                .post(
                    &format!("/api/shifts/{id}/signups"),
                    &json!({ "volunteer_id": other })
                )
                .await
                .status(),
            StatusCode::FORBIDDEN,
            "nobody but staff signs others up"
        );
        assert_eq!(
            caller.get("/api/shifts/roster").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caller
                .put(
                    "/api/shifts/settings",
                    &json!({ "time_zone": "UTC", "utc_offset_minutes": 0, "max_hours_per_week": 1, "min_rest_minutes": 0 })
                )
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
    // Residents neither browse nor take shifts.
    assert_eq!(
        resident.get("/api/shifts").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        take(&resident, id, false).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM shifts WHERE capacity = 3")
            .await,
        1
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM shift_signups").await, 0);
    assert_eq!(
        server
            .count("SELECT max_hours_per_week FROM shift_settings")
            .await,
        40
    );
    // A volunteer browsing sees counts, never who signed up.
    let wire: Value = reply(
        volunteer.get(&format!("/api/shifts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(wire.get("people").is_none());
    assert_eq!(
        server.client().get("/api/shifts").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn eligibility_needs_approval_skill_and_training() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let mut body = shift_at(tomorrow_at(7), 4, 3);
    body["required_skill"] = json!("medical");
    let medical = create(&staff, &body).await;
    let mut body = shift_at(tomorrow_at(14), 2, 3);
    body["required_training"] = json!("first_aid");
    let first_aid = create(&staff, &body).await;
    let open = create(&staff, &shift_at(tomorrow_at(20), 2, 3)).await;

    let (pending, _) = signed_up(&server, "13912345678").await;
    assert_error(
        take(&pending, open, false).await,
        StatusCode::FORBIDDEN,
        "volunteer_not_approved",
    )
    .await;

    let (driver, _) = approved(&server, &["driving"]).await;
    assert_error(
        take(&driver, medical, false).await,
        StatusCode::FORBIDDEN,
        "skill_required",
    )
    .await;
    assert_error(
        take(&driver, first_aid, false).await,
        StatusCode::FORBIDDEN,
        "training_required",
    )
    .await;
    // The browse list shows only what they qualify for.
    let list = shifts(&driver, "").await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].id, open);

    let (doctor, _) = approved(&server, &["medical"]).await;
    assert_eq!(
        take(&doctor, medical, false).await.status(),
        StatusCode::CREATED
    );
    assert_error(
        take(&doctor, medical, false).await,
        StatusCode::CONFLICT,
        "already_signed_up",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM shift_signups").await, 1);
}

#[tokio::test]
async fn a_full_shift_offers_its_waitlist_and_a_cancellation_promotes_the_first_in_line() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = create(&staff, &shift_at(tomorrow_at(7), 4, 1)).await;
    let (first, _) = approved(&server, &[]).await;
    let (second, second_id) = approved(&server, &[]).await;
    let (third, _) = approved(&server, &[]).await;

    let taken = signup_of(take(&first, id, false).await).await;
    assert_eq!(taken.status, SignupStatus::SignedUp);
    assert_error(
        take(&second, id, false).await,
        StatusCode::CONFLICT,
        "shift_full",
    )
    .await;
    let waiting = signup_of(take(&second, id, true).await).await;
    assert_eq!(waiting.status, SignupStatus::Waitlisted);
    let waiting = signup_of(take(&third, id, true).await).await;
    let position = waiting.shift.my_signup.and_then(|s| s.waitlist_position);
    assert_eq!(position, Some(2));
    assert_eq!(waiting.shift.waitlisted, 2);

    let cancelled = first
        .send(
            first
                .http
                .delete(first.url(&format!("/api/shifts/{id}/signup"))),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);

    assert_eq!(
        my_signups(&second).await.items[0].status,
        SignupStatus::SignedUp
    );
    let told = &inbox(&second).await.items[0];
    assert_eq!(told.kind, "shift.promoted");
    match told.message() {
        Some(Message::ShiftPromoted(notice)) => assert_eq!(notice.place, "东门"),
        other => panic!("a promotion with its shift, not {other:?}"),
    }
    let third_view = shift(&third, id).await;
    let position = third_view.my_signup.and_then(|s| s.waitlist_position);
    assert_eq!(position, Some(1));
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM shift_signups WHERE status = 'signed_up' AND volunteer_id = {second_id}"
            ))
            .await,
        1
    );
    // The roster shows the seat taken, and one in line.
    let roster = roster(&staff, tomorrow_at(7).date()).await;
    let people = &roster.shifts[0].people;
    assert_eq!(people.len(), 2);
    assert_eq!(roster.shifts[0].gap, 0);
    assert!(people[0].phone.contains("****"));
}

#[tokio::test]
async fn capacity_holds_under_fifty_simultaneous_sign_ups() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = create(&staff, &shift_at(tomorrow_at(7), 4, 10)).await;
    let mut volunteers = Vec::new();
    for _ in 0..50 {
        volunteers.push(approved(&server, &[]).await.0);
    }
    let started = Instant::now();
    let tasks: Vec<_> = volunteers
        .into_iter()
        .map(|v| tokio::spawn(async move { take(&v, id, true).await.status() }))
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::CREATED);
    }
    let elapsed = started.elapsed();
    eprintln!(
        "capacity test: 50 concurrent sign-ups on one shift (capacity 10) in {:.1} ms: {:.0} sign-ups/s",
        elapsed.as_secs_f64() * 1000.0,
        50.0 / elapsed.as_secs_f64()
    );
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM shift_signups WHERE shift_id = {id} AND status = 'signed_up'"
            ))
            .await,
        10
    );
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM shift_signups WHERE shift_id = {id} AND status = 'waitlisted'"
            ))
            .await,
        40
    );
    let full = shift(&staff, id).await;
    assert_eq!((full.taken, full.waitlisted), (10, 40));
}

#[tokio::test]
async fn rotation_rules_refuse_overlap_short_rest_and_too_many_hours() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    settings(&staff, 10, 120).await;
    let day = tomorrow_at(0).date() + Duration::days(7);
    let at = |h: u32| day.and_hms_opt(h, 0, 0).unwrap();
    let morning = create(&staff, &shift_at(at(7), 4, 5)).await;
    let overlapping = create(&staff, &shift_at(at(9), 2, 5)).await;
    let too_soon = create(&staff, &shift_at(at(12), 2, 5)).await;
    let afternoon = create(&staff, &shift_at(at(13), 4, 5)).await;
    let evening = create(&staff, &shift_at(at(19), 3, 5)).await;
    let (volunteer, _) = approved(&server, &[]).await;

    assert_eq!(
        take(&volunteer, morning, false).await.status(),
        StatusCode::CREATED
    );
    let error = assert_error(
        take(&volunteer, overlapping, false).await,
        StatusCode::CONFLICT,
        "shift_overlap",
    )
    .await;
    assert!(error.message.contains("overlaps"));
    assert_error(
        take(&volunteer, too_soon, false).await,
        StatusCode::CONFLICT,
        "rest_too_short",
    )
    .await;
    assert_eq!(
        take(&volunteer, afternoon, false).await.status(),
        StatusCode::CREATED
    );
    // 4 + 4 hours taken; 3 more would make 11 of 10 allowed this week.
    assert_error(
        take(&volunteer, evening, false).await,
        StatusCode::CONFLICT,
        "weekly_hours_exceeded",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM shift_signups").await, 2);
}

#[tokio::test]
async fn check_in_and_out_record_hours_that_staff_export() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let soon = local_now() + Duration::minutes(10);
    let id = create(&staff, &shift_at(soon, 2, 2)).await;
    let later = create(&staff, &shift_at(tomorrow_at(20), 2, 2)).await;
    let (volunteer, volunteer_id) = approved(&server, &[]).await;
    let (absent, _) = approved(&server, &[]).await;
    let (stranger, _) = approved(&server, &[]).await;
    let signup = signup_of(take(&volunteer, id, false).await).await.id;
    let absent_signup = signup_of(take(&absent, id, false).await).await.id;
    let later_signup = signup_of(take(&volunteer, later, false).await).await.id;

    // Too early for tomorrow's shift; nobody checks in someone else.
    assert_error(
        volunteer
            .action(&format!("/api/shifts/signups/{later_signup}/check-in"))
            .await,
        StatusCode::CONFLICT,
        "check_in_window",
    )
    .await;
    assert_error(
        stranger
            .action(&format!("/api/shifts/signups/{signup}/check-in"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        volunteer
            .action(&format!("/api/shifts/signups/{signup}/check-out"))
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        volunteer
            .action(&format!("/api/shifts/signups/{signup}/check-in"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // A no-show is marked by staff only, and only once the shift has started.
    assert_eq!(
        volunteer
            .action(&format!("/api/shifts/signups/{absent_signup}/no-show"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_error(
        staff
            .action(&format!("/api/shifts/signups/{absent_signup}/no-show"))
            .await,
        StatusCode::CONFLICT,
        "check_in_window",
    )
    .await;
    // Given the shift started two hours ago (and the check-in was then) ...
    let db = server.connect().await;
    let two_hours_ago = Utc::now() - Duration::hours(2);
    sql::query("UPDATE shifts SET starts_at = ?, ends_at = ? WHERE id = ?")
        .bind(two_hours_ago)
        .bind(Utc::now())
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    sql::query("UPDATE shift_signups SET checked_in_at = ? WHERE id = ?")
        .bind(two_hours_ago)
        .bind(signup)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        staff
            .action(&format!("/api/shifts/signups/{absent_signup}/no-show"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // ... staff check the volunteer out for them.
    assert_eq!(
        staff
            .action(&format!("/api/shifts/signups/{signup}/check-out"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    let (mine, wire): (MyHours, _) = reply_with_wire(
        volunteer.get("/api/volunteers/me/hours").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine.total_minutes, 120);
    // The post travels as a code the app names in the reader's language (issue 14 #19).
    assert_eq!(mine.entries[0].post, PostType::Entrance);
    assert!(wire["entries"][0].get("post_label").is_none());

    let report: Page<HoursRow> =
        reply(staff.get("/api/volunteers/hours").await, StatusCode::OK).await;
    let rows = &report.items;
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|r| r.volunteer_id == volunteer_id)
        .unwrap();
    assert_eq!((row.minutes, row.shifts), (120, 1));
    assert!(row.phone.contains("****"));
    assert!(rows.iter().any(|r| r.no_shows == 1));

    let csv = staff.get("/api/volunteers/hours?format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.contains("服务时长（小时）"));
    assert!(text.contains(",2.00,"));
    assert!(!text.contains("13800"), "phones are masked: {text}");
    let xlsx = staff.get("/api/volunteers/hours?format=xlsx").await;
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.hours_export'")
            .await,
        2
    );
    assert_error(
        staff
            .get("/api/volunteers/hours?from=2026-12-01&to=2026-11-01")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "date_order",
    )
    .await;

    // The calendar feed lists the coming shift.
    let link: CalendarLink = reply(
        volunteer.action("/api/volunteers/me/calendar").await,
        StatusCode::OK,
    )
    .await;
    let feed = server
        .bare_client()
        .get(server.url(&link.path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(feed.contains(&format!(
        "UID:shift-{later}-volunteer-{volunteer_id}@shouwang"
    )));
    assert!(feed.contains("LOCATION:东门\r\n"));
}

#[tokio::test]
async fn pausing_a_volunteer_frees_their_seats_for_the_waitlist() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = create(&staff, &shift_at(tomorrow_at(7), 4, 1)).await;
    let (first, first_id) = approved(&server, &[]).await;
    let (second, _) = approved(&server, &[]).await;
    take(&first, id, false).await;
    take(&second, id, true).await;
    let paused = staff
        .action(&format!("/api/volunteers/{first_id}/pause"))
        .await;
    assert_eq!(paused.status(), StatusCode::OK);
    assert_eq!(
        my_signups(&second).await.items[0].status,
        SignupStatus::SignedUp
    );
    assert_error(
        take(&first, id, true).await,
        StatusCode::FORBIDDEN,
        "volunteer_not_approved",
    )
    .await;
}

#[tokio::test]
async fn staff_assign_a_volunteer_and_edit_a_shift() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = create(&staff, &shift_at(tomorrow_at(7), 4, 1)).await;
    let (_, a) = approved(&server, &[]).await;
    let (b_client, b) = approved(&server, &[]).await;
    let assigned = staff
        .post(
            &format!("/api/shifts/{id}/signups"),
            &json!({ "volunteer_id": a }),
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::CREATED);
    staff
        .post(
            &format!("/api/shifts/{id}/signups"),
            &json!({ "volunteer_id": b, "join_waitlist": true }),
        )
        .await;
    // Lowering capacity below the seats taken is refused; raising it moves the line up.
    let mut body = shift_at(tomorrow_at(7), 4, 0);
    body["capacity"] = json!(2);
    body["place"] = json!("北门");
    let edited: Shift = reply(
        staff.put(&format!("/api/shifts/{id}"), &body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((edited.place.as_str(), edited.taken), ("北门", 2));
    body["capacity"] = json!(1);
    let error = assert_error(
        staff.put(&format!("/api/shifts/{id}"), &body).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("capacity"));
    assert_eq!(inbox(&b_client).await.items[0].kind, "shift.promoted");

    // Cancelling the shift tells everyone on it.
    assert_eq!(
        staff
            .action(&format!("/api/shifts/{id}/cancel"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'shift.cancelled'")
            .await,
        2
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM shift_signups WHERE status <> 'cancelled'")
            .await,
        0
    );
}
