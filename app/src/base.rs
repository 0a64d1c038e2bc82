//! Which community the app serves: the site's root (the deployment's first community), or
//! the community at `/c/<slug>/`. Every address the app calls or links to outside the
//! router goes through [`at`].

use std::sync::OnceLock;

/// `""` at the site's root, `/c/<slug>` under a community's address.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        community_prefix(&path).unwrap_or_default().to_owned()
    })
}

/// `path` (starting with `/`) inside this community's address.
pub fn at(path: &str) -> String {
    format!("{}{path}", base())
}

/// `/c/<slug>` when `path` is under a community's address.
fn community_prefix(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/c/")?;
    let slug_len = rest.find('/').unwrap_or(rest.len());
    (slug_len > 0).then(|| &path[..3 + slug_len])
}

#[cfg(test)]
mod tests {
    use super::community_prefix;

    #[test]
    fn the_prefix_is_the_community_part_only() {
        assert_eq!(community_prefix("/c/jianshe/register"), Some("/c/jianshe"));
        assert_eq!(community_prefix("/c/jianshe/"), Some("/c/jianshe"));
        assert_eq!(community_prefix("/c/jianshe"), Some("/c/jianshe"));
        assert_eq!(community_prefix("/c/"), None);
        assert_eq!(community_prefix("/register"), None);
        assert_eq!(community_prefix("/"), None);
    }
}
