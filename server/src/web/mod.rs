//! Everything that is not the JSON API itself: the embedded app, response headers and
//! the `Idempotency-Key` layer around the API.

pub mod assets;
pub mod directory;
pub mod download;
pub mod headers;
pub mod idempotency;
pub mod prerender;
pub mod service_worker;
