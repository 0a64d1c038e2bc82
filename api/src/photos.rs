//! Photos on submitted updates: the limits both sides check.

/// The largest upload accepted (5 MiB): a phone photo, not a video or a scan.
pub const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Stored photos are downscaled to fit this many pixels on their longer side.
pub const PHOTO_MAX_SIDE: u32 = 1600;

/// `PUT /api/submissions/{id}/photo`: what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoInfo {
    pub width: u32,
    pub height: u32,
    /// Size of the re-encoded JPEG.
    pub bytes: u64,
}
