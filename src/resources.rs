//! The editable data tifa runs on (noise, variant, placeholder, split and wrap rules, the slogan
//! lexicon, segmentation terms, stopwords), embedded from `data/` at build time or read from a
//! directory given with `--data`.

use std::collections::HashSet;
use std::path::Path;

use regex::Regex;

pub use crate::clean::wrap::WrapRules;
use crate::error::{Error, Result};

/// The files that make up a data directory, relative to it, with their built-in contents.
const FILES: [(&str, &str); 9] = [
    ("rules/noise.tsv", include_str!("../data/rules/noise.tsv")),
    ("rules/variants.tsv", include_str!("../data/rules/variants.tsv")),
    ("rules/placeholders.tsv", include_str!("../data/rules/placeholders.tsv")),
    ("rules/split.tsv", include_str!("../data/rules/split.tsv")),
    ("rules/not_slogans.tsv", include_str!("../data/rules/not_slogans.tsv")),
    ("rules/wrap.tsv", include_str!("../data/rules/wrap.tsv")),
    ("lexicon/slogans.txt", include_str!("../data/lexicon/slogans.txt")),
    ("lexicon/terms.txt", include_str!("../data/lexicon/terms.txt")),
    ("stopwords.txt", include_str!("../data/stopwords.txt")),
];

/// One noise rule; `id` names its file and line so removals can be traced back to it.
#[derive(Debug, Clone)]
pub struct NoiseRule {
    pub id: String,
    pub kind: NoiseKind,
}

#[derive(Debug, Clone)]
pub enum NoiseKind {
    /// Delete every match inside a line.
    Marker(Regex),
    /// Drop each whole line that matches.
    Line(Regex),
    /// Drop from a line matching the first regex to the next line matching the second.
    Block(Regex, Regex),
}

/// How placeholders (XX, ×××, ***) are recognised and what they become.
#[derive(Debug, Clone)]
pub struct Placeholders {
    pub chars: Vec<char>,
    pub min_run: usize,
    pub single: Vec<char>,
    pub symbol: String,
}

/// Where multi-speech files are cut into documents.
#[derive(Debug, Clone, Default)]
pub struct SplitRules {
    pub part: Vec<Regex>,
    pub heading: Vec<Regex>,
    pub title: Vec<Regex>,
    pub salutation: Vec<Regex>,
    pub not_title: Vec<Regex>,
}

/// What a discovered slogan must not look like.
#[derive(Debug, Clone, Default)]
pub struct NotSlogans {
    pub start: HashSet<String>,
    pub end: HashSet<String>,
    pub contains: Vec<Regex>,
    pub min_words: usize,
}

/// Everything loaded from a data directory.
#[derive(Debug, Clone)]
pub struct Resources {
    /// `"built-in"` or the directory the files were read from.
    pub origin: String,
    /// FNV-1a hash (hex) of every data file's name and text: equal when two runs used the same data.
    pub fingerprint: String,
    pub noise: Vec<NoiseRule>,
    /// Literal foldings, longest `from` first.
    pub variants: Vec<(String, String)>,
    pub placeholders: Placeholders,
    pub split: SplitRules,
    pub not_slogans: NotSlogans,
    pub wrap: WrapRules,
    /// Known slogans, in file order, without duplicates.
    pub slogans: Vec<String>,
    /// Words the segmenter keeps whole, with an optional frequency.
    pub terms: Vec<(String, Option<usize>)>,
    pub stopwords: HashSet<String>,
}

