use super::{ApiError, get, post, post_action, read};
use gloo_net::http::Request;
use shouwang_api::Page;
use shouwang_api::volunteers::{
    CalendarLink, HoursRow, MyHours, Skill, Volunteer, VolunteerAction, VolunteerSignUp,
    VolunteerStatus,
};

pub async fn skills() -> Result<Vec<Skill>, ApiError> {
    get("/api/volunteers/skills").await
}

pub async fn sign_up(request: &VolunteerSignUp) -> Result<Volunteer, ApiError> {
    request.validate()?;
    post("/api/volunteers/sign-up", request).await
}

pub async fn me() -> Result<Volunteer, ApiError> {
    get("/api/volunteers/me").await
}

pub async fn list(status: Option<VolunteerStatus>, page: u32) -> Result<Page<Volunteer>, ApiError> {
    let mut url = format!("/api/volunteers?page={page}");
    if let Some(status) = status {
        url.push_str("&status=");
        url.push_str(status.as_str());
    }
    get(&url).await
}

pub async fn act(id: i64, action: VolunteerAction) -> Result<Volunteer, ApiError> {
    let verb = match action {
        VolunteerAction::Approve => "approve",
        VolunteerAction::Pause => "pause",
        VolunteerAction::Remove => "remove",
    };
    post_action(&format!("/api/volunteers/{id}/{verb}")).await
}

pub async fn my_hours() -> Result<MyHours, ApiError> {
    get("/api/volunteers/me/hours").await
}

pub async fn hours(from: &str, to: &str, page: u32) -> Result<Page<HoursRow>, ApiError> {
    get(&hours_url(from, to, &format!("page={page}"))).await
}

/// The link of the hours download; the browser fetches it with the session cookie.
pub fn hours_url(from: &str, to: &str, extra: &str) -> String {
    let mut url = format!("/api/volunteers/hours?{extra}");
    for (key, value) in [("from", from), ("to", to)] {
        if !value.is_empty() {
            url.push_str(&format!("&{key}={value}"));
        }
    }
    url
}

pub async fn new_calendar_link() -> Result<CalendarLink, ApiError> {
    post_action("/api/volunteers/me/calendar").await
}

pub async fn revoke_calendar_link() -> Result<(), ApiError> {
    let response = Request::delete(&crate::base::at("/api/volunteers/me/calendar"))
        .send()
        .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => read::<()>(other).await,
    }
}
