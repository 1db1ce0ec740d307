//! Keyword in context: every occurrence of a phrase in the clean text, with the characters to its
//! left and right inside its document. A phrase may have several spellings (a slogan and its
//! variants); occurrences are found left to right without overlap, as the slogan counts are, so
//! the two agree.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::corpus::Corpus;
use crate::resources::Resources;

/// One occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the document.
    pub doc: usize,
    /// Character offset of the match in the document's clean text.
    pub start: usize,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// One occurrence found by [`in_corpus`], with its document.
#[derive(Debug, Clone)]
pub struct KwicHit {
    pub doc_id: String,
    pub date: Option<String>,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// The spellings in `phrase` (separated by `|`), each cleaned as the documents are, so that
/// 主T教育 finds 主题教育 and a half-width comma finds the full-width one.
pub fn spellings(phrase: &str, res: &Resources) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in phrase.split('|').map(str::trim).filter(|s| !s.is_empty()) {
        let cleaned = crate::clean::clean(raw, res).text.trim().to_string();
        let spelling = if cleaned.is_empty() { raw.to_string() } else { cleaned };
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    }
    out
}

/// Every occurrence of `phrase` (spellings separated by `|`, cleaned as the documents are) in
/// the corpus, with `width` characters of context on each side, in document order; and the
/// number of documents with any.
pub fn in_corpus(corpus: &Corpus, phrase: &str, res: &Resources, width: usize, fold: bool) -> (Vec<KwicHit>, usize) {
    let mut spellings = spellings(phrase, res);
    if fold {
        // the documents were folded to simplified characters: so is a phrase written in traditional
        for s in spellings.clone() {
            let simplified = crate::ingest::script::to_simplified(&s);
            if !spellings.contains(&simplified) {
                spellings.push(simplified);
            }
        }
    }
    let spellings: Vec<&str> = spellings.iter().map(String::as_str).collect();
    let hits = kwic(&corpus.texts(), &spellings, width);
    let docs = hits.iter().map(|h| h.doc).collect::<std::collections::BTreeSet<_>>().len();
    let hits = hits
        .into_iter()
        .map(|h| KwicHit {
            doc_id: corpus.docs[h.doc].doc_id.clone(),
            date: corpus.docs[h.doc].date.clone(),
            left: h.left,
            matched: h.matched,
            right: h.right,
        })
        .collect();
    (hits, docs)
}

/// Every occurrence of any of `spellings` in `texts` (the longest where two start at the same
/// place), with up to `width` characters of context on each side (fewer at the start or end of a
/// document).
pub fn kwic(texts: &[&str], spellings: &[&str], width: usize) -> Vec<Hit> {
    let spellings: Vec<&str> = spellings.iter().copied().filter(|s| !s.is_empty()).collect();
    if spellings.is_empty() {
        return Vec::new();
    }
    let ac = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&spellings).expect("phrases build");
    let mut hits = Vec::new();
    for (doc, text) in texts.iter().enumerate() {
        // character offset of `seen`, advanced from match to match
        let (mut seen, mut chars) = (0, 0);
        for m in ac.find_iter(text) {
            let before = &text[..m.start()];
            let after = &text[m.end()..];
            chars += text[seen..m.start()].chars().count();
            seen = m.start();
            let left: String = {
                let mut l: Vec<char> = before.chars().rev().take(width).collect();
                l.reverse();
                l.into_iter().collect()
            };
            hits.push(Hit {
                doc,
                start: chars,
                left,
                matched: text[m.range()].to_string(),
                right: after.chars().take(width).collect(),
            });
        }
    }
    hits
}

/// For each phrase (given as its spellings), its first `per` occurrences in distinct documents,
/// in document order: a few example lines per slogan, found in one pass over the texts that
/// stops once every phrase has its examples.
pub fn examples(texts: &[&str], phrases: &[Vec<&str>], per: usize, width: usize) -> Vec<Vec<Hit>> {
    let mut out: Vec<Vec<Hit>> = vec![Vec::new(); phrases.len()];
    let (mut patterns, mut owner) = (Vec::new(), Vec::new());
    for (p, spellings) in phrases.iter().enumerate() {
        for s in spellings.iter().filter(|s| !s.is_empty()) {
            patterns.push(*s);
            owner.push(p);
        }
    }
    if patterns.is_empty() || per == 0 {
        return out;
    }
    let ac = AhoCorasick::new(&patterns).expect("phrases build");
    let mut open = phrases.len();
    for (doc, text) in texts.iter().enumerate() {
        for m in ac.find_overlapping_iter(*text) {
            let hits = &mut out[owner[m.pattern().as_usize()]];
            if hits.len() >= per || hits.last().is_some_and(|h| h.doc == doc) {
                continue;
            }
            let mut left: Vec<char> = text[..m.start()].chars().rev().take(width).collect();
            left.reverse();
            hits.push(Hit {
                doc,
                start: text[..m.start()].chars().count(),
                left: left.into_iter().collect(),
                matched: text[m.range()].to_string(),
                right: text[m.end()..].chars().take(width).collect(),
            });
            if hits.len() == per {
                open -= 1;
            }
        }
        if open == 0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_stop_at_document_edges() {
        let texts = ["两个维护在开头，中间的两个维护，结尾两个维护", "没有", "两个维护两个维护"];
        let hits = kwic(&texts, &["两个维护"], 3);
        let got: Vec<(usize, usize, &str, &str)> =
            hits.iter().map(|h| (h.doc, h.start, h.left.as_str(), h.right.as_str())).collect();
        assert_eq!(
            got,
            [
                (0, 0, "", "在开头"),
                (0, 11, "中间的", "，结尾"),
                (0, 18, "，结尾", ""),
                (2, 0, "", "两个维"),
                (2, 4, "个维护", "")
            ]
        );
        // as many hits as the plain substring count
        for t in texts {
            assert_eq!(kwic(&[t], &["两个维护"], 5).len(), t.matches("两个维护").count());
        }
    }

    #[test]
    fn examples_come_from_distinct_documents_and_overlapping_phrases() {
        let texts = ["做到两个维护，两个维护", "没有", "要做到两个维护", "两个维护"];
        let ex = examples(&texts, &[vec!["两个维护"], vec!["做到两个维护"], vec!["不在"]], 2, 2);
        let got: Vec<Vec<(usize, usize, &str)>> =
            ex.iter().map(|hs| hs.iter().map(|h| (h.doc, h.start, h.left.as_str())).collect()).collect();
        assert_eq!(got, vec![vec![(0, 2, "做到"), (2, 3, "做到")], vec![(0, 0, ""), (2, 1, "要")], vec![]]);
        assert!(examples(&texts, &[], 2, 2).is_empty());
    }

    #[test]
    fn every_spelling_is_found_and_the_longest_wins() {
        let texts = ["学思想、强党性，学思想，强党性。主题教育和主题教育活动"];
        let hits = kwic(&texts, &["学思想、强党性", "学思想，强党性", "主题教育", "主题教育活动", ""], 2);
        let got: Vec<(usize, &str)> = hits.iter().map(|h| (h.start, h.matched.as_str())).collect();
        assert_eq!(got, [(0, "学思想、强党性"), (8, "学思想，强党性"), (16, "主题教育"), (21, "主题教育活动")]);
        assert!(kwic(&texts, &[], 2).is_empty());
    }
}
