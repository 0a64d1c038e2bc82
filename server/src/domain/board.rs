//! Search terms, match marking, and the Atom feed: plain functions.

use super::bigrams;
use chrono::{DateTime, Utc};
use shouwang_api::board::{MARK_END, MARK_START, TRIGRAM_MIN};

/// The whitespace-separated terms of a query, at most eight.
pub fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// How a query is answered. Terms of three characters or more go to the trigram index;
/// shorter ones (`停水`, `停`) to the bigram index, which finds two-character words and
/// single characters. A short term with nothing indexable in it (`%`) can only be found by
/// a substring scan of the rows the indexes narrowed down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPlan {
    /// An FTS5 expression for the trigram index requiring every long term, each quoted
    /// as a string (so no user input is read as FTS5 syntax).
    pub index: Option<String>,
    /// An FTS5 expression for the bigram index requiring every short term.
    pub bigrams: Option<String>,
    /// LIKE patterns for short terms neither index holds.
    pub scan: Vec<String>,
    /// PostgreSQL's plan for the same query: substring patterns for the long terms
    /// (what a trigram match is), and the bigram phrases as one `tsquery`.
    pub substrings: Vec<String>,
    pub tsquery: Option<String>,
}

impl SearchPlan {
    pub fn new(terms: &[String]) -> Self {
        let (long, short): (Vec<String>, Vec<String>) = terms
            .iter()
            .cloned()
            .partition(|t| t.chars().count() >= TRIGRAM_MIN);
        let index = (!long.is_empty()).then(|| {
            long.iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ")
        });
        let mut phrases = Vec::new();
        let mut tsqueries = Vec::new();
        let mut unindexed = Vec::new();
        for term in short {
            match (bigrams::query_phrase(&term), bigrams::query_tsquery(&term)) {
                (Some(phrase), Some(tsquery)) => {
                    phrases.push(phrase);
                    tsqueries.push(tsquery);
                }
                _ => unindexed.push(term),
            }
        }
        SearchPlan {
            index,
            bigrams: (!phrases.is_empty()).then(|| phrases.join(" AND ")),
            scan: like_patterns(&unindexed),
            substrings: like_patterns(&long),
            tsquery: (!tsqueries.is_empty()).then(|| tsqueries.join(" & ")),
        }
    }

    /// Only the trigram index is needed, so FTS5 can rank and highlight.
    pub fn index_only(&self) -> Option<&str> {
        self.index
            .as_deref()
            .filter(|_| self.scan.is_empty() && self.bigrams.is_none())
    }
}

