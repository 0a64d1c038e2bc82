//! Medicine runs (代配药): a chronic patient in a sealed building asks for their regular
//! medicine, the volunteer takes the 医保卡 and 病历本 (both sides confirm), photographs
//! the bag at the pharmacy, delivers, gives the cards back; the resident checks what
//! arrived. Only the run's household, its volunteer and its grid's staff see it.

use crate::fixtures::reply;
use crate::helpers::{TestClient, TestServer, advance_clock, assert_error, json, run_due};
use crate::supplies::volunteer;
use crate::zones::{Community, community, seal};
use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::medicine::{
    Arrival, CustodyItemKind, CustodyOut, CustodySide, CustodyState, MedicineRun,
};
use shouwang_api::supplies::{RequestKind, RequestState, SupplyRequest};

fn ask_body() -> Value {
    json!({
        "lines": [
            { "drug": "硝苯地平缓释片", "dose": "30mg", "quantity": "2盒" },
            { "drug": "二甲双胍片", "quantity": "1盒" }
        ],
        "hospital": "区中心医院",
        "handed_over": ["insurance_card", "record_book"],
        "urgency": "urgent",
        "notes": "家属电话打不通请敲门"
    })
}

async fn ask(resident: &TestClient) -> MedicineRun {
    reply(
        resident.post("/api/medicine/requests", &ask_body()).await,
        StatusCode::CREATED,
    )
    .await
}

async fn act(client: &TestClient, id: i64, body: Value) -> StatusCode {
    client
        .post(&format!("/api/supplies/requests/{id}/actions"), &body)
        .await
        .status()
}

async fn custody(
    client: &TestClient,
    id: i64,
    item_id: i64,
    step: &str,
    code: Option<&str>,
) -> reqwest::Response {
    client
        .post(
            &format!("/api/medicine/requests/{id}/custody"),
            &json!({ "item_id": item_id, "step": step, "pickup_code": code }),
        )
        .await
}

fn item(run: &MedicineRun, kind: CustodyItemKind) -> &shouwang_api::medicine::CustodyItem {
    run.custody
        .iter()
        .find(|i| i.kind == kind)
        .expect("the item is in the run")
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(img.as_raw(), 64, 48, image::ExtendedColorType::Rgb8)
        .expect("encode");
    out
}

async fn put_bag_photo(client: &TestClient, id: i64) -> reqwest::Response {
    client
        .send(
            client
                .http
                .put(client.url(&format!("/api/medicine/requests/{id}/bag-photo")))
                .header(CONTENT_TYPE, "image/jpeg")
                .body(jpeg()),
        )
        .await
}

/// A sealed building's resident asks; grid A's staff accept and assign the volunteer.
struct Run {
    c: Community,
    volunteer: TestClient,
    id: i64,
    code: String,
    card: i64,
    book: i64,
}

async fn assigned_run(server: &TestServer) -> Run {
    let c = community(server).await;
    seal(&c.staff_a, c.building_a).await;
    let (volunteer, volunteer_id) = volunteer(server, &c, "13600000031", true).await;
    let run = ask(&c.resident_a).await;
    let id = run.request_id;
    assert_eq!(
        act(&c.staff_a, id, json!({ "action": "accept" })).await,
        StatusCode::OK
    );
    assert_eq!(
        act(
            &c.staff_a,
            id,
            json!({ "action": "assign", "volunteer_id": volunteer_id })
        )
        .await,
        StatusCode::OK
    );
    let mine: Page<SupplyRequest> =
        reply(c.resident_a.get("/api/supplies/mine").await, StatusCode::OK).await;
    let code = mine.items[0]
        .pickup_code
        .clone()
        .expect("the resident's code");
    let card = item(&run, CustodyItemKind::InsuranceCard).id;
    let book = item(&run, CustodyItemKind::RecordBook).id;
    Run {
        c,
        volunteer,
        id,
        code,
        card,
        book,
    }
}