/// FNV-1a (64 bit) over every file's name and text, in the order of `FILES`.
fn fingerprint(texts: &[(&str, String)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in texts {
        for b in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

impl Resources {
    /// The data files compiled into the binary.
    pub fn builtin() -> Result<Self> {
        let texts: Vec<(&str, String)> = FILES.iter().map(|(n, t)| (*n, t.to_string())).collect();
        Self::parse("built-in", &texts)
    }

    /// Read every data file from `dir` (same layout as the repository's `data/`).
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let mut texts = Vec::with_capacity(FILES.len());
        for (name, _) in FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read { path, source })?;
            texts.push((name, text));
        }
        Self::parse(&dir.display().to_string(), &texts)
    }

    fn parse(origin: &str, texts: &[(&str, String)]) -> Result<Self> {
        let get =
            |name: &str| -> &str { texts.iter().find(|(n, _)| *n == name).map(|(_, t)| t.as_str()).unwrap_or("") };
        let mut variants = parse_pairs("rules/variants.tsv", get("rules/variants.tsv"))?;
        variants.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
        let mut seen = HashSet::new();
        let slogans = content_lines(get("lexicon/slogans.txt"))
            .map(|(_, l)| l.to_string())
            .filter(|l| seen.insert(l.clone()))
            .collect();
        let terms = content_lines(get("lexicon/terms.txt"))
            .map(|(_, l)| match l.split_once(' ') {
                Some((w, f)) => (w.to_string(), f.trim().parse().ok()),
                None => (l.to_string(), None),
            })
            .collect();
        let stopwords = content_lines(get("stopwords.txt")).map(|(_, l)| l.to_string()).collect();
        Ok(Resources {
            origin: origin.to_string(),
            fingerprint: fingerprint(texts),
            noise: parse_noise(get("rules/noise.tsv"))?,
            variants,
            placeholders: parse_placeholders(get("rules/placeholders.tsv"))?,
            split: parse_split(get("rules/split.tsv"))?,
            not_slogans: parse_not_slogans(get("rules/not_slogans.tsv"))?,
            wrap: parse_wrap(get("rules/wrap.tsv"))?,
            slogans,
            terms,
            stopwords,
        })
    }
}

/// Non-empty lines that are not comments, with their 1-based line numbers, right-trimmed.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches(['\r', ' '])))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

fn rule_error(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Rule { file: file.to_string(), line, message: message.into() }
}

fn regex(file: &str, line: usize, pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| rule_error(file, line, e.to_string()))
}

fn parse_pairs(file: &str, text: &str) -> Result<Vec<(String, String)>> {
    content_lines(text)
        .map(|(n, l)| match l.split_once('\t') {
            Some((a, b)) if !a.is_empty() => Ok((a.to_string(), b.to_string())),
            _ => Err(rule_error(file, n, "expected <text><TAB><text>")),
        })
        .collect()
}

fn parse_noise(text: &str) -> Result<Vec<NoiseRule>> {
    const FILE: &str = "rules/noise.tsv";
    content_lines(text)
        .map(|(n, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            let kind = match fields.as_slice() {
                ["marker", re] => NoiseKind::Marker(regex(FILE, n, re)?),
                ["line", re] => NoiseKind::Line(regex(FILE, n, re)?),
                ["block", start, end] => NoiseKind::Block(regex(FILE, n, start)?, regex(FILE, n, end)?),
                _ => {
                    return Err(rule_error(
                        FILE,
                        n,
                        "expected marker<TAB>regex, line<TAB>regex or block<TAB>start<TAB>end",
                    ));
                }
            };
            Ok(NoiseRule { id: format!("noise.tsv:{n}"), kind })
        })
        .collect()
}

fn parse_placeholders(text: &str) -> Result<Placeholders> {
    const FILE: &str = "rules/placeholders.tsv";
    let mut p = Placeholders { chars: vec![], min_run: 2, single: vec![], symbol: "×".into() };
    for (n, (key, value)) in parse_pairs(FILE, text)?.into_iter().enumerate() {
        match key.as_str() {
            "chars" => p.chars = value.chars().collect(),
            "single" => p.single = value.chars().collect(),
            "symbol" => p.symbol = value,
            "min_run" => {
                p.min_run = value
                    .parse()
                    .ok()
                    .filter(|&v| v >= 1)
                    .ok_or_else(|| rule_error(FILE, n + 1, "min_run must be a number ≥ 1"))?
            }
            other => return Err(rule_error(FILE, n + 1, format!("unknown key {other:?}"))),
        }
    }
    Ok(p)
}

