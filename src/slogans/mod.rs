//! Slogans: six detectors propose candidates — quoted phrases, numbered formulas, 排比
//! enumerations, free-standing recurring phrases, short set phrases told from ordinary words by
//! their use ([`setphrase`]), and the lexicon of known slogans. Every candidate is counted
//! exactly on the clean text, measured (neighbour entropy, cohesion), kept or dropped by the
//! rules below, grouped with its variant spellings, and ranked by `score`.
//!
//! Which candidates are kept:
//! - lexicon: when it occurs at all;
//! - quoted: written in quotes at least `min_count` times and in at least [`MIN_QUOTED_SHARE`] of
//!   its occurrences (an ordinary word quoted now and then is not a slogan);
//! - formula: occurs at least `min_count` times and is either quoted that often, or stands
//!   freely (neighbour entropy ≥ 1 bit on both sides) in at least `min_docs` documents, mostly
//!   not after 第 or another numeral, and (on 一) paired like 一带一路;
//! - enumeration: the whole series occurs at least `min_count` times and passes the word rules;
//! - phrase: in at least `min_docs` documents, free on both sides, cohesion ≥ [`MIN_COHESION`];
//! - set phrase: chosen by [`setphrase::select`] (at most `max_set_phrases`) and in at least
//!   `min_docs` documents.
//!
//! Discovered formulas and phrases must also pass `data/rules/not_slogans.tsv` (no function word
//! or reporting verb at either end, no digits or Latin letters); a phrase needs three words, or
//! two and six characters, or a 、. A candidate that never occurs outside a longer kept one is
//! dropped, and so is a phrase that is a kept slogan plus one ordinary word.
//!
//! `score` = weight(kind) × log2(1 + doc_count) × log2(1 + chars), with weights formula 1.0,
//! enumeration 1.0, lexicon 0.9, quoted 0.5 + 0.5 × (quoted / count), phrase 0.3 + 0.02 ×
//! min(cohesion, 10), set phrase 0.3 + 0.1 × min(evidence, 2): slogans found in many
//! documents first, longer ones before shorter ones, the kinds with the strongest evidence
//! before the others.

pub mod enumeration;
pub mod explain;
pub mod formula;
pub mod index;
pub mod occurrences;
pub mod phrase;
pub mod quoted;
pub mod setphrase;
pub mod stats;
pub mod union;
pub mod variants;

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Result, TableContext};
use crate::frame::round4;
use crate::resources::{NotSlogans, Resources};
use crate::segment::Segmenter;
pub use occurrences::{Occurrences, count};
use phrase::{Freedom, PhraseLimits};
use stats::Measures;

/// A quoted phrase must be written inside quotes in at least this share of its occurrences:
/// “和平” and “社会主义” quoted now and then in the 1950s, or “一路” in 新闻联播, are words, not slogans.
pub const MIN_QUOTED_SHARE: f64 = 0.1;

/// Least cohesion (bits) of a discovered phrase.
pub const MIN_COHESION: f64 = 3.0;

/// Least neighbour entropy (bits) on both sides of a discovered formula or phrase.
pub const MIN_ENTROPY: f64 = 1.0;

/// The detectors, in the order that decides the `kind` column when several found a slogan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Formula,
    Enumeration,
    Quoted,
    Lexicon,
    Phrase,
    SetPhrase,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Formula, Kind::Enumeration, Kind::Quoted, Kind::Lexicon, Kind::Phrase, Kind::SetPhrase];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Formula => "formula",
            Kind::Enumeration => "enumeration",
            Kind::Quoted => "quoted",
            Kind::Phrase => "phrase",
            Kind::Lexicon => "lexicon",
            Kind::SetPhrase => "set_phrase",
        }
    }

    fn weight(self) -> f64 {
        match self {
            Kind::Formula | Kind::Enumeration => 1.0,
            Kind::Lexicon => 0.9,
            Kind::Quoted | Kind::Phrase | Kind::SetPhrase => 0.5,
        }
    }
}

/// A string some detector proposed, and what is known about it.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub text: String,
    pub found_by: BTreeSet<Kind>,
    /// Times written inside quotes.
    pub quoted: u64,
    /// Times seen as an unquoted formula (not after 第, 每 or another numeral).
    pub shaped: u64,
    /// Documents it was seen in as an unquoted formula.
    pub shaped_docs: u64,
    /// Times seen as a series.
    pub series_seen: u64,
    /// Its words pass `not_slogans.tsv` and the part-of-speech rules (always true for quoted
    /// phrases and lexicon entries).
    pub shape_ok: bool,
    /// It has enough words to be a phrase.
    pub words_ok: bool,
    /// Asked for with `--track`: reported whatever its count.
    pub tracked: bool,
    /// For a series: its template (以学X).
    pub template: Option<String>,
    /// For a series: its items.
    pub series_items: Vec<String>,
    pub freedom: Option<Freedom>,
    pub cohesion: Option<f64>,
    /// For a set phrase: its evidence (see [`setphrase`]).
    pub set_evidence: Option<f64>,
    /// Freedom, when the phrase detector found it only as a possible set phrase (free when
    /// frames count as separators, see [`setphrase::usage_at`]), not as a phrase.
    pub framed_freedom: Option<Freedom>,
    /// For a phrase that opens with a principle verb: some occurrence of it is next to 、 (an
    /// item of a series, 大兴务实之风、弘扬清廉之风). Not [`Freedom::listed`], which is every
    /// occurrence followed by 、.
    pub ever_listed: bool,
}

impl Candidate {
    /// The freedom the phrase detector gave it, as a phrase or as a possible set phrase.
    fn detector_freedom(&self) -> Option<&Freedom> {
        if self.found_by.contains(&Kind::Phrase) { self.freedom.as_ref() } else { self.framed_freedom.as_ref() }
    }
}

/// Thresholds of slogan discovery.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Least occurrences of a quoted phrase, formula or series.
    pub min_count: u64,
    /// Least documents of a discovered phrase or unquoted formula.
    pub min_docs: u64,
    /// Longest discovered phrase, in characters.
    pub max_phrase_chars: usize,
    /// Most phrases reported (those found in the most documents).
    pub max_phrases: usize,
    /// Most set phrases counted (the best by set score).
    pub max_set_phrases: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { min_count: 2, min_docs: 2, max_phrase_chars: 48, max_phrases: 5000, max_set_phrases: 1000 }
    }
}

/// The result of slogan discovery: the slogans in rank order and every counted pattern with its
/// exact occurrences.
pub struct Slogans {
    pub list: Vec<Slogan>,
    /// Why each phrase asked about is or is not a slogan (see [`explain`]).
    pub explained: Vec<explain::Explanation>,
    /// Every string that was counted.
    pub patterns: Vec<String>,
    /// Exact occurrences of every pattern.
    pub occurrences: Occurrences,
}

/// What the detectors propose: candidates sorted by text, and apart from them, sorted by text,
/// the far more numerous phrases that only the phrase detector found (kept lean until the
/// prefilter has chosen the few that can qualify).
#[derive(Clone)]
pub struct Proposed {
    pub cands: Vec<Candidate>,
    pub phrases: Vec<(String, Freedom)>,
    /// The families of parallel formulations the series show (see [`setphrase::Families`]).
    pub families: setphrase::Families,
    /// What the families were made of: each distinct (template, item) of the series seen.
    pub series: BTreeSet<(String, String)>,
}

/// Run every detector on `texts` (one per document, each of source file `sources[i]`, cut into
/// the words `segs`) and propose candidates; returns them with the index of `texts`. The words
/// are read into the index's symbols and by the detectors that read a document at a time, and
/// are freed before the suffixes are sorted.
pub fn detect(
    texts: &[&str],
    segs: Vec<crate::segment::Segmented>,
    sources: &[u32],
    lexicon: &[String],
    settings: Settings,
) -> (Proposed, index::Index) {
    let symbols = index::Symbols::of(texts, &segs, sources);
    let series_per_doc = series_of(texts, &segs);
    // the words are read; the phrase detector below needs only the index
    drop(segs);
    // while the suffixes are sorted: the quotes and formulas of each document
    let (mut index, (mut cands, series)) =
        rayon::join(|| symbols.sorted(), || document_candidates(texts, series_per_doc));
    add_lexicon(&mut cands, lexicon);
    let phrases = phrase::find_phrases(&index, phrase_limits(settings));
    // the phrase detector was the last to read the LCP array
    index.release_lcp();
    (with_phrases(cands.into_values().collect(), phrases, series), index)
}

/// What the detectors that read one document at a time propose, and the lexicon: the
/// candidates of `texts` (cut into the words `segs`) without the phrase detector's, which needs
/// the whole corpus. A shard's part, joined with the others' and given the whole corpus's
/// phrases by [`union::join_with_phrases`].
pub fn propose_in_documents(texts: &[&str], segs: &[crate::segment::Segmented], lexicon: &[String]) -> Proposed {
    let (mut cands, series) = document_candidates(texts, series_of(texts, segs));
    add_lexicon(&mut cands, lexicon);
    with_phrases(cands.into_values().collect(), Vec::new(), series)
}

/// The phrase detector's limits under `settings`.
pub fn phrase_limits(settings: Settings) -> PhraseLimits {
    PhraseLimits { max_chars: settings.max_phrase_chars, min_docs: settings.min_docs as usize, ..Default::default() }
}

/// The series of each document, read from its words, in parallel.
fn series_of<'t>(texts: &[&'t str], segs: &[crate::segment::Segmented]) -> Vec<Vec<enumeration::Series<'t>>> {
    texts.par_iter().enumerate().map(|(d, t)| enumeration::find_series_in_words(t, segs.get(d))).collect()
}

fn add<'m>(cands: &'m mut BTreeMap<String, Candidate>, text: &str, kind: Kind) -> &'m mut Candidate {
    let c = cands.entry(text.to_string()).or_insert_with(|| Candidate { text: text.to_string(), ..Default::default() });
    c.found_by.insert(kind);
    c
}

