//! The OpenAPI document's frame; paths come from the handlers' annotations. After the
//! routes are collected, [`describe_the_wire`] adds what the annotations cannot say
//! themselves: the refusals of the shared extractors and middleware, and the length and
//! range limits of the shared validation (utoipa's attributes take only literals, so the
//! limits are applied here from the api crate's constants).

use shouwang_api::{ErrorBody, ErrorCode, ErrorDetail};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
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
        (name = "pool", description = "The street's volunteer pool (跨社区支援): a volunteer serves the shifts other communities of the street open to it"),
        (name = "zones", description = "Building zones (防范区/管控区/封控区) and their history"),
        (name = "supplies", description = "Supply and help requests, deliveries and sealed-building runs"),
        (name = "medicine", description = "Medicine runs (代配药): lines, cards in custody, the bag photo and the arrival check"),
        (name = "workers", description = "Caring for the workers (关心关爱): the staff's duty roster with rest rules, duty hours, the private wellbeing check"),
        (name = "health_monitoring", description = "Daily health check-ins, the staff worklist and follow-ups (健康监测)"),
        (name = "testing", description = "Testing rounds (核酸检测): slots per unit, who was sampled, door-to-door lists"),
        (name = "street_grants", description = "A community's grants of personal data to its street's staff, for a purpose and a period; revocable, audited (admins only)"),
        (name = "deployment", description = "Above the communities: streets, communities, operators (served at the site's root only; each community's own API is also at /c/<slug>/api/…)"),
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

/// Completes the collected document; see the module comment.
pub fn describe_the_wire(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let item_params_in_path = item
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Path);
        let operations = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
            (true, item.patch.as_mut()),
        ];
        for (unsafe_method, operation) in operations {
            if let Some(operation) = operation {
                add_refusals(operation, unsafe_method, item_params_in_path);
            }
        }
    }
    if let Some(components) = doc.components.as_mut() {
        for limit in LIMITS {
            limit.apply(&mut components.schemas);
        }
    }
}

/// The refusals an operation meets before (or around) its handler: `crate::extract`'s
/// `Json`, `Query` and `Path`, the session extractors, the cross-site check and the body
/// limit. A status the handler's annotation already names keeps its description.
fn add_refusals(operation: &mut Operation, unsafe_method: bool, params_in_path: bool) {
    let params = operation.parameters.iter().flatten();
    let has_query = params.clone().any(|p| p.parameter_in == ParameterIn::Query);
    let has_path = params_in_path || params.clone().any(|p| p.parameter_in == ParameterIn::Path);
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.keys().any(|mime| mime == "application/json"));
    let signed_in = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());

    let mut refusals: Vec<(u16, &str)> = Vec::new();
    if json_body {
        refusals.extend([
            (400, "The body is not JSON (`malformed_json`)."),
            (413, "The body is larger than the server accepts (`payload_too_large`)."),
            (415, "The body is not sent as `application/json` (`unsupported_media_type`)."),
            (422, "A field is missing, of the wrong type or refused by validation (`field` names it)."),
        ]);
    }
    if has_query {
        refusals.push((
            400,
            "The query string does not parse (`invalid_query`, `field` names it).",
        ));
    }
    if has_path {
        refusals.push((404, "Nothing exists at this address (`not_found`)."));
    }
    if signed_in {
        refusals.push((
            401,
            "Not signed in, or the session expired (`unauthenticated`).",
        ));
    }
    if unsafe_method {
        add_idempotency_key(operation);
        refusals.push((
            422,
            "The `Idempotency-Key` was already used for a different request (`idempotency_key_reused`), or is malformed.",
        ));
        refusals.push((403, "The request did not come from a page of this site (`cross_site_request`), or the caller may not do this (`forbidden`)."));
    }
    // Any operation that reads stored rows: a value this version does not know (written by
    // a newer version or by hand) is reported, never guessed (`crate::db` decodes strictly).
    refusals.push((
        409,
        "A stored record holds a value this version cannot read (`stored_value_unreadable`); it is logged and left unchanged.",
    ));
    // Any operation: the database failed or a bug; logged, and told apart from a refusal.
    refusals.push((
        500,
        "Something went wrong on the server (`internal`); it is logged.",
    ));
    for (status, description) in refusals {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error_response(description));
    }
}

