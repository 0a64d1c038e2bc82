//! Tokens for searching Chinese text by two-character words.
//!
//! Chinese has no spaces, and most of its words have two characters (停水, 核酸, 封控,
//! 物资): the trigram index cannot find them. So every pair of neighbouring characters
//! is indexed as a token (a bigram), beside the trigram index. A query of two or more
//! characters becomes a phrase of its bigrams, which matches exactly where the
//! characters stand side by side; one character is a prefix of the bigrams it starts.
//!
//! The same tokens serve SQLite (an FTS5 table over this text) and, later, PostgreSQL
//! (`to_tsvector('simple', …)` over the same text).

/// Scripts written without spaces between words: kana and CJK ideographs.
fn is_cjk(c: char) -> bool {
    matches!(
        u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3_134F
    )
}

/// A stretch of text that tokenizes one way.
#[derive(Debug, PartialEq)]
enum Run {
    /// Neighbouring CJK characters.
    Cjk(Vec<char>),
    /// A word of letters or digits in a spaced script, lowercased.
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut current: Option<Run> = None;
    for c in text.chars() {
        current = match (current.take(), is_cjk(c), c.is_alphanumeric()) {
            (Some(Run::Cjk(mut chars)), true, _) => {
                chars.push(c);
                Some(Run::Cjk(chars))
            }
            (Some(Run::Word(mut word)), false, true) => {
                word.extend(c.to_lowercase());
                Some(Run::Word(word))
            }
            (previous, cjk, alphanumeric) => {
                out.extend(previous);
                if cjk {
                    Some(Run::Cjk(vec![c]))
                } else if alphanumeric {
                    Some(Run::Word(c.to_lowercase().collect()))
                } else {
                    None
                }
            }
        };
    }
    out.extend(current);
    out
}

fn push_bigrams(tokens: &mut Vec<String>, chars: &[char]) {
    tokens.extend(chars.windows(2).map(|pair| pair.iter().collect::<String>()));
}

/// The text to index, as space-separated tokens: each pair of neighbouring CJK
/// characters, the last character of each CJK run alone (so that a one-character query,
/// and a query whose CJK part ends where a word in another script begins, find it), and
/// words of other scripts whole.
pub fn index_text(text: &str) -> String {
    let mut tokens = Vec::new();
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => {
                push_bigrams(&mut tokens, &chars);
                tokens.extend(chars.last().map(char::to_string));
            }
            Run::Word(word) => tokens.push(word),
        }
    }
    tokens.join(" ")
}

/// The tokens of one query term as they stand in text indexed by [`index_text`], and
/// whether the last one is a prefix; `None` when the term has no letters, digits or CJK
/// characters (it cannot be in the index).
fn query_tokens(term: &str) -> Option<(Vec<String>, bool)> {
    let runs = runs(term);
    let last = runs.len().checked_sub(1)?;
    let mut tokens = Vec::new();
    let mut prefix = false;
    for (i, run) in runs.into_iter().enumerate() {
        match run {
            Run::Cjk(chars) if i < last => {
                // Text follows in the term, so in a matching document this CJK run ends
                // here too, where the index holds its last character alone.
                push_bigrams(&mut tokens, &chars);
                tokens.extend(chars.last().map(char::to_string));
            }
            Run::Cjk(chars) if chars.len() == 1 => {
                tokens.push(chars[0].to_string());
                prefix = true;
            }
            Run::Cjk(chars) => push_bigrams(&mut tokens, &chars),
            Run::Word(word) => {
                prefix = i == last;
                tokens.push(word);
            }
        }
    }
    Some((tokens, prefix))
}

/// The FTS5 phrase (SQLite) that finds one query term in text indexed by [`index_text`].
///
/// The phrase holds only letters, digits and CJK characters between its quotes, so
/// nothing a user types is read as FTS5 syntax.
pub fn query_phrase(term: &str) -> Option<String> {
    let (tokens, prefix) = query_tokens(term)?;
    let star = if prefix { " *" } else { "" };
    Some(format!("\"{}\"{star}", tokens.join(" ")))
}

/// The same phrase as a PostgreSQL `tsquery` (`to_tsquery('simple', …)`): the tokens in
/// sequence (`<->`), the last one a prefix (`:*`) where FTS5's is. Tokens hold only
/// letters, digits and CJK characters, so nothing is read as tsquery syntax.
pub fn query_tsquery(term: &str) -> Option<String> {
    let (tokens, prefix) = query_tokens(term)?;
    let star = if prefix { ":*" } else { "" };
    Some(format!("({}{star})", tokens.join(" <-> ")))
}

