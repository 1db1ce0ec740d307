//! Slogans (first version): quoted phrases “…” of 2–30 characters, numbered formulas among them
//! (四个意识, 十查十看), and every entry of the slogan lexicon; each counted exactly on the
//! clean text (`count` = plain substring occurrences, `doc_count` = documents containing it).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use polars::prelude::*;
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;

use crate::error::{Error, Result, TableContext};
use crate::segment::sentences;

/// The `kind` column: a numbered formula (四个意识, 十查十看); a phrase written in quotes in at
/// least [`MIN_QUOTED_SHARE`] of its occurrences; otherwise a lexicon entry.
pub const KINDS: [&str; 3] = ["formula", "quoted", "lexicon"];

/// A quoted phrase or formula must be written inside quotes in at least this share of its
/// occurrences: an ordinary word that is quoted now and then (“和平”, “社会主义” in the 1950s,
/// “一路” in 新闻联播) is not a slogan.
pub const MIN_QUOTED_SHARE: f64 = 0.1;

/// Longest quoted phrase taken as a slogan (longer quotations are speech, not slogans).
pub const MAX_QUOTED_CHARS: usize = 30;

/// A phrase to count, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    /// Shaped like a numbered formula ([`is_formula`]).
    pub formula: bool,
    pub in_lexicon: bool,
    /// Times the phrase is written inside “…” in the corpus.
    pub quoted: u64,
}

static FORMULA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[一二两三四五六七八九十百]+\p{Han}{1,8}$").unwrap());

/// True for a numbered formula: a Chinese numeral followed by Chinese characters only
/// (四个意识, 两个维护, 十四条坚持, 三严三实, 十查十看), at most ten characters.
pub fn is_formula(s: &str) -> bool {
    s.chars().count() <= 10 && FORMULA.is_match(s)
}

