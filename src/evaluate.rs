//! Evaluate a slogans table against a hand-made list: recall on the slogans that recur, and
//! precision among the top-ranked rows. The list format is described in
//! `data/eval/sample-slogans.txt`.

use std::path::Path;

use crate::error::{Error, Result};
use crate::frame::strs;
use crate::slogans::variants;

/// A labelled list of slogans.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Slogans that recur in the corpus (recall is measured on these); each with its spellings.
    pub recurring: Vec<Vec<String>>,
    /// Slogans that occur once, or further accepted slogans (`[once]` or `[also]`): right when
    /// reported, not required.
    pub once: Vec<Vec<String>>,
    /// Strings that are not slogans.
    pub not: Vec<String>,
}

impl Labels {
    pub fn parse(text: &str) -> Result<Labels> {
        let mut labels = Labels::default();
        let mut section = "";
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                section = match line {
                    "[recurring]" => "recurring",
                    "[once]" | "[also]" => "once",
                    "[not]" => "not",
                    _ => return Err(Error::Labels { line: n + 1, message: format!("unknown section {line}") }),
                };
                continue;
            }
            let spellings: Vec<String> =
                line.split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            match section {
                "recurring" => labels.recurring.push(spellings),
                "once" => labels.once.push(spellings),
                "not" => labels.not.extend(spellings),
                _ => return Err(Error::Labels { line: n + 1, message: "a slogan before any [section]".into() }),
            }
        }
        Ok(labels)
    }

    pub fn read(path: &Path) -> Result<Labels> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text)
    }
}

/// How a table compares with the labels.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub rows: usize,
    /// (matched, total) recurring slogans.
    pub recall: (usize, usize),
    /// (matched, total) recurring slogans none of whose spellings is an entry of the lexicon
    /// given: what the detectors found, since every entry that occurs is reported.
    pub recall_outside_lexicon: (usize, usize),
    /// For each cut-off k: (k, right rows among the first k, rows looked at).
    pub precision: Vec<(usize, usize, usize)>,
    pub missed: Vec<String>,
    /// Rows in the first max(k) labelled as not slogans.
    pub wrong: Vec<String>,
    /// Rows in the first max(k) with no label (counted as wrong).
    pub unlabelled: Vec<String>,
}

/// The spellings a row stands for: its slogan and its variants, with their keys.
fn row_spellings(slogan: &str, variants_col: &str) -> Vec<String> {
    std::iter::once(slogan).chain(variants_col.split('|').filter(|v| !v.is_empty())).map(str::to_string).collect()
}

fn matches(row: &[String], entry: &[String]) -> bool {
    row.iter().any(|r| entry.iter().any(|e| e == r || variants::key(e) == variants::key(r)))
}

/// Compare a `slogans` table (ranked as written) with `labels` at the cut-offs `ks`; recall
/// is also measured on the labels outside `lexicon`.
pub fn evaluate(
    table: &polars::prelude::DataFrame,
    labels: &Labels,
    ks: &[usize],
    lexicon: &[String],
) -> Result<Evaluation> {
    const T: &str = "slogans";
    let slogans = strs(table, "slogan", T)?;
    let variants_col = strs(table, "variants", T)?;
    let rows: Vec<Vec<String>> = slogans.iter().zip(&variants_col).map(|(s, v)| row_spellings(s, v)).collect();
    let mut ev = Evaluation { rows: rows.len(), ..Default::default() };
    let found = |entry: &Vec<String>| rows.iter().any(|r| matches(r, entry));
    ev.recall = (labels.recurring.iter().filter(|e| found(e)).count(), labels.recurring.len());
    ev.missed = labels.recurring.iter().filter(|e| !found(e)).map(|e| e.join("|")).collect();
    let entries: Vec<Vec<String>> = lexicon.iter().map(|l| vec![l.clone()]).collect();
    let outside: Vec<&Vec<String>> =
        labels.recurring.iter().filter(|e| !entries.iter().any(|l| matches(l, e))).collect();
    ev.recall_outside_lexicon = (outside.iter().filter(|e| found(e)).count(), outside.len());
    let right = |r: &Vec<String>| labels.recurring.iter().chain(&labels.once).any(|e| matches(r, e));
    let is_not = |r: &Vec<String>| r.iter().any(|s| labels.not.contains(s));
    for &k in ks {
        let n = k.min(rows.len());
        ev.precision.push((k, rows[..n].iter().filter(|r| right(r)).count(), n));
    }
    let top = ks.iter().copied().max().unwrap_or(0).min(rows.len());
    for r in &rows[..top] {
        if is_not(r) {
            ev.wrong.push(r[0].clone());
        } else if !right(r) {
            ev.unlabelled.push(r[0].clone());
        }
    }
    Ok(ev)
}

/// [`evaluate`] a `slogans.parquet` file.
pub fn evaluate_file(path: &Path, labels: &Labels, ks: &[usize], lexicon: &[String]) -> Result<Evaluation> {
    use polars::prelude::*;
    let file = std::fs::File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let table = ParquetReader::new(file).finish().map_err(|source| Error::Table { table: "slogans", source })?;
    evaluate(&table, labels, ks, lexicon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn recall_and_precision() {
        let labels =
            Labels::parse("[recurring]\n四个意识\n十四条坚持|十四个坚持\n两个维护\n[once]\n三严三实\n[not]\n的重要\n")
                .unwrap();
        let table = df!(
            "slogan" => ["四个意识", "的重要", "十四个坚持", "三严三实", "人民群众"],
            "variants" => ["", "", "", "", ""]
        )
        .unwrap();
        let ev = evaluate(&table, &labels, &[2, 4, 10], &["四个意识".to_string()]).unwrap();
        assert_eq!(ev.recall, (2, 3));
        // 四个意识 is a lexicon entry: of the other two, 十四个坚持 was found
        assert_eq!(ev.recall_outside_lexicon, (1, 2));
        assert_eq!(ev.missed, ["两个维护"]);
        assert_eq!(ev.precision, [(2, 1, 2), (4, 3, 4), (10, 3, 5)]);
        assert_eq!(ev.wrong, ["的重要"]);
        assert_eq!(ev.unlabelled, ["人民群众"]);
    }
}
