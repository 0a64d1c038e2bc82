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
}