/// The quotes and formula shapes of each document (in parallel) and its `series`, merged in
/// document order into candidates by text; and what the series were made of: each distinct
/// (template, item) seen.
fn document_candidates(
    texts: &[&str],
    series: Vec<Vec<enumeration::Series>>,
) -> (BTreeMap<String, Candidate>, BTreeSet<(String, String)>) {
    let per_doc: Vec<(Vec<&str>, Vec<&str>, Vec<enumeration::Series>)> = texts
        .par_iter()
        .zip(series)
        .map(|(t, series)| (quoted::quoted_phrases(t), formula::formula_shapes(t), series))
        .collect();
    let mut cands: BTreeMap<String, Candidate> = BTreeMap::new();
    for (quotes, shapes, series) in &per_doc {
        for q in quotes {
            add(&mut cands, q, Kind::Quoted).quoted += 1;
            if formula::parse(q).is_some() {
                add(&mut cands, q, Kind::Formula);
            }
        }
        let mut seen_here = BTreeSet::new();
        for s in shapes {
            let c = add(&mut cands, s, Kind::Formula);
            c.shaped += 1;
            if seen_here.insert(*s) {
                c.shaped_docs += 1;
            }
        }
        for s in series {
            let c = add(&mut cands, s.text, Kind::Enumeration);
            c.series_seen += 1;
            c.template = Some(s.template.clone());
            c.series_items = s.items.iter().map(|i| i.to_string()).collect();
        }
    }
    let series = per_doc
        .iter()
        .flat_map(|(_, _, series)| {
            series.iter().flat_map(|s| s.items.iter().map(|i| (s.template.clone(), i.to_string())))
        })
        .collect();
    (cands, series)
}

fn add_lexicon(cands: &mut BTreeMap<String, Candidate>, lexicon: &[String]) {
    for l in lexicon.iter().filter(|l| !l.is_empty()) {
        add(cands, l, Kind::Lexicon);
    }
}

/// The proposals of `cands` (sorted by text) and the phrase detector's `phrases` (sorted by
/// text), with the families the `series` show: a phrase that is a candidate too goes into it,
/// found by the phrase detector when free, or with the freedom of a possible set phrase.
pub fn with_phrases(
    mut cands: Vec<Candidate>,
    mut phrases: Vec<(String, Freedom)>,
    series: BTreeSet<(String, String)>,
) -> Proposed {
    phrases.retain(|(text, freedom)| match cands.binary_search_by(|c| c.text.as_str().cmp(text)) {
        Ok(i) if freedom.free(MIN_ENTROPY) => {
            let c = &mut cands[i];
            c.found_by.insert(Kind::Phrase);
            c.freedom = Some(*freedom);
            false
        }
        Ok(i) => {
            cands[i].framed_freedom = Some(*freedom);
            false
        }
        Err(_) => true,
    });
    let families = setphrase::Families::from_items(series.iter().map(|(t, i)| (t.as_str(), i.as_str())));
    Proposed { cands, phrases, families, series }
}

/// What the word rules say of a discovered string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordCheck {
    /// Its words pass the shape rules.
    pub shape_ok: bool,
    /// It has enough words for a phrase, a word tifa's terms added to the segmenter counting as
    /// the words jieba's dictionary cuts it into (党的创新理论 is 党/的/创新/理论, not one word).
    pub words_ok: bool,
    /// It is one or two words as the segmenter cuts it (terms whole), too few for a phrase:
    /// the set phrases' ground.
    pub few_words: bool,
}

/// The word rules on `text`: they read only the string, so a shard can apply them to what it
/// proposes as one run applies them to the whole corpus's phrases.
pub fn word_checks(text: &str, segmenter: &Segmenter, rules: &NotSlogans) -> WordCheck {
    let tags = segmenter.tags(text);
    let words: Vec<(&str, &str)> = tags.iter().map(|(w, t)| (*w, t.as_str())).collect();
    let pieces = words.iter().map(|(w, _)| segmenter.dictionary_words(w)).sum();
    // an added term is held to the edge rules by its own first and last words too
    // (习近平总书记 ends in 总书记)
    let compound = |w: &str| segmenter.dictionary_words(w) > 1;
    let edge_ok = words.first().is_none_or(|(w, _)| {
        !compound(w) || !rules.start.iter().any(|s| s.chars().count() > 1 && w.starts_with(s.as_str()) && w != s)
    }) && words.last().is_none_or(|(w, _)| {
        !compound(w) || !rules.end.iter().any(|e| e.chars().count() > 1 && w.ends_with(e.as_str()) && w != e)
    });
    WordCheck {
        shape_ok: edge_ok && word_shape_ok(text, &words, rules),
        words_ok: enough_words(text, pieces, rules),
        few_words: !enough_words(text, words.len(), rules),
    }
}

/// True when a series whose template ends in a fixed head of two or more characters (X至上,
/// X意识) passes the word rules with that head taken as a noun: every item ends in it, so it
/// is the formulation's head, not a dangling adverb (人民至上、生命至上; jieba tags 至上 as an
/// adverb). A series that begins with a principle verb (坚持人民至上、生命至上) is not.
fn series_head_ok(text: &str, template: &str, segmenter: &Segmenter, rules: &NotSlogans) -> bool {
    let Some((_, head)) = template.split_once('X') else { return false };
    if head.chars().count() < 2 {
        return false;
    }
    let tags = segmenter.tags(text);
    let mut words: Vec<(&str, &str)> = tags.iter().map(|(w, t)| (*w, t.as_str())).collect();
    match words.last_mut() {
        Some(last) if last.0 == head => last.1 = "n",
        _ => return false,
    }
    // a principle verb wraps the series rather than begins its first item (坚持人民至上、…)
    let wrapped = words.first().is_some_and(|(w, _)| setphrase::PRINCIPLE_VERBS.contains(w));
    !wrapped && word_shape_ok(text, &words, rules)
}

/// Choose the set phrases (see [`setphrase`]) among everything the phrase detector found that
/// may be one, and among the quoted candidates, whose quotes add to their evidence. A chosen
/// candidate is marked in place; a chosen lean proposal is returned by its place in `phrases`.
fn mark_set_phrases(
    cands: &mut [Candidate],
    phrases: &[(String, Freedom)],
    corpus: setphrase::CorpusEvidence,
    measures: &dyn Measures,
    segmenter: &Segmenter,
    rules: &NotSlogans,
    s: Settings,
) -> BTreeMap<usize, setphrase::SetPhrase> {
    let families = corpus.families;
    let quoted_usage: Vec<Option<(Freedom, setphrase::Usage)>> = cands
        .par_iter()
        .map(|c| {
            if c.quoted == 0 || !setphrase::eligible(&c.text) {
                return None;
            }
            let f = c.detector_freedom().copied().or_else(|| measures.freedom_of(&c.text))?;
            let family = !families.of(&c.text).is_empty();
            Some((f, measures.usage_of(&c.text, c.quoted, family, MIN_ENTROPY)?))
        })
        .collect();
    // the phrase detector judged usage without families: a member is judged again with its family
    let with_family = |t: &str, f: &Freedom| -> Option<setphrase::Usage> {
        match f.set {
            None if !families.of(t).is_empty() => measures.usage_of(t, 0, true, MIN_ENTROPY),
            set => set,
        }
    };
    let phrase_usage: Vec<Option<setphrase::Usage>> = phrases.par_iter().map(|(t, f)| with_family(t, f)).collect();
    let proposals: Vec<(&str, &Freedom, setphrase::Usage, u64)> = cands
        .iter()
        .zip(&quoted_usage)
        .filter_map(|(c, q)| match q {
            Some((f, u)) => Some((c.text.as_str(), f, *u, c.quoted)),
            None => c.detector_freedom().and_then(|f| with_family(&c.text, f).map(|u| (c.text.as_str(), f, u, 0))),
        })
        .chain(phrases.iter().zip(phrase_usage).filter_map(|((t, f), u)| u.map(|u| (t.as_str(), f, u, 0))))
        .collect();
    // one or two words as the segmenter cuts them (terms whole), of a good shape
    let few_words = |t: &str| {
        let w = word_checks(t, segmenter, rules);
        w.shape_ok && w.few_words
    };
    let limits =
        setphrase::Limits { min_docs: s.min_docs as usize, min_cohesion: MIN_COHESION, max: s.max_set_phrases };
    let sets = setphrase::select(&proposals, corpus, measures, segmenter, few_words, limits);
    drop(proposals);
    let mut lean = BTreeMap::new();
    for x in sets {
        if let Ok(i) = cands.binary_search_by(|c| c.text.as_str().cmp(&x.text)) {
            let c = &mut cands[i];
            c.found_by.insert(Kind::SetPhrase);
            c.set_evidence = Some(x.evidence);
            c.cohesion = Some(x.cohesion);
            c.freedom = Some(x.freedom);
        } else if let Ok(j) = phrases.binary_search_by(|p| p.0.as_str().cmp(&x.text)) {
            lean.insert(j, x);
        }
    }
    lean
}

