//! A photo on a submitted update: only its submitter attaches it, it is checked by its
//! content, stored without its metadata, and public only once the update is published.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;
use shouwang::db::sql;
use shouwang_api::auth::Role;
use shouwang_api::photos::PHOTO_MAX_BYTES;

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("encode");
    out
}

/// As a phone writes it: an EXIF segment with where and with what it was taken.
fn jpeg_with_exif() -> Vec<u8> {
    let plain = jpeg(2400, 1200);
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPS 39.1256N 117.2010E Xiaomi 13";
    let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn put_photo(client: &TestClient, id: i64, bytes: Vec<u8>) -> reqwest::Response {
    client
        .send(
            client
                .http
                .put(client.url(&format!("/api/submissions/{id}/photo")))
                .header(CONTENT_TYPE, "image/jpeg")
                .body(bytes),
        )
        .await
}

async fn submit(client: &TestClient) -> i64 {
    let sent = client
        .post(
            "/api/submissions",
            &json!({ "category": "supply_drop", "text": "东门正在发放蔬菜包", "place": "东门" }),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    json(sent).await["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn a_photo_is_stored_without_its_metadata_and_public_once_published() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let neighbour = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = submit(&resident).await;
    let original = jpeg_with_exif();
    assert!(contains(&original, b"Exif"));

    let stored = put_photo(&resident, id, original).await;
    assert_eq!(stored.status(), StatusCode::OK);
    let info = json(stored).await;
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(1600), Some(800))
    );

    let photo = resident.get(&format!("/api/submissions/{id}/photo")).await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()[CONTENT_TYPE], "image/jpeg");
    let bytes = photo.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(&bytes, b"Exif"), "the EXIF segment is gone");
    assert!(!contains(&bytes, b"GPS"));
    let db = server.connect().await;
    let stored: Vec<u8> =
        sql::query_scalar("SELECT jpeg FROM submission_photos WHERE submission_id = ?")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(!contains(&stored, b"Exif"));

    // Pending: staff and the submitter only.
    assert_eq!(
        staff
            .get(&format!("/api/submissions/{id}/photo"))
            .await
            .status(),
        StatusCode::OK
    );
    for outsider in [&neighbour, &server.client()] {
        assert_error(
            outsider.get(&format!("/api/submissions/{id}/photo")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let verified = staff
        .post(
            &format!("/api/submissions/{id}/verify"),
            &json!({ "source_who": "物业", "source_how": "现场查看" }),
        )
        .await;
    assert_eq!(verified.status(), StatusCode::OK);
    assert_eq!(
        server
            .client()
            .get(&format!("/api/submissions/{id}/photo"))
            .await
            .status(),
        StatusCode::OK,
        "public once published"
    );
    // Decided: no more photos.
    assert_error(
        put_photo(&resident, id, jpeg(10, 10)).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'submission.photo'")
            .await,
        1
    );
}

#[tokio::test]
async fn oversized_and_malformed_photos_are_refused_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let id = submit(&resident).await;

    let oversized = put_photo(&resident, id, vec![0xFF; PHOTO_MAX_BYTES + 1]).await;
    let error = assert_error(
        oversized,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("photo"));

    let random: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let whole = jpeg(300, 200);
    let truncated = whole[..whole.len() / 2].to_vec();
    let text = "这不是照片，只是一个改名为 photo.jpg 的文本文件"
        .as_bytes()
        .to_vec();
    let mut riff = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
    riff.extend_from_slice(&random[..64]);
    for bad in [random, truncated, text, riff] {
        let refused = put_photo(&resident, id, bad).await;
        let error = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value").await;
        assert_eq!(error.field.as_deref(), Some("photo"));
    }
    assert_eq!(
        server.count("SELECT COUNT(*) FROM submission_photos").await,
        0
    );
}

#[tokio::test]
async fn only_the_submitter_attaches_a_photo() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let id = submit(&resident).await;
    let neighbour = server.sign_in_as(Role::Resident).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let admin = server.sign_in_as(Role::Admin).await;

    for (who, status, code) in [
        (server.client(), StatusCode::UNAUTHORIZED, "unauthenticated"),
        (neighbour, StatusCode::NOT_FOUND, "not_found"),
        (volunteer, StatusCode::NOT_FOUND, "not_found"),
        (staff, StatusCode::FORBIDDEN, "forbidden"),
        (admin, StatusCode::FORBIDDEN, "forbidden"),
    ] {
        assert_error(put_photo(&who, id, jpeg(20, 20)).await, status, code).await;
        assert_eq!(
            server.count("SELECT COUNT(*) FROM submission_photos").await,
            0
        );
    }
    assert_error(
        put_photo(&resident, 999_999, jpeg(20, 20)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        resident.get("/api/submissions/999999/photo").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn every_list_says_which_submissions_have_a_photo() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let with_photo = submit(&resident).await;
    let without = submit(&resident).await;
    assert_eq!(
        put_photo(&resident, with_photo, jpeg(40, 30))
            .await
            .status(),
        StatusCode::OK
    );
    let has_photo = |items: &serde_json::Value, id: i64| {
        items["items"]
            .as_array()
            .expect("a page")
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["has_photo"].clone())
    };

    let mine = json(resident.get("/api/submissions/mine").await).await;
    assert_eq!(has_photo(&mine, with_photo), Some(json!(true)));
    assert_eq!(has_photo(&mine, without), Some(json!(false)));
    let queue = json(staff.get("/api/submissions?status=pending").await).await;
    assert_eq!(has_photo(&queue, with_photo), Some(json!(true)));
    assert_eq!(has_photo(&queue, without), Some(json!(false)));

    for id in [with_photo, without] {
        let verified = staff
            .post(
                &format!("/api/submissions/{id}/verify"),
                &json!({ "source_who": "物业", "source_how": "现场查看" }),
            )
            .await;
        assert_eq!(verified.status(), StatusCode::OK);
        assert_eq!(json(verified).await["has_photo"], json!(id == with_photo));
    }
    let board = json(server.client().get("/api/board/updates").await).await;
    assert_eq!(has_photo(&board, with_photo), Some(json!(true)));
    assert_eq!(has_photo(&board, without), Some(json!(false)));
    let one = json(
        server
            .client()
            .get(&format!("/api/board/updates/{with_photo}"))
            .await,
    )
    .await;
    assert_eq!(one["has_photo"], json!(true));
}
