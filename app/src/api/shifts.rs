use super::{ApiError, get, post, post_no_content, read};
use gloo_net::http::Request;
use shouwang_api::Page;
use shouwang_api::shifts::{
    CreatedShifts, MySignup, PostType, Roster, Shift, ShiftInput, SignupRequest,
};

pub async fn list(
    day: &str,
    post_type: Option<PostType>,
    place: &str,
    page: u32,
) -> Result<Page<Shift>, ApiError> {
    let mut url = format!("/api/shifts?page={page}");
    if !day.is_empty() {
        url.push_str(&format!("&day={day}"));
    }
    if let Some(p) = post_type {
        url.push_str(&format!("&post={}", p.as_str()));
    }
    let place = place.trim();
    if !place.is_empty() {
        url.push_str("&place=");
        url.push_str(&encode(place));
    }
    get(&url).await
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn create(input: &ShiftInput) -> Result<CreatedShifts, ApiError> {
    input.validate()?;
    post("/api/shifts", input).await
}

pub async fn mine(past: bool) -> Result<Page<MySignup>, ApiError> {
    get(&format!("/api/shifts/mine?past={past}&per_page=50")).await
}

pub async fn sign_up(shift: i64, join_waitlist: bool) -> Result<MySignup, ApiError> {
    post(
        &format!("/api/shifts/{shift}/signup"),
        &SignupRequest { join_waitlist },
    )
    .await
}

pub async fn cancel(shift: i64) -> Result<(), ApiError> {
    let response = Request::delete(&crate::base::at(&format!("/api/shifts/{shift}/signup")))
        .send()
        .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => read::<()>(other).await,
    }
}

/// `check-in`, `check-out` or `no-show`.
pub async fn attendance(signup: i64, action: &str) -> Result<(), ApiError> {
    post_no_content(&format!("/api/shifts/signups/{signup}/{action}")).await
}

pub async fn roster(day: &str) -> Result<Roster, ApiError> {
    if day.is_empty() {
        get("/api/shifts/roster").await
    } else {
        get(&format!("/api/shifts/roster?day={day}")).await
    }
}