/// Check the words of every discovered candidate, then keep those that can still qualify: a
/// lexicon entry; a phrase quoted `min_count` times; a formula quoted that often or seen
/// unquoted in `min_docs` documents; a series seen `min_count` times; a phrase with the right
/// words — at most `3 × max_phrases` phrases, the most frequent, and a fifth as many again of
/// those free only within their frames (see [`within_cap`]); and the set phrases (see
/// [`setphrase`]) among the phrase detector's finds whose only fault is too few words. Phrases
/// only the phrase detector found are checked most frequent first, and only until enough of
/// them pass.
fn prefilter(
    proposed: Proposed,
    eras: &setphrase::Eras,
    measures: &dyn Measures,
    segmenter: &Segmenter,
    rules: &NotSlogans,
    s: Settings,
) -> Vec<Candidate> {
    let Proposed { mut cands, phrases, families, .. } = proposed;
    cands.par_iter_mut().for_each(|c| {
        let discovered_only = !c.found_by.contains(&Kind::Quoted) && !c.found_by.contains(&Kind::Lexicon);
        (c.shape_ok, c.words_ok) = if discovered_only {
            let w = word_checks(&c.text, segmenter, rules);
            (w.shape_ok, w.words_ok)
        } else {
            (true, true)
        };
        if discovered_only && !c.shape_ok {
            c.shape_ok = c.template.as_deref().is_some_and(|t| series_head_ok(&c.text, t, segmenter, rules));
        }
    });
    let corpus = setphrase::CorpusEvidence { families: &families, eras };
    let mut lean_sets = mark_set_phrases(&mut cands, &phrases, corpus, measures, segmenter, rules, s);
    // phrase-only proposals, most frequent first (then most documents, then text); every one
    // of them beyond the first 3 × max_phrases that pass, and the share of those free only
    // within their frames kept beyond them, would be capped below
    let cap = 3 * s.max_phrases;
    let mut order: Vec<usize> = (0..phrases.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (fa, fb) = (&phrases[a].1, &phrases[b].1);
        fb.occurrences.cmp(&fa.occurrences).then(fb.docs.cmp(&fa.docs)).then(a.cmp(&b))
    });
    // proposals that stand freely only when frames count as separators are for the set-phrase
    // detector alone
    order.retain(|&i| phrases[i].1.free(MIN_ENTROPY));
    let passes = |i: usize| {
        let (text, freedom) = &phrases[i];
        let w = word_checks(text, segmenter, rules);
        // free only after a principle verb, a quantity is what is built (建设 | 一批…)
        let quantity = freedom.framed && setphrase::opens_with_quantity(text, segmenter);
        w.shape_ok && w.words_ok && !quantity
    };
    // the most frequent that pass, checked a chunk at a time until enough do
    const CHUNK: usize = 4096;
    let first_passing = |order: &[usize], cap: usize| {
        let mut passing: Vec<(usize, usize)> = Vec::new();
        for (c, chunk) in order.chunks(CHUNK).enumerate() {
            if passing.len() >= cap {
                break;
            }
            let ok: Vec<bool> = chunk.par_iter().map(|&i| passes(i)).collect();
            passing.extend(
                chunk.iter().zip(ok).enumerate().filter(|(_, (_, ok))| *ok).map(|(k, (&i, _))| (c * CHUNK + k, i)),
            );
        }
        passing.truncate(cap);
        passing
    };
    let mut passing = first_passing(&order, cap);
    if passing.len() == cap {
        let rest = passing.last().map_or(0, |&(at, _)| at + 1);
        let framed: Vec<usize> = order[rest..].iter().copied().filter(|&i| phrases[i].1.framed).collect();
        passing.extend(first_passing(&framed, framed_extra(cap)));
    }
    let mut passing: Vec<usize> = passing.into_iter().map(|(_, i)| i).collect();
    passing.sort_unstable();
    let mut keep = passing.into_iter().peekable();
    let lean: Vec<Candidate> = phrases
        .into_iter()
        .enumerate()
        .filter_map(|(i, (text, freedom))| {
            if keep.next_if_eq(&i).is_some() {
                Some(Candidate {
                    text,
                    found_by: [Kind::Phrase].into(),
                    shape_ok: true,
                    words_ok: true,
                    freedom: Some(freedom),
                    ..Default::default()
                })
            } else {
                lean_sets.remove(&i).map(|x| Candidate {
                    text,
                    found_by: [Kind::SetPhrase].into(),
                    shape_ok: true,
                    freedom: Some(freedom),
                    cohesion: Some(x.cohesion),
                    set_evidence: Some(x.evidence),
                    ..Default::default()
                })
            }
        })
        .collect();
    // both lists are sorted by text and share no text
    let mut merged = Vec::with_capacity(cands.len() + lean.len());
    let (mut a, mut b) = (cands.into_iter().peekable(), lean.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.text < y.text,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        merged.extend(if take_a { a.next() } else { b.next() });
    }
    let mut cands = merged;
    let hopeful = |c: &Candidate| {
        c.tracked
            || c.found_by.contains(&Kind::Lexicon)
            || c.quoted >= s.min_count
            || (c.found_by.contains(&Kind::Formula) && c.shaped_docs >= s.min_docs && c.shape_ok)
            || c.series_seen >= s.min_count
            || c.found_by.contains(&Kind::SetPhrase)
            || (c.found_by.contains(&Kind::Phrase) && c.shape_ok && c.words_ok)
    };
    cands.retain(hopeful);
    let only_phrase = |c: &Candidate| c.found_by.len() == 1 && c.found_by.contains(&Kind::Phrase);
    let mut phrases: Vec<(usize, u32, u32)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| only_phrase(c))
        .map(|(i, c)| (i, c.freedom.map_or(0, |f| f.occurrences), c.freedom.map_or(0, |f| f.docs)))
        .collect();
    phrases.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let order: Vec<usize> = phrases.iter().map(|p| p.0).collect();
    let framed = |i: usize| cands[i].freedom.is_some_and(|f| f.framed);
    let kept = within_cap(&order, framed, 3 * s.max_phrases);
    let dropped: BTreeSet<usize> = order.into_iter().filter(|i| !kept.contains(i)).collect();
    cands.into_iter().enumerate().filter(|(i, _)| !dropped.contains(i)).map(|(_, c)| c).collect()
}

/// How many phrases free only within their frames (used as principles: 坚持 |
/// 效率优先、兼顾公平, [`Freedom::framed`]) are kept beyond a cap of `max` phrases: a fifth as many.
fn framed_extra(max: usize) -> usize {
    max.div_ceil(5)
}

/// Of `order` (phrase-only candidates, best first), those kept under a cap of `max`: the first
/// `max`, and beyond them the first [`framed_extra`] of those `framed`.
fn within_cap(order: &[usize], framed: impl Fn(usize) -> bool, max: usize) -> BTreeSet<usize> {
    let mut kept: BTreeSet<usize> = order.iter().take(max).copied().collect();
    kept.extend(order.iter().skip(max).copied().filter(|&i| framed(i)).take(framed_extra(max)));
    kept
}

/// Measure every candidate that may need it: neighbour entropy and cohesion from the index.
fn measure(cands: &mut [Candidate], measures: &dyn Measures) {
    cands.par_iter_mut().for_each(|c| {
        let discovered = c.found_by.contains(&Kind::Phrase) || c.found_by.contains(&Kind::Formula);
        if discovered {
            if c.freedom.is_none() {
                c.freedom = measures.freedom_of(&c.text);
            }
            c.cohesion = measures.cohesion(&c.text);
        }
        if c.found_by.contains(&Kind::Phrase) && setphrase::PRINCIPLE_VERBS.iter().any(|v| c.text.starts_with(v)) {
            c.ever_listed = measures.ever_listed(&c.text);
        }
    });
}

/// Part-of-speech tags a slogan does not begin with: locatives (上, 中), particles (的, 了),
/// conjunctions, pronouns, interjections and onomatopoeia.
const BAD_FIRST_TAGS: &[&str] = &["f", "u", "uj", "ul", "uz", "ug", "uv", "ud", "c", "r", "y", "e", "o"];

/// … nor ends with: the above, measure words, prepositions, adverbs and personal names (中的一些,
/// 更加自觉地, a list of officials).
const BAD_LAST_TAGS: &[&str] =
    &["f", "u", "uj", "ul", "uz", "ug", "uv", "ud", "c", "r", "y", "e", "o", "q", "p", "d", "ad", "nr", "nrfg", "nrt"];

/// True when a discovered string looks like a slogan by its words (`words`: each with its
/// part-of-speech tag; see `not_slogans.tsv` and the tag lists above): no function word,
/// reporting verb or listed word at either end (a one-character locative such as 上 or 中 may
/// not begin it; 西部 may), nothing the `contains` rules match.
pub fn word_shape_ok(text: &str, words: &[(&str, &str)], rules: &NotSlogans) -> bool {
    let (Some(&(first, first_tag)), Some(&(last, last_tag))) = (words.first(), words.last()) else { return false };
    let bad_first = BAD_FIRST_TAGS.contains(&first_tag) && (first_tag != "f" || first.chars().count() == 1);
    // an adverb that wraps a slogan (积极推进) is an adjective before 的 (积极的财政政策)
    let adjective = first_tag.starts_with('a') && words.get(1).is_some_and(|(w, _)| *w == "的");
    (!rules.start.contains(first) || adjective)
        && !rules.end.contains(last)
        && !bad_first
        && !BAD_LAST_TAGS.contains(&last_tag)
        && !rules.contains.iter().any(|r| r.is_match(text))
}

/// True when a discovered phrase is more than a word or two: at least `min_words` words, or
/// two words and six characters (社会主义初级阶段), or a series with 、.
pub fn enough_words(text: &str, words: usize, rules: &NotSlogans) -> bool {
    words >= rules.min_words || (words >= 2 && text.chars().count() >= 6) || text.contains('、')
}

/// Keep at most `max` slogans that only the phrase detector vouches for: the most frequent, then
/// those in the most documents, then the most cohesive; and beyond them a fifth as many again
/// of those free only within their frames (used as principles, [`Freedom::framed`]: 坚持 |
/// 效率优先、兼顾公平), in the same order (see [`within_cap`]).
fn cap_phrases(
    kept: Vec<(usize, BTreeSet<Kind>)>,
    cands: &[Candidate],
    tot: &[(u64, u64)],
    max: usize,
) -> Vec<(usize, BTreeSet<Kind>)> {
    let only_phrase = |q: &BTreeSet<Kind>| q.len() == 1 && q.contains(&Kind::Phrase);
    let mut phrases: Vec<usize> = kept.iter().filter(|(_, q)| only_phrase(q)).map(|(i, _)| *i).collect();
    let cohesion = |i: usize| cands[i].cohesion.unwrap_or(0.0);
    phrases.sort_by(|&a, &b| {
        (tot[b].0, tot[b].1)
            .cmp(&(tot[a].0, tot[a].1))
            .then(cohesion(b).total_cmp(&cohesion(a)))
            .then(cands[a].text.cmp(&cands[b].text))
    });
    let capped = within_cap(&phrases, |i| cands[i].freedom.is_some_and(|f| f.framed), max);
    let dropped: BTreeSet<usize> = phrases.into_iter().filter(|i| !capped.contains(i)).collect();
    kept.into_iter().filter(|(i, _)| !dropped.contains(i)).collect()
}