fn parse_split(text: &str) -> Result<SplitRules> {
    const FILE: &str = "rules/split.tsv";
    let mut rules = SplitRules::default();
    for (n, l) in content_lines(text) {
        let Some((kind, pattern)) = l.split_once('\t') else {
            return Err(rule_error(FILE, n, "expected <kind><TAB><regex>"));
        };
        let re = regex(FILE, n, pattern)?;
        match kind {
            "part" => rules.part.push(re),
            "heading" => rules.heading.push(re),
            "title" => rules.title.push(re),
            "salutation" => rules.salutation.push(re),
            "not_title" => rules.not_title.push(re),
            other => return Err(rule_error(FILE, n, format!("unknown kind {other:?}"))),
        }
    }
    Ok(rules)
}

fn parse_wrap(text: &str) -> Result<WrapRules> {
    const FILE: &str = "rules/wrap.tsv";
    let mut rules = WrapRules {
        sentence_end: vec![],
        closing: vec![],
        min_width: 16,
        min_lines: 5,
        min_share: 0.5,
        max_wider: 0.1,
        min_open: 0.5,
        slack: 2,
        join_slack: 4,
        next_heading: vec![],
    };
    for (n, l) in content_lines(text) {
        let Some((key, value)) = l.split_once('\t') else {
            return Err(rule_error(FILE, n, "expected <key><TAB><value>"));
        };
        let number = |what: &str| -> Result<usize> {
            value.parse().map_err(|_| rule_error(FILE, n, format!("{what} must be a whole number")))
        };
        match key {
            "sentence_end" => rules.sentence_end = value.chars().collect(),
            "closing" => rules.closing = value.chars().collect(),
            "min_width" => rules.min_width = number(key)?.max(1),
            "min_lines" => rules.min_lines = number(key)?.max(1),
            "slack" => rules.slack = number(key)?,
            "join_slack" => rules.join_slack = number(key)?,
            "min_share" | "max_wider" | "min_open" => {
                let share = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| (0.0..=1.0).contains(v))
                    .ok_or_else(|| rule_error(FILE, n, format!("{key} must be a number from 0 to 1")))?;
                *match key {
                    "min_share" => &mut rules.min_share,
                    "max_wider" => &mut rules.max_wider,
                    _ => &mut rules.min_open,
                } = share;
            }
            "next_heading" => rules.next_heading.push(regex(FILE, n, value)?),
            other => return Err(rule_error(FILE, n, format!("unknown key {other:?}"))),
        }
    }
    Ok(rules)
}

fn parse_not_slogans(text: &str) -> Result<NotSlogans> {
    const FILE: &str = "rules/not_slogans.tsv";
    let mut rules = NotSlogans { min_words: 1, ..Default::default() };
    for (n, l) in content_lines(text) {
        let Some((kind, value)) = l.split_once('\t') else {
            return Err(rule_error(FILE, n, "expected <kind><TAB><value>"));
        };
        match kind {
            "start" => {
                rules.start.insert(value.to_string());
            }
            "end" => {
                rules.end.insert(value.to_string());
            }
            "contains" => rules.contains.push(regex(FILE, n, value)?),
            "min_words" => {
                rules.min_words = value.parse().map_err(|_| rule_error(FILE, n, "min_words must be a number"))?
            }
            other => return Err(rule_error(FILE, n, format!("unknown kind {other:?}"))),
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_parses() {
        let r = Resources::builtin().unwrap();
        assert!(r.noise.len() >= 5);
        assert!(r.slogans.iter().any(|s| s == "学思想、强党性、重实践、建新功"));
        assert!(r.stopwords.contains("的"));
        assert_eq!(r.placeholders.symbol, "×");
        // longest variant first
        let lens: Vec<usize> = r.variants.iter().map(|(a, _)| a.chars().count()).collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn bad_rule_names_file_and_line() {
        let err = parse_noise("# c\nline\t(unclosed").unwrap_err().to_string();
        assert!(err.contains("rules/noise.tsv line 2"), "{err}");
    }
}
