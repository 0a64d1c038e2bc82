use super::{ApiError, get};
use shouwang_api::Page;
use shouwang_api::board::{DocNumberAnswer, DocNumberQuery, SearchHit, SearchQuery};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's own `encodeURIComponent`, instead of a URL crate in the bundle.
    #[wasm_bindgen(js_name = encodeURIComponent)]
    fn encode(s: &str) -> String;
}

pub async fn search(q: &str, page: u32) -> Result<Page<SearchHit>, ApiError> {
    SearchQuery {
        q: q.to_owned(),
        ..Default::default()
    }
    .validate()?;
    get(&format!("/api/board/search?q={}&page={page}", encode(q))).await
}

pub async fn doc_number(q: &str) -> Result<DocNumberAnswer, ApiError> {
    DocNumberQuery { q: q.to_owned() }.validate()?;
    get(&format!("/api/board/doc-number?q={}", encode(q))).await
}

pub async fn supersede(
    notice_id: i64,
    input: &shouwang_api::board::SupersedeInput,
) -> Result<(), ApiError> {
    let response = gloo_net::http::Request::post(&crate::base::at(&format!(
        "/api/notices/{notice_id}/superseded-by"
    )))
    .json(input)
    .map_err(|_| ApiError::Network)?
    .send()
    .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => super::read::<()>(other).await,
    }
}