/// Drop a kept candidate that never occurs outside a longer kept one (强党性、重实践 inside
/// 学思想、强党性、重实践、建新功): its count equals its occurrences in the longer one times the
/// longer one's count. Lexicon entries stay. When the shorter one has the stronger evidence (a
/// series inside a phrase that only adds a verb: 坚持边学习、边对照、边检视、边整改), or the
/// longer one is a phrase that only puts a principle verb before it (坚持 +
/// 节约资源和保护环境的基本国策) and is never listed, or only adds 的 and the kind of principle it
/// is (稳定压倒一切 + 的方针), the longer one goes instead.
fn drop_subsumed(
    kept: Vec<(usize, BTreeSet<Kind>)>,
    cands: &[Candidate],
    tot: &[(u64, u64)],
) -> Result<Vec<(usize, BTreeSet<Kind>)>> {
    let texts: Vec<&str> = kept.iter().map(|(i, _)| cands[*i].text.as_str()).collect();
    let kept_kinds: BTreeMap<usize, &BTreeSet<Kind>> = kept.iter().map(|(i, k)| (*i, k)).collect();
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&texts)
        .map_err(|e| crate::error::Error::Internal { stage: "slogans", message: format!("matcher: {e}") })?;
    let subsumed: BTreeSet<usize> = kept
        .par_iter()
        .flat_map_iter(|(b, _)| {
            let mut inside: BTreeMap<usize, u64> = BTreeMap::new();
            for m in ac.find_overlapping_iter(cands[*b].text.as_str()) {
                let a = kept[m.pattern().as_usize()].0;
                if a != *b {
                    *inside.entry(a).or_insert(0) += 1;
                }
            }
            let strongest = |i: usize| kept_kinds[&i].iter().next().copied().unwrap_or(Kind::Lexicon);
            inside
                .into_iter()
                .filter(|&(a, k)| tot[a].0 == k * tot[*b].0)
                .filter_map(|(a, _)| {
                    // a phrase that only puts a principle verb before the shorter one
                    // (坚持 + 节约资源和保护环境的基本国策) says no more than it, unless it is
                    // listed, as an item whose verb is its own (大兴务实之风、弘扬清廉之风)
                    let verb_added = cands[*b]
                        .text
                        .strip_suffix(cands[a].text.as_str())
                        .is_some_and(|v| setphrase::PRINCIPLE_VERBS.contains(&v))
                        && !cands[*b].ever_listed;
                    // nor one that only adds 的 and the kind of principle it is (稳定压倒一切 +
                    // 的方针)
                    let kind_added =
                        cands[*b].text.strip_prefix(cands[a].text.as_str()).is_some_and(setphrase::names_kind);
                    if (strongest(a) < strongest(*b) || verb_added || kind_added) && strongest(*b) == Kind::Phrase {
                        Some(*b)
                    } else {
                        (!cands[a].found_by.contains(&Kind::Lexicon)).then_some(a)
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(kept.into_iter().filter(|(i, _)| !subsumed.contains(i)).collect())
}

/// Drop a phrase that is only another kept slogan with one verb, adverb, preposition or numeral
/// before it (奉行 + 独立自主的和平外交政策, 第二批 + 主题教育), or the 好 of 抓好, 做好, 办好
/// cut from its verb (抓/好主题教育), or one verb, verbal noun or
/// locative after it (主题教育 + 工作): the slogan is already there. A noun after it makes a new
/// formulation and stays (科教兴国 + 战略).
fn drop_slogan_plus_word(
    kept: Vec<(usize, BTreeSet<Kind>)>,
    cands: &[Candidate],
    segmenter: &Segmenter,
) -> Vec<(usize, BTreeSet<Kind>)> {
    const BEFORE: &[&str] = &["v", "vd", "d", "ad", "p", "m", "r"];
    const AFTER: &[&str] = &["v", "vn", "vd", "d", "f", "m", "uj"];
    let texts: std::collections::HashSet<&str> = kept.iter().map(|(i, _)| cands[*i].text.as_str()).collect();
    // the complement of 抓好, 做好, 办好 cut from its verb
    const COMPLEMENT: &str = "好";
    // one more item of a series, as long as its neighbour, is no word added (和平、发展、合作 +
    // 、共赢; but 维护世界和平 + 、促进 is)
    let same_length = |a: &str, b: Option<&str>| b.is_some_and(|b| a.chars().count() == b.chars().count());
    let added_item = |head: &str, tail: &str| match (head.strip_suffix('、'), tail.strip_prefix('、')) {
        (Some(front), _) => same_length(front, tail.split('、').next()),
        (_, Some(back)) => same_length(back, head.rsplit('、').next()),
        _ => false,
    };
    let one_word = |s: &str, tags: &[&str]| {
        let t = segmenter.tags(s);
        !texts.contains(s) && t.len() == 1 && tags.contains(&t[0].1.as_str())
    };
    kept.into_par_iter()
        .filter(|(i, kinds)| {
            if kinds.iter().any(|k| *k != Kind::Phrase) {
                return true;
            }
            let t = cands[*i].text.as_str();
            !t.char_indices().skip(1).any(|(b, _)| {
                let (head, tail) = t.split_at(b);
                !added_item(head, tail)
                    && ((texts.contains(head) && one_word(tail, AFTER))
                        || (texts.contains(tail) && (head == COMPLEMENT || one_word(head, BEFORE))))
            })
        })
        .collect()
}

/// Totals of groups of patterns: (count, doc_count) of each of `groups` groups, where
/// `group_of` maps a pattern to its group (or leaves it out). A count is the sum of its patterns'
/// counts; a doc_count the documents holding any of them.
fn totals(occ: &Occurrences, groups: usize, group_of: impl Fn(u32) -> Option<u32>) -> Vec<(u64, u64)> {
    let mut out = vec![(0u64, 0u64); groups];
    let mut last = vec![u32::MAX; groups];
    for (d, counts) in occ.per_doc.iter().enumerate() {
        for &(p, c) in counts {
            if let Some(g) = group_of(p) {
                let g = g as usize;
                out[g].0 += c as u64;
                if last[g] != d as u32 {
                    last[g] = d as u32;
                    out[g].1 += 1;
                }
            }
        }
    }
    out
}

/// Keep only the occurrences of `kept` patterns (what trends, keyness and co-occurrence read),
/// so that the candidates nothing selected hold no memory through the later stages.
fn keep_only(occ: &mut Occurrences, kept: &[bool]) {
    let keep = |p: &u32| kept[*p as usize];
    occ.per_doc.par_iter_mut().zip(occ.sentences.par_iter_mut()).for_each(|(counts, sets)| {
        counts.retain(|(p, _)| keep(p));
        counts.shrink_to_fit();
        for set in sets.iter_mut() {
            set.retain(keep);
        }
        // a sentence left without patterns adds nothing: co-occurrence takes the number of
        // sentences from `sentence_total`
        sets.retain(|set| !set.is_empty());
        sets.shrink_to_fit();
    });
}

/// Which detectors' evidence holds for a candidate with these totals.
fn qualifying(c: &Candidate, count: u64, docs: u64, s: Settings) -> BTreeSet<Kind> {
    let (shape_ok, words_ok) = (c.shape_ok, c.words_ok);
    let quoted_enough = c.quoted >= s.min_count && c.quoted as f64 >= MIN_QUOTED_SHARE * count as f64;
    let free = c.freedom.is_some_and(|f| f.free(MIN_ENTROPY));
    c.found_by
        .iter()
        .copied()
        .filter(|k| match k {
            Kind::Lexicon => count >= 1 || c.tracked,
            Kind::Quoted => quoted_enough,
            Kind::Formula => {
                // unquoted, a formula must mostly stand as one (三产业 mostly follows 第) and a
                // formula on 一 must be paired (一带一路): 一项重要任务 is not a formula
                let unquoted_ok = || {
                    free && docs >= s.min_docs
                        && shape_ok
                        && 2 * c.shaped >= count
                        && formula::parse(&c.text).is_some_and(|f| f.number > 1 || f.paired())
                };
                count >= s.min_count && formula::parse(&c.text).is_some() && (quoted_enough || unquoted_ok())
            }
            Kind::Enumeration => count >= s.min_count && shape_ok,
            Kind::Phrase => {
                docs >= s.min_docs && free && shape_ok && words_ok && c.cohesion.is_some_and(|h| h >= MIN_COHESION)
            }
            Kind::SetPhrase => {
                docs >= s.min_docs && c.set_evidence.is_some() && c.cohesion.is_some_and(|h| h >= MIN_COHESION)
            }
        })
        .collect()
}

/// The clean corpus as slogan discovery sees it.
#[derive(Debug, Clone)]
pub struct Corpus<'a> {
    pub texts: &'a [&'a str],
    /// The segmentation of each text, handed over: discovery frees it as soon as the index and
    /// the per-document detectors have read it, before the phrase detector's peak.
    pub segs: Vec<crate::segment::Segmented>,
    /// The source file of each text: documents cut from one file share it.
    pub sources: &'a [u32],
    /// The year of each text's date, where it has one (for the set phrases' eras).
    pub years: &'a [Option<u32>],
}

/// What the index and the detectors know of each phrase to `explain`, with its occurrences and
/// documents counted as the slogans table counts them (any phrase, punctuation and all).
fn explain_proposed(
    explain: &[String],
    texts: &[&str],
    proposed: &Proposed,
    eras: &setphrase::Eras,
    index: &index::Index,
    segmenter: &Segmenter,
    rules: &NotSlogans,
) -> Result<Vec<explain::Explanation>> {
    if explain.is_empty() {
        return Ok(Vec::new());
    }
    let refs: Vec<&str> = explain.iter().map(String::as_str).collect();
    let tot = totals(&count(&refs, texts)?, refs.len(), Some);
    Ok(explain
        .iter()
        .zip(tot)
        .map(|(t, (occurrences, docs))| {
            let mut x = explain::Explanation { text: t.clone(), occurrences, docs, ..Default::default() };
            x.freedom = phrase::freedom_of(index, t);
            x.cohesion = phrase::cohesion(index, t);
            let w = word_checks(t, segmenter, rules);
            (x.shape_ok, x.words_ok, x.few_words) = (w.shape_ok, w.words_ok, w.few_words);
            x.family = !proposed.families.of(t).is_empty();
            if let Ok(i) = proposed.cands.binary_search_by(|c| c.text.as_str().cmp(t)) {
                x.proposed_by = proposed.cands[i].found_by.clone();
                x.quoted = proposed.cands[i].quoted;
            }
            if let Ok(i) = proposed.phrases.binary_search_by(|p| p.0.as_str().cmp(t)) {
                // a phrase not free on its own is proposed to the set-phrase detector only
                let free = proposed.phrases[i].1.free(MIN_ENTROPY);
                x.proposed_by.insert(if free { Kind::Phrase } else { Kind::SetPhrase });
            }
            x.set_usage = setphrase::usage_of(index, t, x.quoted, x.family, MIN_ENTROPY);
            let form = (segmenter.has_word(t) && setphrase::idiom(t, segmenter)) || setphrase::coined(t, segmenter);
            x.era = eras.bounded_in(index, t);
            let era = if x.era { setphrase::ERA } else { 0.0 };
            x.set_context = x.set_usage.map(|u| setphrase::context(u, x.occurrences as usize, x.quoted, form) + era);
            x.continues = continuation(index, t);
            x
        })
        .collect())
}

/// The longer string that every occurrence of `text` in the index continues into on the right,
/// when it recurs and all its occurrences go on the same way (up to [`index::DEPTH`] characters).
fn continuation(index: &index::Index, text: &str) -> Option<String> {
    let positions: Vec<usize> = index.range(text).map(|r| index.position(r)).collect();
    let (&first, len) = (positions.first()?, text.chars().count());
    if positions.len() < 2 {
        return None;
    }
    // an item always followed by 、 is judged as an item only ever listed
    if index.right_char(first, len) == Some('、') {
        return None;
    }
    let mut more = 0;
    while len + more < index::DEPTH {
        let next = index.right_char(first, len + more);
        if next.is_none() || positions.iter().any(|&p| index.right_char(p, len + more) != next) {
            break;
        }
        more += 1;
    }
    (more > 0).then(|| index.string_at(first, len + more))
}

/// Discover, count, select, group and rank the slogans of a corpus; and say why each phrase of
/// `explain` is or is not one.
pub fn discover(
    corpus: Corpus,
    res: &Resources,
    segmenter: &Segmenter,
    settings: Settings,
    folded_seen: &BTreeSet<String>,
    track: &[String],
    explain: &[String],
) -> Result<Slogans> {
    let texts = corpus.texts;
    let (proposed, index) = detect(texts, corpus.segs, corpus.sources, &res.slogans, settings);
    let eras = setphrase::Eras::new(corpus.years);
    let explained = explain_proposed(explain, texts, &proposed, &eras, &index, segmenter, &res.not_slogans)?;
    let ask = Asked { texts, res, segmenter, settings, folded_seen, track };
    decide(proposed, index, &eras, explained, ask)
}

/// [`discover`]'s slogans from what the shards' documents propose (`documents`, each
/// [`propose_in_documents`] of a shard), the whole corpus's phrases (found range by range) and
/// the finished measures of every string the decisions ask about, both given by `sums`, without
/// an index of the whole corpus (see [`union`]). Stops with
/// [`crate::error::Error::Unmeasured`], naming the strings the decisions asked about that the
/// finished measures lack.
pub fn discover_from_sums(
    documents: Vec<Proposed>,
    sums: impl FnOnce() -> Result<(Vec<(String, Freedom)>, stats::FinishedSums)>,
    ask: Asked,
) -> Result<Slogans> {
    let (phrases, finished) = sums()?;
    let proposed = union::join_with_phrases(documents, phrases);
    let finished = &finished;
    let asking = stats::Asking::new(finished);
    let found = decide(proposed, &asking, &finished.eras, Vec::new(), ask)?;
    let missing = asking.missing();
    if !missing.is_empty() {
        return Err(crate::error::Error::Unmeasured { missing });
    }
    Ok(found)
}

/// What the decisions after proposal read beyond the measures: the clean text (to count the
/// candidates), the data files, the segmenter, the thresholds, the folded spellings seen and
/// the tracked phrases.
pub struct Asked<'a> {
    pub texts: &'a [&'a str],
    pub res: &'a Resources,
    pub segmenter: &'a Segmenter,
    pub settings: Settings,
    pub folded_seen: &'a BTreeSet<String>,
    pub track: &'a [String],
}

