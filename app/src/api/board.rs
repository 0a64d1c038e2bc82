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