/// LIKE patterns for the short-term fallback; `%`, `_` and `\` are matched literally.
pub fn like_patterns(terms: &[String]) -> Vec<String> {
    terms
        .iter()
        .map(|t| {
            let escaped = t
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect()
}

/// Marks every occurrence of any term (case-insensitively for ASCII) with
/// [`MARK_START`]/[`MARK_END`].
pub fn mark(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let needles: Vec<Vec<char>> = terms
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().map(|c| c.to_ascii_lowercase()).collect())
        .collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let hit = needles
            .iter()
            .filter(|n| lower[i..].starts_with(n))
            .map(Vec::len)
            .max();
        match hit {
            Some(len) => {
                out.push(MARK_START);
                out.extend(&chars[i..i + len]);
                out.push(MARK_END);
                i += len;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// About `width` characters of `body` around the first match, marked.
pub fn snippet(body: &str, terms: &[String], width: usize) -> String {
    let chars: Vec<char> = body.chars().collect();
    let lower: String = body.to_ascii_lowercase();
    let first = terms
        .iter()
        .filter_map(|t| lower.find(&t.to_ascii_lowercase()))
        .min()
        .map_or(0, |byte| body[..byte].chars().count());
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let piece: String = chars[start..end].iter().collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&mark(&piece, terms));
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// One entry of an Atom feed.
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub summary: String,
    pub category: String,
    pub updated: DateTime<Utc>,
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom 1.0 document (RFC 4287). Every piece of text is escaped: summaries are plain
/// text, so a `<script>` in a submission arrives in a reader as visible text.
pub fn atom(title: &str, base: &str, self_path: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    xml.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&format!("{base}{self_path}"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n  <link href=\"{}/\"/>\n",
        xml_escape(&format!("{base}{self_path}")),
        xml_escape(base)
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", updated.to_rfc3339()));
    for e in entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
        xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        xml.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&e.link)));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            e.updated.to_rfc3339()
        ));
        xml.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            xml_escape(&e.category)
        ));
        xml.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            xml_escape(&e.summary)
        ));
        xml.push_str("    <author><name>守望</name></author>\n");
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        terms(s)
    }

    #[test]
    fn long_terms_use_the_trigram_index_and_short_ones_the_bigram_index() {
        let plan = SearchPlan::new(&t("全区封控 通知书"));
        assert_eq!(plan.index_only(), Some("\"全区封控\" AND \"通知书\""));

        let plan = SearchPlan::new(&t("社区 工作者"));
        assert_eq!(plan.index.as_deref(), Some("\"工作者\""));
        assert_eq!(plan.bigrams.as_deref(), Some("\"社区\""));
        assert!(plan.scan.is_empty());
        assert_eq!(plan.index_only(), None);

        let plan = SearchPlan::new(&t("停水 停"));
        assert_eq!(plan.index, None);
        assert_eq!(plan.bigrams.as_deref(), Some("\"停水\" AND \"停\" *"));
        assert_eq!(
            SearchPlan::new(&t("")),
            SearchPlan {
                index: None,
                bigrams: None,
                scan: Vec::new(),
                substrings: Vec::new(),
                tsquery: None,
            }
        );
    }

    #[test]
    fn postgres_matches_long_terms_as_substrings_and_short_ones_by_bigram_phrase() {
        let plan = SearchPlan::new(&t("工作者 社区 停 %"));
        assert_eq!(plan.substrings, vec!["%工作者%".to_owned()]);
        assert_eq!(plan.tsquery.as_deref(), Some("(社区) & (停:*)"));
        assert_eq!(plan.scan, vec!["%\\%%".to_owned()]);
    }

    #[test]
    fn fts_syntax_in_a_query_is_quoted() {
        assert_eq!(
            SearchPlan::new(&t("a\"b NEAR(")).index_only(),
            Some("\"a\"\"b\" AND \"NEAR(\"")
        );
        // A short term with no letters, digits or CJK is scanned for, matched literally.
        let plan = SearchPlan::new(&t("abc OR %"));
        assert_eq!(plan.index.as_deref(), Some("\"abc\""));
        assert_eq!(plan.bigrams.as_deref(), Some("\"or\" *"));
        assert_eq!(plan.scan, vec!["%\\%%"]);
        assert_eq!(like_patterns(&t("50%_\\")), vec!["%50\\%\\_\\\\%"]);
    }

    #[test]
    fn matches_are_marked() {
        let m = mark("明日停水通知：停水两小时", &t("停水"));
        assert_eq!(
            m,
            format!("明日{MARK_START}停水{MARK_END}通知：{MARK_START}停水{MARK_END}两小时")
        );
        assert_eq!(
            mark("Water OFF", &t("off")),
            format!("Water {MARK_START}OFF{MARK_END}")
        );
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let body = format!("{}停水{}", "甲".repeat(50), "乙".repeat(50));
        let s = snippet(&body, &t("停水"), 30);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains(&format!("{MARK_START}停水{MARK_END}")));
    }

    #[test]
    fn feeds_escape_everything() {
        let xml = atom(
            "守望 <board>",
            "http://x",
            "/feed.xml",
            &[FeedEntry {
                id: "tag:x,1".into(),
                title: "<script>alert(1)</script>".into(),
                link: "http://x/notices/1?a=1&b=2".into(),
                summary: "a \"quote\" & 'apos'".into(),
                category: "debunk".into(),
                updated: "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap(),
            }],
        );
        assert!(!xml.contains("<script>"));
        assert!(xml.contains("&lt;script&gt;"));
        assert!(xml.contains("a=1&amp;b=2"));
    }
}