/// The candidates the decisions count: the `proposed` with the tracked phrases added, through
/// the prefilter, with the measures they read. Every question [`decide`] asks `measures` is
/// asked here, before it counts: the round of slogans in two passes that only learns which
/// strings the measures lack (see [`stats::Asking`]) calls this alone.
pub fn measured_candidates(
    mut proposed: Proposed,
    measures: &dyn Measures,
    eras: &setphrase::Eras,
    segmenter: &Segmenter,
    res: &Resources,
    settings: Settings,
    track: &[String],
) -> Vec<Candidate> {
    // tracked phrases are followed whether or not anything found them
    for t in track.iter().filter(|t| !t.is_empty()) {
        let cands = &mut proposed.cands;
        match cands.binary_search_by(|c| c.text.as_str().cmp(t)) {
            Ok(i) => cands[i].tracked = true,
            Err(i) => {
                let c = match proposed.phrases.binary_search_by(|p| p.0.as_str().cmp(t)) {
                    Ok(p) => {
                        let (text, freedom) = proposed.phrases.remove(p);
                        Candidate {
                            text,
                            found_by: [Kind::Phrase].into(),
                            freedom: Some(freedom),
                            ..Default::default()
                        }
                    }
                    Err(_) => Candidate { text: t.clone(), found_by: [Kind::Lexicon].into(), ..Default::default() },
                };
                cands.insert(i, Candidate { tracked: true, ..c });
            }
        }
    }
    let mut cands = prefilter(proposed, eras, measures, segmenter, &res.not_slogans, settings);
    measure(&mut cands, measures);
    cands
}

