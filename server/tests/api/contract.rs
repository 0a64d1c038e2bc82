//! The served OpenAPI document as the contract every response of the suite must keep:
//! `TestClient` hands each response here. Its status must be documented for the
//! operation (method + path template) and a JSON body must validate against the
//! documented schema, `$ref`s to `components/schemas` resolved in the document itself.
//!
//! The document is built into the binary from the handlers' annotations, so every test
//! server serves the same one: it is fetched from the first server a test talks to and
//! compiled once per test process (every response schema up front), not per request.

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use std::collections::HashMap;
use tokio::sync::OnceCell;

/// Where the document is added as a JSON Schema resource; a fragment points into it.
const DOCUMENT: &str = "urn:shouwang:openapi";

pub struct Contract {
    doc: Value,
    schemas: boon::Schemas,
    /// Compiled response schemas by JSON pointer into the document.
    compiled: HashMap<String, boon::SchemaIndex>,
    /// Path templates split into segments; `None` is a `{parameter}`.
    templates: Vec<(String, Vec<Option<String>>)>,
}

static CONTRACT: OnceCell<Contract> = OnceCell::const_new();

pub async fn contract(http: &Client, base: &str) -> &'static Contract {
    // The site's root documents every operation: the deployment's as well as a community's.
    let base = base.split("/c/").next().unwrap_or(base);
    CONTRACT
        .get_or_init(|| async {
            let response = http
                .get(format!("{base}/api/openapi.json"))
                .send()
                .await
                .expect("GET /api/openapi.json");
            assert_eq!(response.status(), StatusCode::OK, "the OpenAPI document");
            Contract::compile(response.json().await.expect("the OpenAPI document as JSON"))
        })
        .await
}

impl Contract {
    fn compile(doc: Value) -> Contract {
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        // Formats are assertions here: a `date-time` without an offset is a finding.
        compiler.enable_format_assertions();
        compiler
            .add_resource(DOCUMENT, doc.clone())
            .expect("add the document as a schema resource");
        let mut schemas = boon::Schemas::new();
        let mut compiled = HashMap::new();
        let mut templates = Vec::new();
        let paths = doc["paths"].as_object().expect("paths");
        for (template, item) in paths {
            templates.push((
                template.clone(),
                template
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect(),
            ));
            for (method, operation) in item.as_object().expect("path item") {
                for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                    if response["content"]["application/json"]["schema"].is_null() {
                        continue;
                    }
                    let pointer = schema_pointer(template, method, status);
                    let index = compiler
                        .compile(&format!("{DOCUMENT}#{pointer}"), &mut schemas)
                        .unwrap_or_else(|e| panic!("compile {pointer}: {e:#}"));
                    compiled.insert(pointer, index);
                }
            }
        }
        Contract {
            doc,
            schemas,
            compiled,
            templates,
        }
    }

    /// The documented template matching a concrete path, preferring literal segments
    /// (`/api/volunteers/me` over `/api/volunteers/{id}`).
    fn template(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(_, parts)| {
                parts.len() == segments.len()
                    && parts
                        .iter()
                        .zip(&segments)
                        .all(|(part, segment)| part.as_deref().is_none_or(|p| p == *segment))
            })
            .max_by_key(|(_, parts)| parts.iter().filter(|p| p.is_some()).count())
            .map(|(template, _)| template.as_str())
    }

    /// Panics unless the response keeps the document. `content_type` and `body` are
    /// `None` for a body the caller streams (not JSON), which is not read here.
    pub fn check(
        &self,
        method: &Method,
        url: &str,
        status: StatusCode,
        content_type: &str,
        body: Option<&[u8]>,
    ) {
        let path = url_path(url);
        // The document itself, and the test-only hooks (`serve --test-hooks`), which
        // are deliberately not part of it.
        if !path.starts_with("/api/")
            || path == "/api/openapi.json"
            || path.starts_with("/api/test/")
        {
            return;
        }
        let is_json = content_type.starts_with("application/json");
        let error_body = "#/components/schemas/ErrorBody";
        let Some(template) = self.template(path) else {
            // Outside every operation: the API's own 404, as an error body.
            assert!(
                is_json,
                "{method} {path}: {status} with {content_type} outside the document"
            );
            self.validate_body(error_body, method, path, status, body);
            return;
        };
        let method_name = method.as_str().to_ascii_lowercase();
        let Some(operation) = self.doc["paths"][template].get(&method_name) else {
            // A method the path does not have: 405 (or the cross-site refusal first).
            assert!(
                matches!(status.as_u16(), 403 | 405),
                "{method} {template}: {status} for a method the document does not list"
            );
            self.validate_body(error_body, method, path, status, body);
            return;
        };
        let code = status.as_str();
        let Some(documented) = operation["responses"].get(code) else {
            panic!(
                "{method} {template} answered {status}, which the document does not list \
                 (it lists {:?}); body: {}",
                operation["responses"]
                    .as_object()
                    .map(|r| r.keys().collect::<Vec<_>>()),
                body.map(String::from_utf8_lossy).unwrap_or_default()
            );
        };
        if !is_json {
            let mime = content_type.split(';').next().unwrap_or_default().trim();
            let documented: Vec<&String> = documented["content"]
                .as_object()
                .map(|content| content.keys().collect())
                .unwrap_or_default();
            assert!(
                mime.is_empty() || documented.iter().any(|d| *d == mime),
                "{method} {template} {status}: {mime} is not among the documented {documented:?}"
            );
            return;
        }
        let pointer = schema_pointer(template, &method_name, code);
        assert!(
            self.compiled.contains_key(&pointer),
            "{method} {template} {status}: a JSON body the document does not describe: {}",
            body.map(String::from_utf8_lossy).unwrap_or_default()
        );
        self.validate_body(&format!("#{pointer}"), method, template, status, body);
    }

    fn validate_body(
        &self,
        fragment: &str,
        method: &Method,
        path: &str,
        status: StatusCode,
        body: Option<&[u8]>,
    ) {
        let Some(body) = body else { return };
        let pointer = fragment.trim_start_matches('#');
        let index = match self.compiled.get(pointer) {
            Some(index) => *index,
            None => return self.validate_error_body(method, path, status, body),
        };
        let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
            panic!("{method} {path} {status}: a JSON body that is not JSON: {e}")
        });
        if let Err(error) = self.schemas.validate(&value, index) {
            panic!(
                "{method} {path} {status}: the body does not match the document:\n{error}\nbody: {value}"
            );
        }
    }

    /// An error body outside any operation has no compiled schema of its own; its shape
    /// is the one `ErrorBody` every operation's errors share.
    fn validate_error_body(&self, method: &Method, path: &str, status: StatusCode, body: &[u8]) {
        let value: Value = serde_json::from_slice(body)
            .unwrap_or_else(|e| panic!("{method} {path} {status}: an error that is not JSON: {e}"));
        let codes = &self.doc["components"]["schemas"]["ErrorCode"]["enum"];
        let code = &value["error"]["code"];
        assert!(
            codes.as_array().is_some_and(|codes| codes.contains(code)),
            "{method} {path} {status}: error code {code} is not documented"
        );
        assert!(
            value["error"]["message"].is_string(),
            "{method} {path} {status}: an error without a message: {value}"
        );
    }
}

fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("/", |start| &after_scheme[start..]);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    // A community's own address (`/c/<slug>/api/…`) serves the same API.
    match path
        .strip_prefix("/c/")
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
    {
        Some(inside) => inside,
        None => path,
    }
}

/// The JSON pointer of a documented response's JSON schema.
fn schema_pointer(template: &str, method: &str, status: &str) -> String {
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    format!(
        "/paths/{}/{method}/responses/{status}/content/{}/schema",
        escape(template),
        escape("application/json")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document with one operation whose reply is a `Relation`, spelt as on the wire.
    fn contract() -> Contract {
        Contract::compile(json!({
            "openapi": "3.1.0",
            "paths": { "/api/relations/{id}": { "get": { "responses": {
                "200": { "description": "", "content": { "application/json": { "schema": {
                    "$ref": "#/components/schemas/Relation" } } } },
                "404": { "description": "", "content": { "application/json": { "schema": {
                    "$ref": "#/components/schemas/ErrorBody" } } } }
            } } } },
            "components": { "schemas": {
                "Relation": { "type": "string", "enum": ["self", "spouse"] },
                "ErrorBody": { "type": "object", "required": ["error"] },
                "ErrorCode": { "type": "string", "enum": ["not_found"] }
            } }
        }))
    }

    fn check(status: u16, body: &str) {
        contract().check(
            &Method::GET,
            "http://127.0.0.1:1/api/relations/7?x=1",
            StatusCode::from_u16(status).expect("a status"),
            "application/json",
            Some(body.as_bytes()),
        );
    }

    #[test]
    fn a_body_as_documented_passes() {
        check(200, r#""self""#);
        check(
            404,
            r#"{"error":{"code":"not_found","message":"Not found."}}"#,
        );
    }

    #[test]
    #[should_panic(expected = "does not match the document")]
    fn a_value_the_document_does_not_list_fails() {
        check(200, r#""SelfPerson""#);
    }

    #[test]
    #[should_panic(expected = "which the document does not list")]
    fn an_undocumented_status_fails() {
        check(
            409,
            r#"{"error":{"code":"conflict","message":"Conflict."}}"#,
        );
    }
}