/// The phrases written inside “…” in `text` that can be slogans: 2–30 characters, on one line,
/// not a full sentence (no 。！？), no nested opening quote.
pub fn quoted_phrases(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '“' => open = Some(i + c.len_utf8()),
            '\n' => open = None,
            '”' => {
                if let Some(s) = open.take() {
                    let inner = &text[s..i];
                    let n = inner.chars().count();
                    let trimmed = inner.trim() == inner;
                    if (2..=MAX_QUOTED_CHARS).contains(&n) && trimmed && !inner.contains(['。', '！', '？']) {
                        out.push(inner);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Everything to count: quoted phrases found in `texts` and the lexicon, sorted by text.
pub fn candidates(texts: &[&str], lexicon: &[String]) -> Vec<Candidate> {
    let quoted: BTreeMap<&str, u64> = texts
        .par_iter()
        .map(|t| {
            let mut m = BTreeMap::new();
            for q in quoted_phrases(t) {
                *m.entry(q).or_insert(0) += 1;
            }
            m
        })
        .reduce(BTreeMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        });
    let lex: BTreeSet<&str> = lexicon.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    let all: BTreeSet<&str> = quoted.keys().copied().chain(lex.iter().copied()).collect();
    all.into_iter()
        .map(|t| Candidate {
            quoted: quoted.get(t).copied().unwrap_or(0),
            text: t.to_string(),
            formula: is_formula(t),
            in_lexicon: lex.contains(t),
        })
        .collect()
}

/// Exact occurrences of every candidate, per document and per sentence.
#[derive(Debug, Clone, Default)]
pub struct Occurrences {
    /// Per document: `(candidate index, count)`, sorted by index, counts > 0 only.
    pub per_doc: Vec<Vec<(u32, u32)>>,
    /// Per document: for each sentence that holds any candidate, the sorted candidate indexes.
    pub sentences: Vec<Vec<Vec<u32>>>,
    /// Sentences in the corpus.
    pub sentence_total: u64,
}

/// Count every candidate in every text. A candidate's count in a text equals the number of
/// non-overlapping occurrences found left to right (the plain substring count).
pub fn count(cands: &[Candidate], texts: &[&str]) -> Result<Occurrences> {
    if cands.is_empty() {
        return Ok(Occurrences {
            per_doc: vec![vec![]; texts.len()],
            sentences: vec![vec![]; texts.len()],
            sentence_total: texts.iter().map(|t| sentences(t).len() as u64).sum(),
        });
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(cands.iter().map(|c| c.text.as_str()))
        .map_err(|e| Error::Option(format!("slogan matcher: {e}")))?;
    // per text: (candidate, count) pairs, candidate sets of sentences, number of sentences
    type PerText = (Vec<(u32, u32)>, Vec<Vec<u32>>, u64);
    let per: Vec<PerText> = texts
        .par_iter()
        .map(|text| {
            let sents = sentences(text);
            let mut last_end: FxHashMap<u32, usize> = FxHashMap::default();
            let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
            let mut in_sentence: Vec<(usize, u32)> = Vec::new();
            for m in ac.find_overlapping_iter(*text) {
                let p = m.pattern().as_u32();
                let end = last_end.entry(p).or_insert(0);
                if m.start() < *end {
                    continue;
                }
                *end = m.end();
                *counts.entry(p).or_insert(0) += 1;
                let s = sents.partition_point(|&(_, e)| e <= m.start());
                in_sentence.push((s, p));
            }
            in_sentence.sort_unstable();
            in_sentence.dedup();
            let mut sets: Vec<Vec<u32>> = Vec::new();
            let mut current = usize::MAX;
            for (s, p) in in_sentence {
                if s != current {
                    sets.push(Vec::new());
                    current = s;
                }
                sets.last_mut().unwrap().push(p);
            }
            (counts.into_iter().collect(), sets, sents.len() as u64)
        })
        .collect();
    let mut occ = Occurrences::default();
    for (c, s, n) in per {
        occ.per_doc.push(c);
        occ.sentences.push(s);
        occ.sentence_total += n;
    }
    Ok(occ)
}

/// Other spellings of `slogan` that variant folding turned into it and that were seen in the
/// raw text, joined by `|`.
pub fn variant_spellings(slogan: &str, variants: &[(String, String)], seen: &BTreeSet<String>) -> String {
    let mut out: Vec<String> = variants
        .iter()
        .filter(|(from, to)| seen.contains(from) && slogan.contains(to.as_str()))
        .map(|(from, to)| slogan.replace(to.as_str(), from))
        .collect();
    out.sort();
    out.dedup();
    out.join("|")
}

/// The `slogans` table (slogan, kind, count, doc_count, quoted, variants, chars, in_lexicon),
/// sorted by count then text, and the candidate index of each row. A lexicon entry is kept when it
/// occurs at all. Other candidates were found in quotes and must be written in quotes in at least
/// [`MIN_QUOTED_SHARE`] of their occurrences; a formula must also occur at least `min_count`
/// times, any other quoted phrase must be written in quotes at least `min_count` times.
pub fn slogan_table(
    cands: &[Candidate],
    occ: &Occurrences,
    min_count: u64,
    variants: &[(String, String)],
    seen_variants: &BTreeSet<String>,
) -> Result<(DataFrame, Vec<u32>)> {
    const T: &str = "slogans";
    let (mut doc, mut pat, mut n) = (Vec::new(), Vec::new(), Vec::new());
    for (d, counts) in occ.per_doc.iter().enumerate() {
        for &(p, c) in counts {
            doc.push(d as u32);
            pat.push(p);
            n.push(c as u64);
        }
    }
    let rows = doc.len();
    let occ_df = DataFrame::new(
        rows,
        vec![Column::new("doc".into(), doc), Column::new("pattern".into(), pat), Column::new("n".into(), n)],
    )
    .table(T)?;
    let k = cands.len();
    let cand_df = DataFrame::new(
        k,
        vec![
            Column::new("pattern".into(), (0..k as u32).collect::<Vec<_>>()),
            Column::new("slogan".into(), cands.iter().map(|c| c.text.as_str()).collect::<Vec<_>>()),
            Column::new("formula".into(), cands.iter().map(|c| c.formula).collect::<Vec<_>>()),
            Column::new(
                "variants".into(),
                cands.iter().map(|c| variant_spellings(&c.text, variants, seen_variants)).collect::<Vec<_>>(),
            ),
            Column::new("chars".into(), cands.iter().map(|c| c.text.chars().count() as u32).collect::<Vec<_>>()),
            Column::new("in_lexicon".into(), cands.iter().map(|c| c.in_lexicon).collect::<Vec<_>>()),
            Column::new("quoted".into(), cands.iter().map(|c| c.quoted).collect::<Vec<_>>()),
        ],
    )
    .table(T)?;
    let df = occ_df
        .lazy()
        .group_by([col("pattern")])
        .agg([col("n").sum().cast(DataType::UInt64).alias("count"), len().cast(DataType::UInt64).alias("doc_count")])
        .join(cand_df.lazy(), [col("pattern")], [col("pattern")], JoinArgs::new(JoinType::Inner))
        .with_column(
            col("quoted")
                .cast(DataType::Float64)
                .gt_eq(col("count").cast(DataType::Float64) * lit(MIN_QUOTED_SHARE))
                .and(col("quoted").gt(lit(0u64)))
                .alias("quoted_enough"),
        )
        .filter(
            col("in_lexicon").or(col("quoted_enough")
                .and(col("formula").and(col("count").gt_eq(lit(min_count))).or(col("quoted").gt_eq(lit(min_count))))),
        )
        .with_column(
            when(col("formula"))
                .then(lit(KINDS[0]))
                .when(col("quoted_enough"))
                .then(lit(KINDS[1]))
                .otherwise(lit(KINDS[2]))
                .alias("kind"),
        )
        .select([
            col("pattern"),
            col("slogan"),
            col("kind"),
            col("count"),
            col("doc_count"),
            col("quoted"),
            col("variants"),
            col("chars"),
            col("in_lexicon"),
        ])
        .sort(
            ["count", "slogan"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]).with_maintain_order(true),
        )
        .collect()
        .table(T)?;
    let ids = crate::frame::u32s(&df, "pattern", T)?;
    let df = df.drop("pattern").table(T)?;
    Ok((df, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_phrases_and_formulas() {
        let text =
            "总要求是“学思想、强党性、重实践、建新功”，增强“四个意识”、做到“两个维护”，“一”字，“这是一句很长的话。”";
        assert_eq!(quoted_phrases(text), ["学思想、强党性、重实践、建新功", "四个意识", "两个维护"]);
        for f in ["四个意识", "两个维护", "十查十看", "三严三实", "十四条坚持"] {
            assert!(is_formula(f), "{f}");
        }
        for not in ["主题教育", "学思想、强党性", "第一议题"] {
            assert!(!is_formula(not), "{not}");
        }
    }

    #[test]
    fn counts_equal_plain_substring_counts() {
        let texts = ["做到“两个维护”，两个维护两个维护。“有效”", "“四个意识”，有效", "没有。“党性”“党性”"];
        let lex = vec!["两个维护".to_string(), "主题教育".to_string(), "个维".to_string()];
        let texts: Vec<String> =
            texts.iter().map(|t| t.to_string()).chain(std::iter::once("党性".repeat(19))).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let cands = candidates(&texts, &lex);
        let occ = count(&cands, &texts).unwrap();
        for (i, c) in cands.iter().enumerate() {
            for (d, t) in texts.iter().enumerate() {
                let got = occ.per_doc[d].iter().find(|(p, _)| *p == i as u32).map_or(0, |x| x.1);
                assert_eq!(got as usize, t.matches(c.text.as_str()).count(), "{} in {t}", c.text);
            }
        }
        let (df, ids) = slogan_table(&cands, &occ, 2, &[], &BTreeSet::new()).unwrap();
        let slogans: Vec<&str> = crate::frame::strs(&df, "slogan", "t").unwrap();
        // 四个意识 occurs once (below min_count); 有效 occurs twice but is quoted only once;
        // 党性 is quoted twice in 21 occurrences (under 10 %); lexicon entries are kept when seen at all
        assert_eq!(slogans, ["两个维护", "个维"]);
        assert_eq!(ids.len(), 2);
        let quoted: Vec<u64> = crate::frame::u64s(&df, "quoted", "t").unwrap();
        assert_eq!(quoted, [1, 0]);
        assert_eq!(occ.sentence_total, 6);
    }

    #[test]
    fn variants_listed_when_seen() {
        let variants = vec![("主T教育".to_string(), "主题教育".to_string())];
        let seen: BTreeSet<String> = ["主T教育".to_string()].into();
        assert_eq!(variant_spellings("主题教育", &variants, &seen), "主T教育");
        assert_eq!(variant_spellings("主题教育", &variants, &BTreeSet::new()), "");
    }
}