#[tokio::test]
async fn a_volunteer_fetches_the_medicine_with_the_card_and_gives_the_card_back() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000021", true).await;

    // The resident asks; a card number typed into the notes is refused, never stored.
    let mut with_number = ask_body();
    with_number["notes"] = json!("医保卡号 3101150012345678");
    let error = assert_error(
        c.resident_a
            .post("/api/medicine/requests", &with_number)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "card_number_not_stored",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("notes"));
    assert_eq!(
        server.count("SELECT COUNT(*) FROM supply_requests").await,
        0
    );

    let run = ask(&c.resident_a).await;
    let id = run.request_id;
    assert_eq!(run.state, RequestState::Submitted);
    assert_eq!(run.hospital, "区中心医院");
    assert_eq!(run.lines.len(), 2);
    assert_eq!(run.lines[0].dose.as_deref(), Some("30mg"));
    assert_eq!(run.custody.len(), 2);
    assert!(
        run.custody
            .iter()
            .all(|i| i.state == CustodyState::WithResident)
    );
    assert_eq!(run.may_confirm_as, Some(CustodySide::Resident));

    // It is a supply request like any other: priority (sealed), a pickup code, a summary.
    let mine: Page<SupplyRequest> =
        reply(c.resident_a.get("/api/supplies/mine").await, StatusCode::OK).await;
    let request = &mine.items[0];
    assert_eq!(request.kind, RequestKind::Prescription);
    assert!(request.medicine_run && request.priority);
    assert_eq!(
        request.items,
        "硝苯地平缓释片 30mg ×2盒；二甲双胍片 ×1盒（区中心医院）"
    );
    let code = request.pickup_code.clone().expect("a pickup code");

    assert_eq!(
        act(&c.staff_a, id, json!({ "action": "accept" })).await,
        StatusCode::OK
    );
    // Before the run is the volunteer's, no card leaves the resident's hands.
    let card = item(&run, CustodyItemKind::InsuranceCard).id;
    let book = item(&run, CustodyItemKind::RecordBook).id;
    assert_error(
        custody(&c.resident_a, id, card, "take", None).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        act(
            &c.staff_a,
            id,
            json!({ "action": "assign", "volunteer_id": vol_id })
        )
        .await,
        StatusCode::OK
    );
    let deliveries: Page<shouwang_api::supplies::Delivery> =
        reply(vol.get("/api/supplies/deliveries").await, StatusCode::OK).await;
    assert!(deliveries.items[0].medicine_run);

    // The card: the volunteer says they have it; the resident confirms on their phone.
    let seen: MedicineRun = reply(
        vol.get(&format!("/api/medicine/requests/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen.may_confirm_as, Some(CustodySide::Volunteer));
    let taking: MedicineRun =
        reply(custody(&vol, id, card, "take", None).await, StatusCode::OK).await;
    assert_eq!(
        item(&taking, CustodyItemKind::InsuranceCard).state,
        CustodyState::HandingOver
    );
    assert_error(
        custody(&vol, id, card, "take", None).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // A return before both confirmed the hand-over is refused.
    assert_error(
        custody(&vol, id, card, "return", None).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let held: MedicineRun = reply(
        custody(&c.resident_a, id, card, "take", None).await,
        StatusCode::OK,
    )
    .await;
    let held_card = item(&held, CustodyItemKind::InsuranceCard);
    assert_eq!(held_card.state, CustodyState::Held);
    assert_eq!(held_card.holder_name.as_deref(), Some("志愿者0021"));
    assert!(held_card.due_back_at.is_some() && !held_card.overdue);

    // The record book: the resident has no phone at hand; the volunteer types their code.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let error = assert_error(
        custody(&vol, id, book, "take", Some(wrong)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("pickup_code"));
    // Only the volunteer gives the code.
    assert_error(
        custody(&c.resident_a, id, book, "take", Some(&code)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    let both: MedicineRun = reply(
        custody(&vol, id, book, "take", Some(&code)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&both, CustodyItemKind::RecordBook).state,
        CustodyState::Held
    );

    // Staff of the grid see both items out; another grid's staff see none.
    let out: Page<CustodyOut> =
        reply(c.staff_a.get("/api/medicine/custody").await, StatusCode::OK).await;
    assert_eq!(out.total, 2);
    assert_eq!(out.items[0].address, "1号楼 1单元 101");
    let other: Page<CustodyOut> =
        reply(c.staff_b.get("/api/medicine/custody").await, StatusCode::OK).await;
    assert_eq!(other.total, 0);

    // At the pharmacy: the bag photo, only by the volunteer, seen by the household.
    assert_eq!(
        act(&vol, id, json!({ "action": "dispatch" })).await,
        StatusCode::OK
    );
    assert_error(
        put_bag_photo(&c.resident_a, id).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(put_bag_photo(&vol, id).await.status(), StatusCode::OK);
    let photo = c
        .resident_a
        .get(&format!("/api/medicine/requests/{id}/bag-photo"))
        .await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()[CONTENT_TYPE], "image/jpeg");
    assert_error(
        c.resident_b
            .get(&format!("/api/medicine/requests/{id}/bag-photo"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Delivered; the resident checks what arrived: the second medicine came short.
    assert_eq!(
        act(
            &vol,
            id,
            json!({ "action": "deliver", "pickup_code": code })
        )
        .await,
        StatusCode::OK
    );
    let run: MedicineRun = reply(
        c.resident_a
            .get(&format!("/api/medicine/requests/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(run.bag_photo.is_some());
    let (first, second) = (run.lines[0].id, run.lines[1].id);
    let checks = json!([
        { "line_id": first, "arrival": "complete" },
        { "line_id": second, "arrival": "partial" }
    ]);
    let error = assert_error(
        c.resident_a
            .post(
                &format!("/api/medicine/requests/{id}/arrival"),
                &json!({ "lines": checks }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(
        error.field.as_deref(),
        Some("note"),
        "a shortfall is explained"
    );
    assert_error(
        c.resident_a
            .post(
                &format!("/api/medicine/requests/{id}/arrival"),
                &json!({ "lines": [{ "line_id": first, "arrival": "complete" }] }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    let checked: MedicineRun = reply(
        c.resident_a
            .post(
                &format!("/api/medicine/requests/{id}/arrival"),
                &json!({ "lines": checks, "note": "二甲双胍只有半盒" }),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(checked.state, RequestState::Confirmed);
    assert_eq!(checked.lines[1].arrival, Some(Arrival::Partial));
    assert_eq!(checked.arrival_note.as_deref(), Some("二甲双胍只有半盒"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'medicine.short'")
            .await,
        1,
        "grid A's one worker is told"
    );
    assert_error(
        c.resident_a
            .post(
                &format!("/api/medicine/requests/{id}/arrival"),
                &json!({ "lines": checks, "note": "再次" }),
            )
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;

    // The cards come back after the run closed: the card with the code, the book by both.
    let back: MedicineRun = reply(
        custody(&vol, id, card, "return", Some(&code)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&back, CustodyItemKind::InsuranceCard).state,
        CustodyState::Returned
    );
    let returning: MedicineRun = reply(
        custody(&c.resident_a, id, book, "return", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&returning, CustodyItemKind::RecordBook).state,
        CustodyState::Returning
    );
    let returned: MedicineRun = reply(
        custody(&vol, id, book, "return", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        returned
            .custody
            .iter()
            .all(|i| i.state == CustodyState::Returned)
    );
    let out: Page<CustodyOut> =
        reply(c.staff_a.get("/api/medicine/custody").await, StatusCode::OK).await;
    assert_eq!(out.total, 0, "nothing is out any more");

    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'medicine.custody'")
            .await,
        6
    );
    // No number of any card anywhere: the item is its kind.
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM supply_requests WHERE notes LIKE '%3101150012345678%'")
            .await,
        0
    );
}

#[tokio::test]
async fn only_the_run_s_household_volunteer_and_grid_staff_see_it() {
    let server = TestServer::spawn().await;
    let run = assigned_run(&server).await;
    let (c, id) = (&run.c, run.id);
    let path = format!("/api/medicine/requests/{id}");
    let (other_volunteer, _) = volunteer(&server, c, "13600000032", true).await;
    for (who, client) in [
        ("another household", &c.resident_b),
        ("another grid's staff", &c.staff_b),
        ("another volunteer", &other_volunteer),
    ] {
        let response = client.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{who}");
        assert_eq!(
            custody(client, id, run.card, "take", None).await.status(),
            StatusCode::NOT_FOUND,
            "{who} confirms nothing"
        );
    }
    for (who, client) in [
        ("the household", &c.resident_a),
        ("the volunteer", &run.volunteer),
        ("the grid's staff", &c.staff_a),
        ("the admin", &c.admin),
    ] {
        assert_eq!(client.get(&path).await.status(), StatusCode::OK, "{who}");
    }
    // Staff record the resident's side at the door; the volunteer cannot check arrival.
    let by_staff: MedicineRun = reply(
        custody(&c.staff_a, id, run.card, "take", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_staff.may_confirm_as, Some(CustodySide::Resident));
    assert_eq!(
        item(&by_staff, CustodyItemKind::InsuranceCard).state,
        CustodyState::HandingOver
    );
    assert_error(
        run.volunteer
            .post(&format!("{path}/arrival"), &json!({ "lines": [] }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // The custody list is staff's.
    assert_error(
        c.resident_a.get("/api/medicine/custody").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A plain supply request is not a medicine run.
    let plain: SupplyRequest = reply(
        c.resident_a
            .post(
                "/api/supplies/requests",
                &json!({ "kind": "grocery", "items": "大米一袋" }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!plain.medicine_run);
    assert_error(
        c.resident_a
            .get(&format!("/api/medicine/requests/{}", plain.id))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An item of no run of this request.
    let error = assert_error(
        custody(&run.volunteer, id, 999_999, "take", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("item_id"));
    let _ = &run.code;
    let _ = run.book;
}

#[tokio::test]
async fn a_card_out_past_the_limit_tells_the_grid_s_staff_and_the_volunteer_once() {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let run = assigned_run(&server).await;
    let (c, id) = (&run.c, run.id);
    let taken: MedicineRun = reply(
        custody(&run.volunteer, id, run.card, "take", Some(&run.code)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&taken, CustodyItemKind::InsuranceCard).state,
        CustodyState::Held
    );

    advance_clock(&server, 47 * 3600).await;
    assert_eq!(run_due(&server).await["custody_overdue"], 0);
    advance_clock(&server, 2 * 3600).await;
    assert_eq!(run_due(&server).await["custody_overdue"], 1);
    assert_eq!(run_due(&server).await["custody_overdue"], 0, "told once");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'medicine.custody_overdue'")
            .await,
        2,
        "grid A's worker and the volunteer holding the card"
    );
    let notes = json(c.staff_a.get("/api/notifications").await).await;
    assert_eq!(notes["items"][0]["kind"], "medicine.custody_overdue");
    assert_eq!(notes["items"][0]["params"]["item"], "insurance_card");
    let out: Page<CustodyOut> =
        reply(c.staff_a.get("/api/medicine/custody").await, StatusCode::OK).await;
    assert_eq!(out.total, 1);
    assert!(out.items[0].item.overdue);
    // The record book never left: it is neither out nor overdue.
    let seen: MedicineRun = reply(
        c.resident_a
            .get(&format!("/api/medicine/requests/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let book = item(&seen, CustodyItemKind::RecordBook);
    assert_eq!(book.state, CustodyState::WithResident);
    assert!(!book.overdue && book.due_back_at.is_none());
}

#[tokio::test]
async fn a_request_names_the_field_it_refuses() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let cases = [
        (json!({ "lines": [] }), "lines", "required"),
        (
            json!({ "lines": [{ "drug": "", "quantity": "1盒" }] }),
            "drug",
            "required",
        ),
        (
            json!({ "lines": [{ "drug": "药".repeat(61), "quantity": "1盒" }] }),
            "drug",
            "too_long",
        ),
        (
            json!({ "lines": vec![json!({ "drug": "药", "quantity": "1盒" }); 11] }),
            "lines",
            "too_long",
        ),
        (
            json!({ "lines": [{ "drug": "药", "quantity": "1盒" }], "hospital": " " }),
            "hospital",
            "required",
        ),
        (
            json!({ "lines": [{ "drug": "药", "dose": "卡12345678", "quantity": "1盒" }] }),
            "dose",
            "card_number_not_stored",
        ),
        (
            json!({ "lines": [{ "drug": "药", "quantity": "1盒" }], "contact_phone": "123" }),
            "contact_phone",
            "invalid_phone",
        ),
    ];
    for (mut body, field, code) in cases {
        if body.get("hospital").is_none() {
            body["hospital"] = json!("区中心医院");
        }
        let error = assert_error(
            c.resident_a.post("/api/medicine/requests", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    // Staff and volunteers have no household to ask for.
    assert_error(
        c.staff_a.post("/api/medicine/requests", &ask_body()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        server.count("SELECT COUNT(*) FROM medicine_requests").await,
        0
    );
}

#[tokio::test]
async fn a_household_s_purge_takes_its_medicine_runs_with_it() {
    let server = TestServer::spawn().await;
    let run = assigned_run(&server).await;
    let id = run.id;
    custody(&run.volunteer, id, run.card, "take", Some(&run.code)).await;
    assert_eq!(
        put_bag_photo(&run.volunteer, id).await.status(),
        StatusCode::OK
    );
    let purged = json(
        run.c
            .admin
            .post("/api/residents/retention", &json!({ "days": 0 }))
            .await,
    )
    .await;
    assert!(purged["purged_households"].as_i64().unwrap() >= 1);
    for table in [
        "medicine_requests",
        "medicine_lines",
        "custody_items",
        "medicine_bag_photos",
    ] {
        assert_eq!(
            server.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table} is empty"
        );
    }
}

#[tokio::test]
async fn a_hand_over_begun_before_the_run_was_cancelled_can_still_be_finished_and_undone() {
    let server = TestServer::spawn().await;
    let run = assigned_run(&server).await;
    let (c, id) = (&run.c, run.id);
    // Staff record at the door that the resident gave the card; then the run is cancelled.
    let begun: MedicineRun = reply(
        custody(&c.staff_a, id, run.card, "take", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&begun, CustodyItemKind::InsuranceCard).state,
        CustodyState::HandingOver
    );
    assert_eq!(
        act(
            &c.staff_a,
            id,
            json!({ "action": "cancel", "note": "医院停诊" })
        )
        .await,
        StatusCode::OK
    );
    // A new hand-over cannot start on a cancelled run…
    assert_error(
        custody(&run.volunteer, id, run.book, "take", None).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // …but the begun one is finished, and the card then comes back.
    let held: MedicineRun = reply(
        custody(&run.volunteer, id, run.card, "take", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&held, CustodyItemKind::InsuranceCard).state,
        CustodyState::Held
    );
    let back: MedicineRun = reply(
        custody(&run.volunteer, id, run.card, "return", Some(&run.code)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        item(&back, CustodyItemKind::InsuranceCard).state,
        CustodyState::Returned
    );
}