/// `web::idempotency`: every unsafe operation takes the optional header.
fn add_idempotency_key(operation: &mut Operation) {
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Optional, 1 to 200 visible ASCII characters (a UUID). Sent again with the same \
             request within 24 hours, the first answer (status and body) comes back with \
             `Idempotent-Replayed: true` and nothing runs again; with a different request, \
             422 `idempotency_key_reused`. Keys are per caller.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(parameter);
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// A limit the shared validation enforces on one property of a request schema.
struct Limit {
    schema: &'static str,
    property: &'static str,
    rule: Rule,
}

enum Rule {
    /// At most this many characters (validation counts characters after trimming, so a
    /// value within the document's limit always passes).
    Chars(usize),
    /// An array of at most this many items.
    Items(usize),
    /// An array of at most this many strings of at most this many characters each.
    ItemsOfChars(usize, usize),
    /// A number in this inclusive range.
    Range(f64, f64),
}

const fn chars(schema: &'static str, property: &'static str, max: usize) -> Limit {
    Limit {
        schema,
        property,
        rule: Rule::Chars(max),
    }
}

const fn items(schema: &'static str, property: &'static str, max: usize) -> Limit {
    Limit {
        schema,
        property,
        rule: Rule::Items(max),
    }
}

const fn range(schema: &'static str, property: &'static str, min: f64, max: f64) -> Limit {
    Limit {
        schema,
        property,
        rule: Rule::Range(min, max),
    }
}

/// Every limit of the request types' `validate` functions, named by their constants.
const LIMITS: &[Limit] = {
    use shouwang_api::{
        community, health, medicine, notices, receipts, residents, shifts, submissions, supplies,
        testing, users, volunteers, workers, zones,
    };
    const fn number(n: u32) -> f64 {
        n as f64
    }
    &[
        chars("NameInput", "name", community::NAME_MAX),
        chars("BuildingInput", "name", community::NAME_MAX),
        chars("BuildingInput", "head_name", community::NAME_MAX),
        Limit {
            schema: "RoomsInput",
            property: "rooms",
            rule: Rule::ItemsOfChars(community::ROOMS_MAX, community::NAME_MAX),
        },
        chars("CheckInInput", "note", health::NOTE_MAX),
        range(
            "CheckInInput",
            "temperature",
            health::TEMPERATURE_MIN_TENTHS as f64 / 10.0,
            health::TEMPERATURE_MAX_TENTHS as f64 / 10.0,
        ),
        chars("FollowUpInput", "note", health::NOTE_MAX),
        chars("CareInput", "contact_name", residents::NAME_MAX),
        range(
            "CareInput",
            "interval_hours",
            1.0,
            number(health::CARE_INTERVAL_MAX_HOURS),
        ),
        chars("CareContactInput", "note", health::NOTE_MAX),
        chars("NoticeInput", "title", notices::TITLE_MAX),
        chars("NoticeInput", "body", notices::BODY_MAX),
        chars("NoticeInput", "issuing_body", notices::ISSUING_BODY_MAX),
        chars("NoticeInput", "doc_number", notices::DOC_NUMBER_MAX),
        chars("PreviewRequest", "body", notices::BODY_MAX),
        items(
            "ReceiptRequirement",
            "building_ids",
            receipts::BUILDINGS_MAX,
        ),
        chars("DoorReceiptInput", "note", receipts::NOTE_MAX),
        chars("RiskInfo", "arrival_place", residents::PLACE_MAX),
        chars("MemberInput", "name", residents::NAME_MAX),
        items("RegistrationRequest", "members", residents::MEMBERS_MAX),
        items("DoorRegistration", "members", residents::MEMBERS_MAX),
        chars("DoorRegistration", "note", residents::NOTE_MAX),
        chars("VisitInput", "note", residents::NOTE_MAX),
        range(
            "RetentionInput",
            "days",
            0.0,
            number(residents::RETENTION_MAX_DAYS),
        ),
        chars("ShiftInput", "post_custom", shifts::POST_CUSTOM_MAX),
        chars("ShiftInput", "place", shifts::PLACE_MAX),
        chars("ShiftInput", "notes", shifts::NOTES_MAX),
        range("ShiftInput", "capacity", 1.0, number(shifts::CAPACITY_MAX)),
        chars("SubmissionInput", "text", submissions::TEXT_MAX),
        chars("SubmissionInput", "place", submissions::PLACE_MAX),
        chars("VerifyInput", "source_who", submissions::SOURCE_MAX),
        chars("VerifyInput", "source_how", submissions::SOURCE_MAX),
        chars("VerifyInput", "text", submissions::TEXT_MAX),
        chars("RejectInput", "reason", submissions::REASON_MAX),
        chars("RumourInput", "title", submissions::DEBUNK_TITLE_MAX),
        chars("RumourInput", "body", submissions::DEBUNK_BODY_MAX),
        chars("RumourInput", "source_who", submissions::SOURCE_MAX),
        chars("RumourInput", "source_how", submissions::SOURCE_MAX),
        chars("AnswerInput", "answer", submissions::ANSWER_MAX),
        items("BatchInput", "ids", submissions::BATCH_MAX),
        chars("BlockInput", "reason", submissions::REASON_MAX),
        chars("RequestInput", "items", supplies::ITEMS_MAX),
        chars("RequestInput", "notes", supplies::NOTE_MAX),
        chars("ActionInput", "note", supplies::NOTE_MAX),
        items("RunInput", "request_ids", supplies::RUN_MAX),
        items("MedicineRequestInput", "lines", medicine::LINES_MAX),
        chars("MedicineRequestInput", "hospital", medicine::HOSPITAL_MAX),
        chars("MedicineRequestInput", "notes", medicine::NOTE_MAX),
        chars("MedicineLineInput", "drug", medicine::DRUG_MAX),
        chars("MedicineLineInput", "dose", medicine::DOSE_MAX),
        chars("MedicineLineInput", "quantity", medicine::QUANTITY_MAX),
        chars("ArrivalInput", "note", medicine::NOTE_MAX),
        chars("DutyInput", "post", workers::POST_MAX),
        chars("DutyInput", "note", workers::NOTE_MAX),
        range("DutyRules", "max_hours_per_week", 1.0, 168.0),
        range("DutyRules", "min_rest_minutes", 0.0, 1440.0),
        range("DutyRules", "max_days_in_a_row", 1.0, 30.0),
        chars("RoundInput", "name", testing::NAME_MAX),
        chars("RoundInput", "place", testing::PLACE_MAX),
        chars("RoundInput", "notes", testing::NOTES_MAX),
        items("RoundInput", "building_ids", testing::BUILDINGS_MAX),
        items("RoundInput", "slots", testing::SLOTS_MAX),
        chars("NewUserRequest", "display_name", users::DISPLAY_NAME_MAX),
        chars("NewSkillRequest", "name", volunteers::SKILL_NAME_MAX),
        chars("VolunteerProfileInput", "name", volunteers::NAME_MAX),
        chars(
            "VolunteerProfileInput",
            "service_area",
            volunteers::AREA_MAX,
        ),
        items("VolunteerProfileInput", "skills", volunteers::SKILLS_MAX),
        items(
            "VolunteerProfileInput",
            "availability",
            volunteers::AVAILABILITY_MAX,
        ),
        chars("ZoneInput", "reason", zones::REASON_MAX),
        chars("ZoneInput", "internal_note", zones::NOTE_MAX),
        chars("ZoneInput", "contact_name", zones::CONTACT_NAME_MAX),
    ]
};

impl Limit {
    /// Returns whether the schema and property exist (a renamed field fails the test
    /// `every_limit_names_a_property`).
    fn apply(&self, schemas: &mut std::collections::BTreeMap<String, RefOr<Schema>>) -> bool {
        let Some(RefOr::T(Schema::Object(object))) = schemas.get_mut(self.schema) else {
            return false;
        };
        let Some(RefOr::T(property)) = object.properties.get_mut(self.property) else {
            return false;
        };
        match (property, &self.rule) {
            (Schema::Object(value), Rule::Chars(max)) => value.max_length = Some(*max),
            (Schema::Object(value), Rule::Range(min, max)) => {
                value.minimum = Some((*min).into());
                value.maximum = Some((*max).into());
            }
            (Schema::Array(array), Rule::Items(max)) => array.max_items = Some(*max),
            (Schema::Array(array), Rule::ItemsOfChars(max_items, max_chars)) => {
                array.max_items = Some(*max_items);
                let utoipa::openapi::schema::ArrayItems::RefOrSchema(item) = &mut array.items
                else {
                    return false;
                };
                let RefOr::T(Schema::Object(item)) = item.as_mut() else {
                    return false;
                };
                item.max_length = Some(*max_chars);
            }
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_names_a_property() {
        let mut doc = crate::routes::api(true).into_openapi();
        let schemas = &mut doc.components.as_mut().expect("components").schemas;
        let missing: Vec<_> = LIMITS
            .iter()
            .filter(|limit| !limit.apply(schemas))
            .map(|limit| format!("{}.{}", limit.schema, limit.property))
            .collect();
        assert!(missing.is_empty(), "limits naming no property: {missing:?}");
    }

    #[test]
    fn enums_are_documented_as_serialized() {
        let doc = serde_json::to_value(crate::routes::api(true).into_openapi()).expect("JSON");
        let relation = &doc["components"]["schemas"]["Relation"]["enum"];
        assert_eq!(relation[0], "self", "{relation}");
        let shift = &doc["components"]["schemas"]["Shift"]["properties"]["starts_local"];
        assert_eq!(shift["type"], "string");
        assert!(
            shift.get("format").is_none(),
            "a local time has no offset: {shift}"
        );
    }
}