/// Select, count, group and rank the slogans of the `proposed` candidates, asking `measures`
/// (freed once read) what the corpus says of each; `explained` follows each decision.
pub fn decide(
    proposed: Proposed,
    measures: impl Measures,
    eras: &setphrase::Eras,
    mut explained: Vec<explain::Explanation>,
    ask: Asked,
) -> Result<Slogans> {
    let Asked { texts, res, segmenter, settings, folded_seen, track } = ask;
    let cands = measured_candidates(proposed, &measures, eras, segmenter, res, settings, track);
    // the candidates asked about, by their place in `cands`
    let asked: Vec<Option<usize>> =
        explained.iter().map(|x| cands.binary_search_by(|c| c.text.as_str().cmp(&x.text)).ok()).collect();
    for (x, i) in explained.iter_mut().zip(&asked) {
        match i {
            Some(i) => {
                x.proposed_by.extend(cands[*i].found_by.iter().copied());
                x.set_evidence = cands[*i].set_evidence;
            }
            None if !x.proposed_by.is_empty() => x.fate = explain::Fate::Prefiltered,
            None => {}
        }
    }
    drop(measures);

    let patterns: Vec<String> = cands.iter().map(|c| c.text.clone()).collect();
    let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let mut occ = count(&refs, texts)?;
    let tot = totals(&occ, cands.len(), Some);

    // keep what some detector vouches for
    let kept: Vec<(usize, BTreeSet<Kind>)> = cands
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let q = qualifying(c, tot[i].0, tot[i].1, settings);
            (!q.is_empty()).then_some((i, q))
        })
        .collect();

    // each step's survivors: what an explanation reports as the step that dropped a phrase
    let survives = |kept: &[(usize, BTreeSet<Kind>)], i: usize| kept.iter().any(|k| k.0 == i);
    for (x, i) in explained.iter_mut().zip(&asked) {
        if let Some(i) = *i {
            x.qualifying = kept.iter().find(|k| k.0 == i).map(|k| k.1.clone()).unwrap_or_default();
            if x.qualifying.is_empty() {
                x.fate = explain::Fate::NotQualified;
            }
        }
    }
    let mut dropped_by = |kept: &[(usize, BTreeSet<Kind>)], before: &[bool], fate: explain::Fate| -> Vec<bool> {
        let now: Vec<bool> = asked.iter().map(|i| i.is_some_and(|i| survives(kept, i))).collect();
        for ((x, was), is) in explained.iter_mut().zip(before).zip(&now) {
            if *was && !*is {
                x.fate = fate.clone();
            }
        }
        now
    };
    let qualified: Vec<bool> = asked.iter().map(|i| i.is_some_and(|i| survives(&kept, i))).collect();
    let kept = cap_phrases(kept, &cands, &tot, settings.max_phrases);
    let after_cap = dropped_by(&kept, &qualified, explain::Fate::PhraseCap);
    let kept = drop_subsumed(kept, &cands, &tot)?;
    let after_subsumed = dropped_by(&kept, &after_cap, explain::Fate::Subsumed);
    let kept = drop_slogan_plus_word(kept, &cands, segmenter);
    dropped_by(&kept, &after_subsumed, explain::Fate::SloganPlusWord);

    // group variant spellings; the most frequent spelling names the group
    let mut groups: BTreeMap<String, Vec<(usize, BTreeSet<Kind>)>> = BTreeMap::new();
    for (i, q) in kept {
        groups.entry(variants::key(&cands[i].text)).or_default().push((i, q));
    }
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(groups.len());
    let mut row_meta = Vec::with_capacity(groups.len());
    for (_, mut members) in groups {
        members.sort_by(|a, b| tot[b.0].0.cmp(&tot[a.0].0).then(cands[a.0].text.cmp(&cands[b.0].text)));
        let kinds: BTreeSet<Kind> = members.iter().flat_map(|m| m.1.iter().copied()).collect();
        rows.push(members.iter().map(|m| m.0 as u32).collect());
        row_meta.push((members, kinds));
    }

    // per-row totals: count = sum over spellings, doc_count = documents with any
    let mut row_of = vec![u32::MAX; cands.len()];
    for (r, ps) in rows.iter().enumerate() {
        for &p in ps {
            row_of[p as usize] = r as u32;
        }
    }
    let row_tot = totals(&occ, rows.len(), |p| Some(row_of[p as usize]).filter(|&r| r != u32::MAX));
    let kept: Vec<bool> = row_of.iter().map(|&r| r != u32::MAX).collect();
    keep_only(&mut occ, &kept);

    let formula_items: Vec<(String, Vec<String>, u64)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.template.is_some())
        .map(|(i, c)| (c.text.clone(), c.series_items.clone(), tot[i].0))
        .collect();

    let mut list: Vec<Slogan> = Vec::with_capacity(rows.len());
    for (r, (members, kinds)) in row_meta.iter().enumerate() {
        let main = &cands[members[0].0];
        let kind = *kinds.iter().next().unwrap_or(&Kind::Lexicon);
        let (count, docs) = row_tot[r];
        let quoted: u64 = members.iter().map(|m| cands[m.0].quoted).sum();
        let chars = main.text.chars().count() as u64;
        let weight = match kind {
            Kind::Quoted => 0.5 + 0.5 * (quoted as f64 / count.max(1) as f64).min(1.0),
            Kind::Phrase => 0.3 + 0.02 * main.cohesion.unwrap_or(0.0).clamp(0.0, 10.0),
            Kind::SetPhrase => 0.3 + 0.1 * main.set_evidence.unwrap_or(0.0).clamp(0.0, 2.0),
            k => k.weight(),
        };
        let score = weight * (1.0 + docs as f64).log2() * (1.0 + chars as f64).log2();
        let mut variants: Vec<String> = members[1..].iter().map(|m| cands[m.0].text.clone()).collect();
        variants.extend(variants::folded_spellings(&main.text, &res.variants, folded_seen));
        let breakdown: Vec<String> = members.iter().map(|m| format!("{}:{}", cands[m.0].text, tot[m.0].0)).collect();
        let template = members.iter().find_map(|m| cands[m.0].template.clone());
        let items = formula::parse(&main.text)
            .and_then(|f| formula::items(&f, &formula_items).map(str::to_string))
            .or_else(|| template.as_ref().map(|_| main.series_items.join("|")));
        let f = main.freedom;
        list.push(Slogan {
            text: main.text.clone(),
            kind,
            found_by: kinds.clone(),
            count,
            doc_count: docs,
            quoted,
            score: round4(score),
            variants,
            variant_counts: if members.len() > 1 { breakdown.join("|") } else { String::new() },
            template,
            items,
            chars: chars as u32,
            left_entropy: f.map(|f| round4(f.left_entropy)),
            right_entropy: f.map(|f| round4(f.right_entropy)),
            cohesion: main.cohesion.map(round4),
            in_lexicon: members.iter().any(|m| cands[m.0].found_by.contains(&Kind::Lexicon) && !cands[m.0].tracked),
            tracked: members.iter().any(|m| cands[m.0].tracked),
            patterns: rows[r].clone(),
            first_seen: None,
            last_seen: None,
        });
    }
    // rank: score, then count, then text (stable)
    list.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.count.cmp(&a.count)).then(a.text.cmp(&b.text)));
    for (x, i) in explained.iter_mut().zip(&asked) {
        let row = i.and_then(|i| list.iter().position(|s| s.patterns.contains(&(i as u32))));
        if let Some(r) = row {
            x.fate = explain::Fate::Reported { rank: r + 1, row: list[r].text.clone() };
        }
    }
    Ok(Slogans { list, explained, patterns, occurrences: occ })
}

/// One reported slogan: a row of the `slogans` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Slogan {
    /// Its most frequent spelling.
    pub text: String,
    /// The strongest detector whose evidence holds.
    pub kind: Kind,
    /// Every detector whose evidence holds.
    pub found_by: BTreeSet<Kind>,
    /// Occurrences of all its spellings, and documents with any.
    pub count: u64,
    pub doc_count: u64,
    /// Times written inside quotes.
    pub quoted: u64,
    /// See the module documentation (rounded to 4 places).
    pub score: f64,
    /// Other spellings counted with it: kept candidates of the same group, then spellings the
    /// variant rules folded into it.
    pub variants: Vec<String>,
    /// `spelling:count|…` when several spellings were counted, else empty.
    pub variant_counts: String,
    /// For a series: its template (以学X).
    pub template: Option<String>,
    /// For a formula or series: its items.
    pub items: Option<String>,
    pub chars: u32,
    pub left_entropy: Option<f64>,
    pub right_entropy: Option<f64>,
    pub cohesion: Option<f64>,
    /// A spelling is in the lexicon (and not only tracked).
    pub in_lexicon: bool,
    /// Asked for with `--track`.
    pub tracked: bool,
    /// The patterns (indexes into [`Slogans::patterns`]) whose counts it sums.
    pub patterns: Vec<u32>,
    /// The first and last period it occurs in, where documents have dates (set by the trends stage).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

impl Slogan {
    /// A slogan with only its text, kind and counts known (the other fields empty).
    pub fn new(text: &str, kind: Kind, count: u64, doc_count: u64) -> Self {
        Slogan {
            text: text.to_string(),
            kind,
            found_by: [kind].into(),
            count,
            doc_count,
            quoted: 0,
            score: 0.0,
            variants: Vec::new(),
            variant_counts: String::new(),
            template: None,
            items: None,
            chars: text.chars().count() as u32,
            left_entropy: None,
            right_entropy: None,
            cohesion: None,
            in_lexicon: false,
            tracked: false,
            patterns: Vec::new(),
            first_seen: None,
            last_seen: None,
        }
    }

    /// Its text, then its other spellings.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.variants.iter().map(String::as_str))
    }
}

impl Slogans {
    /// Among the `pool` best-ranked slogans, the `top` found in the most documents (ties: more
    /// occurrences, then text order), as indexes into `list`. Charts and co-occurrence pick
    /// their slogans with this.
    pub fn widest(&self, pool: usize, top: usize) -> Vec<usize> {
        let l = &self.list;
        let mut order: Vec<usize> = (0..l.len().min(pool)).collect();
        order.sort_by(|&a, &b| {
            l[b].doc_count.cmp(&l[a].doc_count).then(l[b].count.cmp(&l[a].count)).then(l[a].text.cmp(&l[b].text))
        });
        order.truncate(top);
        order
    }

