//! Everything that is not the JSON API: the embedded app and response headers.

pub mod assets;
pub mod directory;
pub mod download;
pub mod headers;
pub mod prerender;