/// A `tsquery` that every text holding `term` as a substring matches, so that the GIN
/// index narrows a substring search down to a few candidates; `None` when nothing is
/// certain. Unlike [`query_tsquery`] it asks for tokens, not a phrase (positions stop at
/// 16,383 in a `tsvector`, and a phrase would miss a term further into a long body), and
/// only for tokens the text holds whatever surrounds the term: a word the term starts
/// with may be the end of a longer word in the text, so it is left out; a CJK run or
/// word the term ends with may continue in the text, so its lone last character (or the
/// word) is a prefix. Single characters match most of the board, so they are asked for
/// only when nothing longer is. Terms with characters outside ASCII, CJK and Chinese
/// punctuation give `None`: Rust's and the database's ideas of letters and lower case
/// may differ there.
pub fn substring_tsquery(term: &str) -> Option<String> {
    if !term
        .chars()
        .all(|c| c.is_ascii() || is_cjk(c) || is_wide_punctuation(c))
    {
        return None;
    }
    let starts_in_word = term
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let ends_in_run = term
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || is_cjk(c));
    let runs = runs(term);
    let last = runs.len().checked_sub(1)?;
    let mut tokens = Vec::new();
    for (i, run) in runs.into_iter().enumerate() {
        let open_end = i == last && ends_in_run;
        match run {
            Run::Cjk(chars) => {
                push_bigrams(&mut tokens, &chars);
                match chars.last() {
                    Some(c) if !open_end => tokens.push(c.to_string()),
                    Some(c) if chars.len() == 1 => tokens.push(format!("{c}:*")),
                    _ => {}
                }
            }
            Run::Word(_) if i == 0 && starts_in_word => {}
            Run::Word(word) if open_end => tokens.push(format!("{word}:*")),
            Run::Word(word) => tokens.push(word),
        }
    }
    let long: Vec<&String> = tokens
        .iter()
        .filter(|t| t.trim_end_matches(":*").chars().count() > 1)
        .collect();
    let chosen = if long.is_empty() {
        tokens.iter().collect()
    } else {
        long
    };
    (!chosen.is_empty()).then(|| {
        let parts: Vec<&str> = chosen.iter().map(|t| t.as_str()).collect();
        format!("({})", parts.join(" & "))
    })
}

/// Punctuation of Chinese text (`，` `。` `〔` `〕` `——`): never a letter or digit, to Rust or
/// to the database, so it ends a run the same way on both sides.
fn is_wide_punctuation(c: char) -> bool {
    matches!(u32::from(c), 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFFEF)
        && !c.is_alphanumeric()
}

/// Whether `text` reads the same in any case: only CJK characters and ASCII other than
/// letters. (A LIKE pattern for such a text finds what ILIKE finds, without lower-casing
/// every row it reads.)
pub fn caseless(text: &str) -> bool {
    text.chars()
        .all(|c| is_cjk(c) || (c.is_ascii() && !c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_as_neighbouring_pairs_with_each_runs_last_character() {
        assert_eq!(index_text("停水通知"), "停水 水通 通知 知");
        assert_eq!(index_text("2号楼，明日停水"), "2 号楼 楼 明日 日停 停水 水");
        assert_eq!(index_text("COVID-19 核酸"), "covid 19 核酸 酸");
        assert_eq!(index_text("津民发〔2020〕13号"), "津民 民发 发 2020 13 号");
        assert_eq!(index_text(""), "");
        assert_eq!(index_text("—— ！"), "");
    }

    #[test]
    fn a_query_is_the_phrase_of_its_bigrams() {
        assert_eq!(query_phrase("停水").as_deref(), Some("\"停水\""));
        assert_eq!(
            query_phrase("核酸检测").as_deref(),
            Some("\"核酸 酸检 检测\"")
        );
        assert_eq!(query_phrase("停").as_deref(), Some("\"停\" *"));
        assert_eq!(query_phrase("13号").as_deref(), Some("\"13 号\" *"));
        assert_eq!(query_phrase("2号楼3").as_deref(), Some("\"2 号楼 楼 3\" *"));
        assert_eq!(query_phrase("Covid").as_deref(), Some("\"covid\" *"));
    }

    #[test]
    fn postgres_gets_the_same_phrase_as_a_tsquery() {
        assert_eq!(query_tsquery("停水").as_deref(), Some("(停水)"));
        assert_eq!(
            query_tsquery("核酸检测").as_deref(),
            Some("(核酸 <-> 酸检 <-> 检测)")
        );
        assert_eq!(query_tsquery("停").as_deref(), Some("(停:*)"));
        assert_eq!(query_tsquery("13号").as_deref(), Some("(13 <-> 号:*)"));
        assert_eq!(query_tsquery("%").as_deref(), None);
    }

    #[test]
    fn punctuation_and_fts5_syntax_are_never_passed_through() {
        assert_eq!(query_phrase("%"), None);
        assert_eq!(query_phrase("\"\""), None);
        assert_eq!(
            query_phrase("停水\" OR \"").as_deref(),
            Some("\"停水 水 or\" *")
        );
        assert_eq!(query_phrase("NEAR(a").as_deref(), Some("\"near a\" *"));
    }
    #[test]
    fn a_substring_needs_only_the_tokens_it_cannot_be_without() {
        // `第` ends its CJK run (a digit follows), `9999` is whole, `号` may go on.
        assert_eq!(substring_tsquery("第9999号").as_deref(), Some("(9999)"));
        assert_eq!(
            substring_tsquery("重庆市民政局").as_deref(),
            Some("(重庆 & 庆市 & 市民 & 民政 & 政局)")
        );
        // The first word may be the end of a longer one; the last may go on.
        assert_eq!(substring_tsquery("ovid-19x").as_deref(), Some("(19x:*)"));
        assert_eq!(substring_tsquery("abc"), None);
        // With nothing longer, single characters (as prefixes where the run may go on).
        assert_eq!(substring_tsquery("a号b").as_deref(), Some("(号 & b:*)"));
        assert_eq!(substring_tsquery("-停-").as_deref(), Some("(停)"));
        assert_eq!(substring_tsquery("—停—").as_deref(), Some("(停)"));
        assert_eq!(
            substring_tsquery("发〔2020〕13号").as_deref(),
            Some("(2020 & 13)")
        );
        assert_eq!(substring_tsquery("%_%"), None);
        assert_eq!(substring_tsquery("Été"), None);
        assert_eq!(substring_tsquery("ＡＢ号"), None);
    }

    #[test]
    fn caseless_texts_are_cjk_digits_and_punctuation() {
        assert!(caseless("%第9999号\\_%"));
        assert!(!caseless("%covid%"));
        assert!(!caseless("%Été%"));
    }
}
