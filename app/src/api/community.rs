use super::{ApiError, get};
use shouwang_api::community::Structure;

pub async fn structure() -> Result<Structure, ApiError> {
    get("/api/community/structure").await
}