    /// The `slogans` table: one row per slogan, in rank order.
    pub fn table(&self) -> Result<DataFrame> {
        let l = &self.list;
        DataFrame::new(
            l.len(),
            vec![
                Column::new("slogan".into(), l.iter().map(|s| s.text.as_str()).collect::<Vec<_>>()),
                Column::new("kind".into(), l.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>()),
                Column::new(
                    "found_by".into(),
                    l.iter()
                        .map(|s| s.found_by.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("|"))
                        .collect::<Vec<_>>(),
                ),
                Column::new("count".into(), l.iter().map(|s| s.count).collect::<Vec<_>>()),
                Column::new("doc_count".into(), l.iter().map(|s| s.doc_count).collect::<Vec<_>>()),
                Column::new("quoted".into(), l.iter().map(|s| s.quoted).collect::<Vec<_>>()),
                Column::new("score".into(), l.iter().map(|s| s.score).collect::<Vec<_>>()),
                Column::new("variants".into(), l.iter().map(|s| s.variants.join("|")).collect::<Vec<_>>()),
                Column::new("variant_counts".into(), l.iter().map(|s| s.variant_counts.as_str()).collect::<Vec<_>>()),
                Column::new("template".into(), l.iter().map(|s| s.template.as_deref()).collect::<Vec<_>>()),
                Column::new("items".into(), l.iter().map(|s| s.items.as_deref()).collect::<Vec<_>>()),
                Column::new("chars".into(), l.iter().map(|s| s.chars).collect::<Vec<_>>()),
                Column::new("left_entropy".into(), l.iter().map(|s| s.left_entropy).collect::<Vec<_>>()),
                Column::new("right_entropy".into(), l.iter().map(|s| s.right_entropy).collect::<Vec<_>>()),
                Column::new("cohesion".into(), l.iter().map(|s| s.cohesion).collect::<Vec<_>>()),
                Column::new("in_lexicon".into(), l.iter().map(|s| s.in_lexicon).collect::<Vec<_>>()),
                Column::new("tracked".into(), l.iter().map(|s| s.tracked).collect::<Vec<_>>()),
                Column::new("first_seen".into(), l.iter().map(|s| s.first_seen.as_deref()).collect::<Vec<_>>()),
                Column::new("last_seen".into(), l.iter().map(|s| s.last_seen.as_deref()).collect::<Vec<_>>()),
            ],
        )
        .table("slogans")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{strs, u64s};

    fn run(texts: &[&str], lexicon: &[&str]) -> Slogans {
        let mut res = Resources::builtin().unwrap();
        res.slogans = lexicon.iter().map(|s| s.to_string()).collect();
        let seg = Segmenter::new(&res);
        let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
        let corpus = Corpus { texts, segs, sources: &[], years: &[] };
        discover(corpus, &res, &seg, Settings::default(), &BTreeSet::new(), &[], &[]).unwrap()
    }

    fn row(s: &Slogans, slogan: &str) -> Option<(String, u64, u64, String)> {
        let x = s.list.iter().find(|x| x.text == slogan)?;
        Some((x.kind.as_str().to_string(), x.count, x.doc_count, x.variants.join("|")))
    }

    #[test]
    fn every_detector_feeds_the_table() {
        let texts = [
            "总要求是“学思想、强党性、重实践、建新功”，根本任务是以学铸魂、以学增智、以学正风、以学促干。增强“四个意识”，坚持十四条坚持。",
            "坚持学思想、强党性、重实践、建新功，做到以学铸魂、以学增智、以学正风、以学促干，增强“四个意识”，坚持十四个坚持。",
            "学思想、强党性、重实践、建新功是总要求。政治意识、大局意识、核心意识、看齐意识。",
            "要把握政治意识、大局意识、核心意识、看齐意识，",
        ];
        let s = run(&texts, &[]);
        let (kind, count, docs, _) = row(&s, "以学铸魂、以学增智、以学正风、以学促干").expect("series");
        assert_eq!((kind.as_str(), count, docs), ("enumeration", 2, 2));
        let (kind, count, docs, _) = row(&s, "学思想、强党性、重实践、建新功").expect("phrase");
        assert_eq!((kind.as_str(), count, docs), ("phrase", 3, 3));
        let (kind, count, _, _) = row(&s, "四个意识").expect("formula");
        assert_eq!((kind.as_str(), count), ("formula", 2));
        // the items of 四个意识 are linked
        let x = s.list.iter().find(|x| x.text == "四个意识").unwrap();
        assert_eq!(x.items.as_deref(), Some("政治意识、大局意识、核心意识、看齐意识"));
        // the table holds the list, row for row
        let t = s.table().unwrap();
        assert_eq!(t.height(), s.list.len());
        let names = strs(&t, "slogan", "t").unwrap();
        let counts = u64s(&t, "count", "t").unwrap();
        for (i, x) in s.list.iter().enumerate() {
            assert_eq!((names[i], counts[i]), (x.text.as_str(), x.count));
        }
    }

    #[test]
    fn variant_spellings_share_one_row_and_sum_counts() {
        let texts = ["坚持“十四条坚持”，“十四条坚持”。", "坚持“十四个坚持”，“十四个坚持”，“十四个坚持”。"];
        let s = run(&texts, &[]);
        let (kind, count, docs, variants) = row(&s, "十四个坚持").expect("canonical is the most frequent");
        assert_eq!((kind.as_str(), count, docs, variants.as_str()), ("formula", 5, 2, "十四条坚持"));
        assert!(row(&s, "十四条坚持").is_none());
    }

    #[test]
    fn a_set_phrase_born_within_a_dated_corpus_needs_less_context() {
        // twenty yearly documents; 依法行政 in every one from the eleventh on, after 坚持 in
        // two of ten (context 0.2, short of 0.3 without its era)
        let mut texts: Vec<String> = (0..10).map(|i| format!("第{i}年，人民群众的生活有所改善。")).collect();
        texts.extend(
            [
                "坚持依法行政，建设法治。",
                "推进依法行政。",
                "各级政府要依法行政，严格执法。",
                "全面推进依法行政工作。",
                "坚持依法行政。",
                "把依法行政落到实处。",
                "加强依法行政能力。",
                "依法行政是基本要求。",
                "必须依法行政，接受监督。",
                "切实做到依法行政！",
            ]
            .map(String::from),
        );
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let res = Resources::builtin().unwrap();
        let seg = Segmenter::new(&res);
        let discover_with = |years: &[Option<u32>]| {
            let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
            let corpus = Corpus { texts: &texts, segs, sources: &[], years };
            let explain = ["依法行政".to_string()];
            discover(corpus, &res, &seg, Settings::default(), &BTreeSet::new(), &[], &explain).unwrap()
        };
        let years: Vec<Option<u32>> = (0..20).map(|y| Some(2000 + y)).collect();
        let dated = discover_with(&years);
        let (kind, count, docs, _) = row(&dated, "依法行政").expect("a set phrase by its era");
        assert_eq!((kind.as_str(), count, docs), ("set_phrase", 10, 10));
        assert!(dated.explained[0].era);
        // the same texts undated, or with the phrase in the first half of the years only as
        // often as in the second (used throughout): no era, too little context
        let undated = discover_with(&[]);
        assert!(row(&undated, "依法行政").is_none() && !undated.explained[0].era);
        let shuffled: Vec<Option<u32>> = (0..20).map(|d| Some(2000 + (d % 10) * 2 + d / 10)).collect();
        assert!(row(&discover_with(&shuffled), "依法行政").is_none());
    }

    #[test]
    fn set_phrases_are_told_from_ordinary_words_by_their_use() {
        // 独立自主 follows 坚持/奉行 and stands in series; 人民群众 is just as frequent, used
        // as an ordinary noun
        let texts = [
            "我们坚持独立自主、自力更生，关心人民群众的生活。",
            "中国奉行独立自主的和平外交政策，人民群众拥护。",
            "必须坚持独立自主。人民群众是历史的创造者。",
            "依靠人民群众，坚持独立自主、自力更生。",
        ];
        let s = run(&texts, &[]);
        let (kind, count, docs, _) = row(&s, "独立自主").expect("set phrase");
        let exact: usize = texts.iter().map(|t| t.matches("独立自主").count()).sum();
        assert_eq!((kind.as_str(), count, docs), ("set_phrase", exact as u64, 4));
        assert!(row(&s, "人民群众").is_none());
        let x = s.list.iter().find(|x| x.text == "独立自主").unwrap();
        assert!(x.found_by.contains(&Kind::SetPhrase));
        // a set phrase with a verb before it adds nothing: 坚持独立自主 is not a row of its own
        assert!(row(&s, "坚持独立自主").is_none());
    }

    #[test]
    fn lexicon_entries_and_word_shapes() {
        let s = run(&["主题教育。"], &["主题教育", "不存在"]);
        assert_eq!(row(&s, "主题教育").unwrap().0, "lexicon");
        assert!(row(&s, "不存在").is_none());
        let rules = Resources::builtin().unwrap().not_slogans;
        let seg = Segmenter::new(&Resources::builtin().unwrap());
        let ok = |s: &str| {
            let tags = seg.tags(s);
            let words: Vec<(&str, &str)> = tags.iter().map(|(w, t)| (*w, t.as_str())).collect();
            word_shape_ok(s, &words, &rules) && enough_words(s, words.len(), &rules)
        };
        for good in [
            "坚持和发展中国特色社会主义",
            "攻无不克、战无不胜",
            "防范化解风险",
            "独立自主的和平外交政策",
            "积极的财政政策",
        ] {
            assert!(ok(good), "{good}: {:?}", seg.tags(good));
        }
        for bad in [
            "的重要",
            "习近平强调",
            "理论学习",
            "上的错误",
            "有了重大",
            "中的一些",
            "我代表国务院",
            "更加自觉地",
            "积极推进改革开放",
        ] {
            assert!(!ok(bad), "{bad}: {:?}", seg.tags(bad));
        }
    }

    #[test]
    fn a_family_of_parallel_formulations_vouches_for_its_members() {
        // X强国 is listed with three items; 人才强国 and 教育强国 are set phrases on their own
        // (before 战略), so 制造强国, used only as a plain noun, is one too
        let listed = "建设教育强国、科技强国、人才强国";
        let texts = [
            "实施人才强国战略。加快LIST。",
            "实施人才强国战略，LIST。制造强国建设稳步推进。",
            "坚持教育强国战略。制造强国迈出新步伐。",
            "实施教育强国战略，推进制造强国。",
        ];
        // ordinary text around them, as in any report
        let filler = "今年经济运行总体平稳，就业形势保持稳定，居民收入持续增加，生态环境明显改善。";
        let with_list: Vec<String> = texts.iter().map(|t| t.replace("LIST", listed) + filler).collect();
        let refs: Vec<&str> = with_list.iter().map(String::as_str).collect();
        let s = run(&refs, &[]);
        let (kind, count, docs, _) = row(&s, "制造强国").expect("member of X强国");
        let exact: usize = refs.iter().map(|t| t.matches("制造强国").count()).sum();
        assert_eq!((kind.as_str(), count, docs), ("set_phrase", exact as u64, 3));
        // items only ever listed are what a family vouches for, not members that thin it out
        let more = "推进交通强国、航天强国、网络强国、海洋强国、体育强国建设。";
        let with_more: Vec<String> =
            with_list.iter().enumerate().map(|(i, t)| if i < 2 { format!("{t}{more}") } else { t.clone() }).collect();
        let refs: Vec<&str> = with_more.iter().map(String::as_str).collect();
        let s = run(&refs, &[]);
        assert_eq!(row(&s, "制造强国").map(|r| r.0), Some("set_phrase".to_string()));
        // without the list there is no family, and 制造强国 has no evidence of its own
        let without: Vec<String> = texts.iter().map(|t| t.replace("LIST", "建设教育强国") + filler).collect();
        let refs: Vec<&str> = without.iter().map(String::as_str).collect();
        let s = run(&refs, &[]);
        assert!(row(&s, "教育强国").is_some());
        assert!(row(&s, "制造强国").is_none());
    }

    #[test]
    fn an_item_only_ever_listed_after_a_principle_verb_needs_no_family() {
        // 艰苦朴素 and 澳大利亚 are always followed by 、; only 艰苦朴素 stands after 坚持
        let texts = [
            "坚持艰苦朴素、勤俭节约的作风。访问澳大利亚、新西兰。",
            "坚持艰苦朴素、廉洁奉公。出访澳大利亚、日本。",
            "要坚持艰苦朴素、自力更生。会见澳大利亚、法国客人。",
        ];
        let filler = "今年经济运行总体平稳，就业形势保持稳定，居民收入持续增加，生态环境明显改善。";
        let texts: Vec<String> = texts.iter().map(|t| format!("{t}{filler}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let s = run(&refs, &[]);
        let (kind, count, docs, _) = row(&s, "艰苦朴素").expect("listed after a principle verb");
        assert_eq!((kind.as_str(), count, docs), ("set_phrase", 3, 3));
        // a list is all 澳大利亚 has to show
        assert!(row(&s, "澳大利亚").is_none());
    }

    #[test]
    fn a_goal_built_is_a_set_phrase_and_a_quantity_built_is_not() {
        // 建设 takes a named goal (建设美丽中国) as its object, and a quantity of projects
        let texts = [
            "要建设美丽中国，建设一批重点项目。",
            "努力建设美丽中国。建设一批重点项目，",
            "建设美丽中国是目标。要建设一批重点项目。",
        ];
        let filler = "今年经济运行总体平稳，就业形势保持稳定，居民收入持续增加，生态环境明显改善。";
        let texts: Vec<String> = texts.iter().map(|t| format!("{t}{filler}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let s = run(&refs, &[]);
        let (kind, count, docs, _) = row(&s, "美丽中国").expect("a goal after 建设");
        assert_eq!((kind.as_str(), count, docs), ("set_phrase", 3, 3));
        assert!(
            s.list.iter().all(|x| !x.text.starts_with("一批")),
            "{:?}",
            s.list.iter().map(|x| &x.text).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_phrase_that_always_goes_on_into_the_principle_it_names_is_judged() {
        // 稳定压倒一切 is always followed by 的方针 (no interval of its own), 全面贯彻党 by
        // 的基本路线: the first names a principle, the second says whose it is
        let texts = [
            "我们坚持稳定压倒一切的方针，全面贯彻党的基本路线。",
            "必须贯彻稳定压倒一切的方针。全面贯彻党的基本路线不动摇。",
            "要实行稳定压倒一切的方针，继续全面贯彻党的基本路线，",
        ];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "稳定压倒一切").expect("a phrase that names a principle");
        assert_eq!((count, docs), (3, 3));
        assert!(row(&s, "全面贯彻党").is_none());
    }

    #[test]
    fn a_phrase_that_goes_on_into_its_principle_in_different_words_is_judged() {
        // 创新、协调、绿色、开放、共享 always goes on into 的 and then into 发展理念 or
        // 新发展理念, after 贯彻落实, 坚持 or 树立
        let texts = [
            "必须贯彻落实创新、协调、绿色、开放、共享的发展理念。",
            "我们坚持创新、协调、绿色、开放、共享的新发展理念，推动发展。",
            "牢固树立创新、协调、绿色、开放、共享的发展理念！",
        ];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "创新、协调、绿色、开放、共享").expect("a principle named with 的");
        assert_eq!((count, docs), (3, 3));
    }

    #[test]
    fn a_set_phrase_before_the_tone_it_sets_is_framed() {
        // 稳中求进 mostly stands before 工作总基调, a frame noun with the work it sets the tone of
        let texts = [
            "坚持稳中求进工作总基调。",
            "我们坚持稳中求进工作总基调，推动发展。",
            "贯彻稳中求进工作总基调！",
            "坚持稳中求进工作总基调；稳中求进，开拓创新。",
        ];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "稳中求进").expect("a set phrase");
        assert_eq!((count, docs), (5, 4));
    }

    #[test]
    fn one_more_item_of_a_series_is_no_word_added() {
        // 和平、发展、合作、共赢 adds an item as long as the others, not a word, to 和平、发展、合作
        let texts = [
            "我们高举和平、发展、合作、共赢的旗帜，推动发展。",
            "坚持和平、发展、合作、共赢。世界要和平、发展、合作，",
            "和平、发展、合作、共赢是潮流。人民向往和平、发展、合作。",
            "各国追求和平、发展、合作！",
        ];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "和平、发展、合作、共赢").expect("a longer series");
        assert_eq!((count, docs), (3, 3));
        let (_, count, _, _) = row(&s, "和平、发展、合作").expect("the shorter one");
        assert_eq!(count, 6);
    }

    #[test]
    fn a_principle_verb_before_a_phrase_is_not_kept_with_it() {
        // 节约资源和保护环境的基本国策 only ever stands after 坚持 or 贯彻: the phrase is the
        // formulation, not 坚持 and it; an item of a series keeps its own verb
        let texts = [
            "坚持节约资源和保护环境的基本国策，大兴务实之风、弘扬清廉之风、养成俭朴之风。",
            "我们要坚持节约资源和保护环境的基本国策。弘扬清廉之风，纠治歪风。",
            "贯彻节约资源和保护环境的基本国策，推动发展。",
        ];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "节约资源和保护环境的基本国策").expect("the formulation");
        assert_eq!((count, docs), (3, 3));
        assert!(row(&s, "坚持节约资源和保护环境的基本国策").is_none());
        let (_, count, docs, _) = row(&s, "弘扬清廉之风").expect("an item with its own verb");
        assert_eq!((count, docs), (2, 2));
    }

    #[test]
    fn phrases_used_as_principles_are_kept_beyond_the_cap() {
        // with room for one phrase, the most frequent is kept, and beyond it one that stands
        // after principle verbs (效率优先、兼顾公平), but not one free by its neighbours alone
        let texts = [
            "坚持效率优先、兼顾公平。今年经济运行总体平稳，就业稳定。居民收入持续增加。",
            "实行效率优先、兼顾公平。经济运行总体平稳。我们居民收入持续增加，",
            "我们经济运行总体平稳，物价稳定。坚持效率优先、兼顾公平。",
            "去年经济运行总体平稳。去年居民收入持续增加。",
        ];
        let mut res = Resources::builtin().unwrap();
        res.slogans = Vec::new();
        let seg = Segmenter::new(&res);
        let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
        let corpus = Corpus { texts: &texts, segs, sources: &[], years: &[] };
        let settings = Settings { max_phrases: 1, ..Settings::default() };
        let s = discover(corpus, &res, &seg, settings, &BTreeSet::new(), &[], &[]).unwrap();
        let kept: Vec<&str> = s.list.iter().filter(|x| x.kind == Kind::Phrase).map(|x| x.text.as_str()).collect();
        assert_eq!(kept, ["经济运行总体平稳", "效率优先、兼顾公平"], "{kept:?}");
        // without the cap all three are phrases
        let s = run(&texts, &[]);
        let (_, count, _, _) = row(&s, "居民收入持续增加").expect("free by its neighbours");
        assert_eq!(count, 3);
    }

    #[test]
    fn a_phrase_after_a_principle_verb_stands_free_within_its_frame() {
        // 科教兴国战略 always follows 实施 or 坚持: by its neighbours alone it is not free
        let texts =
            ["我们要实施科教兴国战略，推动发展。", "继续坚持科教兴国战略。", "大力实施科教兴国战略和人才强国战略。"];
        let s = run(&texts, &[]);
        let (_, count, docs, _) = row(&s, "科教兴国战略").expect("framed phrase");
        assert_eq!((count, docs), (3, 3));
        // the verb and the formulation are not a row of their own
        assert!(row(&s, "实施科教兴国战略").is_none());
    }

    #[test]
    fn word_rules_see_inside_added_terms_and_series_heads() {
        let rules = Resources::builtin().unwrap().not_slogans;
        let seg = Segmenter::new(&Resources::builtin().unwrap());
        // a term of terms.txt is one segmenter word but counts as its dictionary words
        assert_eq!(seg.tags("党的创新理论").len(), 1);
        assert_eq!(seg.dictionary_words("党的创新理论"), 4);
        assert_eq!(seg.dictionary_words("人民群众"), 1);
        let w = word_checks("党的创新理论", &seg, &rules);
        assert!(w.shape_ok && w.words_ok && w.few_words, "{w:?}");
        // … and by the edge rules of its own words: 习近平总书记 ends in 总书记
        assert!(!word_checks("习近平总书记", &seg, &rules).shape_ok);
        // a series whose every item ends in its head: the head is no dangling adverb
        assert!(!word_checks("人民至上、生命至上", &seg, &rules).shape_ok);
        assert!(series_head_ok("人民至上、生命至上", "X至上", &seg, &rules));
        assert!(!series_head_ok("人民至上、生命至上", "人X", &seg, &rules));
        assert!(!series_head_ok("坚持人民至上、生命至上", "X至上", &seg, &rules));
    }

    #[test]
    fn explanations_follow_the_decisions_and_change_nothing() {
        let texts = [
            "我们坚持独立自主、自力更生，关心人民群众的生活。",
            "中国奉行独立自主的和平外交政策，人民群众拥护。",
            "必须坚持独立自主。人民群众是历史的创造者。",
            "依靠人民群众，坚持独立自主、自力更生。",
        ];
        let res = Resources::builtin().unwrap();
        let seg = Segmenter::new(&res);
        let go = |explain: &[String]| {
            let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
            let corpus = Corpus { texts: &texts, segs, sources: &[], years: &[] };
            discover(corpus, &res, &seg, Settings::default(), &BTreeSet::new(), &[], explain).unwrap()
        };
        let asked: Vec<String> =
            ["独立自主", "坚持独立自主", "人民群众", "不存在", "自力"].iter().map(|s| s.to_string()).collect();
        let (plain, explained) = (go(&[]), go(&asked));
        assert_eq!(plain.list, explained.list);
        let x = &explained.explained;
        assert_eq!(x.len(), 5);
        // 自力 always goes on as 自力更生 (then ，or 。); 独立自主 goes on in several ways
        assert_eq!(x[4].continues.as_deref(), Some("自力更生"));
        assert!(x[4].to_string().contains("every occurrence goes on as 自力更生"));
        assert_eq!(x[0].continues, None);
        let rank = explained.list.iter().position(|s| s.text == "独立自主").unwrap() + 1;
        assert_eq!(x[0].fate, explain::Fate::Reported { rank, row: "独立自主".to_string() });
        let row = &explained.list[rank - 1];
        assert_eq!((x[0].occurrences, x[0].docs), (row.count, row.doc_count));
        assert!(x[0].qualifying.contains(&Kind::SetPhrase) && x[0].set_evidence.is_some());
        assert!(!matches!(x[1].fate, explain::Fate::Reported { .. }), "{:?}", x[1].fate);
        assert!(!matches!(x[2].fate, explain::Fate::Reported { .. }), "{:?}", x[2].fate);
        assert_eq!(x[2].occurrences, 4);
        assert_eq!((x[3].fate.clone(), x[3].occurrences), (explain::Fate::NotProposed, 0));
        // the printed form names the verdict
        assert!(x[0].to_string().starts_with(&format!("独立自主 — reported, rank {rank}")));
    }
}
