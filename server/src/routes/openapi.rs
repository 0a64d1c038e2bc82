//! The OpenAPI document's frame; paths come from the handlers' annotations.

use shouwang_api::{ErrorBody, ErrorCode, ErrorDetail};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shouwang API",
        description = "守望 Shouwang: the API of a community's epidemic response platform. \
            Errors always have the shape {\"error\":{\"code\",\"message\",\"field\"}}. \
            Unsafe methods need an Origin (or Referer) header naming this host.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(ErrorBody, ErrorDetail, ErrorCode)),
    modifiers(&SessionCookie),
    tags(
        (name = "health", description = "Is the server up"),
        (name = "auth", description = "Signing in and out"),
        (name = "users", description = "Staff and admin accounts (admins only)"),
        (name = "notices", description = "Official notices of the information board"),
        (name = "audit", description = "The audit trail (admins only)"),
        (name = "notifications", description = "Messages for the signed-in account"),
        (name = "community", description = "Grids, buildings, units and rooms; staff per grid"),
        (name = "residents", description = "Household registration, the ledger and coverage"),
        (name = "volunteers", description = "Volunteer sign-up, approval, hours and calendar feeds"),
        (name = "shifts", description = "Shifts, sign-ups with a waitlist, rotation rules, check-in and the roster"),
        (name = "zones", description = "Building zones (防范区/管控区/封控区) and their history"),
        (name = "supplies", description = "Supply and help requests, deliveries and sealed-building runs"),
        (name = "health_monitoring", description = "Daily health check-ins, the staff worklist and follow-ups (健康监测)"),
        (name = "testing", description = "Testing rounds (核酸检测): slots per unit, who was sampled, door-to-door lists"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::cookies::SESSION_COOKIE,
            ))),
        );
    }
}
