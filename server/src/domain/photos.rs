//! Photos on submissions. Nothing a person uploads is stored as sent: the type is read
//! from the content (never from a file name or a Content-Type), the image is decoded
//! within bounds, downscaled, and encoded afresh as a JPEG. The new file carries pixels
//! only: no EXIF (GPS position, phone model, time), no comments, no embedded thumbnail.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{ExtendedColorType, ImageEncoder, ImageFormat, ImageReader, Limits};
use shouwang_api::photos::{PHOTO_MAX_BYTES, PHOTO_MAX_SIDE};
use std::io::Cursor;

/// A decoded image may not be larger than this on either side (a "decompression bomb"
/// is a small file that claims huge dimensions)…
const DECODED_SIDE_MAX: u32 = 10_000;
/// …nor need more memory than this to decode.
const DECODED_BYTES_MAX: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    TooLarge,
    /// Not a JPEG, PNG or WebP by its first bytes.
    NotAnImage,
    /// Claims to be an image but does not decode (truncated, corrupt, too large).
    Malformed,
}

/// A photo ready to store.
#[derive(Debug)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The image format by its magic bytes.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// A JPEG decoder fills a truncated image in with grey rather than fail; a complete JPEG
/// has its end-of-image marker after its last start-of-scan.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    matches!((last(0xDA), last(0xD9)), (Some(scan), Some(end)) if end > scan)
}

/// Checks, decodes, downscales and re-encodes an uploaded photo.
pub fn reencode(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PhotoError::Malformed);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(DECODED_SIDE_MAX);
    limits.max_image_height = Some(DECODED_SIDE_MAX);
    limits.max_alloc = Some(DECODED_BYTES_MAX);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| PhotoError::Malformed)?;
    let image = if image.width() > PHOTO_MAX_SIDE || image.height() > PHOTO_MAX_SIDE {
        image.resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let (width, height) = rgb.dimensions();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .write_image(rgb.as_raw(), width, height, ExtendedColorType::Rgb8)
        .map_err(|_| PhotoError::Malformed)?;
    Ok(Photo {
        jpeg,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    /// A JPEG with an EXIF segment (APP1) carrying a GPS-like payload, as phones write.
    fn jpeg_with_exif() -> Vec<u8> {
        let plain = jpeg(64, 48);
        let payload = b"Exif\0\0MM\0*\0\0\0\x08GPS 39.12N 117.20E Xiaomi";
        let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_is_stripped() {
        let with_exif = jpeg_with_exif();
        assert!(contains(&with_exif, b"Exif"));
        let photo = reencode(&with_exif).unwrap();
        assert!(!contains(&photo.jpeg, b"Exif"));
        assert!(!contains(&photo.jpeg, b"GPS"));
        assert_eq!((photo.width, photo.height), (64, 48));
        assert_eq!(sniff(&photo.jpeg), Some(ImageFormat::Jpeg));
    }

    #[test]
    fn large_photos_are_downscaled_keeping_their_shape() {
        let mut png = Vec::new();
        let img = RgbImage::from_pixel(3200, 1000, image::Rgb([200, 30, 30]));
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 3200, 1000, image::ExtendedColorType::Rgb8)
            .unwrap();
        let photo = reencode(&png).unwrap();
        assert_eq!((photo.width, photo.height), (1600, 500));
    }

    #[test]
    fn the_content_decides_not_the_name() {
        assert_eq!(
            reencode(b"hello, I am a text file named photo.jpg").unwrap_err(),
            PhotoError::NotAnImage
        );
        let random: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(reencode(&random).unwrap_err(), PhotoError::NotAnImage);
        let mut fake = vec![0xFF, 0xD8, 0xFF];
        fake.extend_from_slice(&random);
        assert_eq!(reencode(&fake).unwrap_err(), PhotoError::Malformed);
    }

    #[test]
    fn truncated_images_are_refused() {
        let whole = jpeg(200, 150);
        assert!(reencode(&whole).is_ok());
        assert_eq!(
            reencode(&whole[..whole.len() / 2]).unwrap_err(),
            PhotoError::Malformed
        );
        let mut png = Vec::new();
        let img = RgbImage::from_pixel(100, 100, image::Rgb([1, 2, 3]));
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 100, 100, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(
            reencode(&png[..png.len() - 20]).unwrap_err(),
            PhotoError::Malformed
        );
    }

    #[test]
    fn oversized_uploads_are_refused_before_decoding() {
        let big = vec![0xFF; PHOTO_MAX_BYTES + 1];
        assert_eq!(reencode(&big).unwrap_err(), PhotoError::TooLarge);
    }
}
