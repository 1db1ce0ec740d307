//! Explain: why a phrase is or is not reported as a slogan — what each step of discovery saw
//! of it (its counts, neighbours, cohesion, words, set-phrase usage, the detectors that proposed
//! it and whose evidence held) and the step that kept or dropped it. Filled in by
//! [`super::discover`] on the same run, so the explanation is the decision, not a second guess.

use std::collections::BTreeSet;
use std::fmt;

use super::phrase::Freedom;
use super::setphrase::{self, Usage};
use super::{Kind, MIN_COHESION, MIN_ENTROPY};

/// What became of a phrase.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Fate {
    /// No detector proposed it.
    #[default]
    NotProposed,
    /// Proposed, but it could not qualify before counting: its words, or beyond the most
    /// frequent phrases the counting takes.
    Prefiltered,
    /// Counted exactly, but no detector's evidence held.
    NotQualified,
    /// Beyond `--max-phrases`: only the phrase detector vouched for it.
    PhraseCap,
    /// It never occurs outside a longer kept slogan.
    Subsumed,
    /// It is a kept slogan with one verb, adverb or verbal noun added.
    SloganPlusWord,
    /// Reported, in the row of `row` (itself, or the most frequent of its spellings), ranked
    /// `rank` (from 1).
    Reported { rank: usize, row: String },
}

/// Why `text` is or is not a slogan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explanation {
    pub text: String,
    /// Occurrences and documents in the clean text, counted as the slogans table counts.
    pub occurrences: u64,
    pub docs: u64,
    /// Neighbour entropies (and set-phrase usage, for 4 to 7 characters), when it occurs.
    pub freedom: Option<Freedom>,
    pub cohesion: Option<f64>,
    /// The word rules: shape, enough words for a phrase, one or two segmenter words.
    pub shape_ok: bool,
    pub words_ok: bool,
    pub few_words: bool,
    /// A member of a family of parallel formulations (whether the family vouches is decided
    /// among its members).
    pub family: bool,
    /// Set-phrase usage counted with quotes and family (4 to 7 characters, free within frames),
    /// and its context evidence with its form (a family's evidence is added only where the
    /// family vouches).
    pub set_usage: Option<Usage>,
    pub set_context: Option<f64>,
    /// Born or retired within a dated corpus (see [`setphrase::Eras`]); in `set_context`.
    pub era: bool,
    /// Times written in quotes, as the quote detector saw them.
    pub quoted: u64,
    /// The detectors that proposed it.
    pub proposed_by: BTreeSet<Kind>,
    /// Its evidence, when the set-phrase detector chose it.
    pub set_evidence: Option<f64>,
    /// The longer string every occurrence of it continues into, when there is one (自力 in
    /// 自力更生) and it is not 、: the phrase detector judges repeats that end where their
    /// occurrences go different ways, so it judged that string, not this one.
    pub continues: Option<String>,
    /// The detectors whose evidence held after exact counting.
    pub qualifying: BTreeSet<Kind>,
    pub fate: Fate,
}

fn kinds(k: &BTreeSet<Kind>) -> String {
    if k.is_empty() { "none".to_string() } else { k.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ") }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = match &self.fate {
            Fate::Reported { rank, row } if *row == self.text => format!("reported, rank {rank}"),
            Fate::Reported { rank, row } => format!("reported as a spelling of {row}, rank {rank}"),
            Fate::NotProposed => "not a slogan: no detector proposed it".to_string(),
            Fate::Prefiltered => "not a slogan: ruled out before counting (by its words, or beyond the phrases \
                                  counting takes), and no other detector vouches for it"
                .to_string(),
            Fate::NotQualified => "not a slogan: no detector's evidence held".to_string(),
            Fate::PhraseCap => "not a slogan: beyond --max-phrases".to_string(),
            Fate::Subsumed => "not a slogan: it never occurs outside a longer slogan".to_string(),
            Fate::SloganPlusWord => "not a slogan: a slogan with one word added".to_string(),
        };
        writeln!(f, "{} — {verdict}", self.text)?;
        writeln!(f, "  {} occurrences in {} documents", self.occurrences, self.docs)?;
        if let Some(fr) = &self.freedom {
            let free = if fr.left_entropy >= MIN_ENTROPY && fr.right_entropy >= MIN_ENTROPY {
                "free"
            } else if fr.framed {
                "free within its frames (a principle verb before, 的 and the principle named after)"
            } else {
                "not free"
            };
            writeln!(
                f,
                "  neighbours: left {:.2} bits, right {:.2} bits (least {MIN_ENTROPY:.2}): {free}",
                fr.left_entropy, fr.right_entropy
            )?;
        }
        if let Some(c) = self.cohesion {
            writeln!(f, "  cohesion {c:.2} bits (least {MIN_COHESION:.2})")?;
        }
        let words = match (self.shape_ok, self.words_ok, self.few_words) {
            (false, _, _) => "a function word, listed word or name at an edge",
            (true, true, _) => "shape and number of words fit a phrase",
            (true, false, _) => "too few words for a phrase",
        };
        writeln!(f, "  words: {words}")?;
        if setphrase::eligible(&self.text) {
            match &self.set_usage {
                Some(u) => writeln!(
                    f,
                    "  set phrase: after a principle verb {}, before a frame noun {}, next to 、 {}, quoted {} of {}: \
                     context {:.2} (least {:.2}){}{}{}",
                    u.principle,
                    u.framed,
                    u.parallel,
                    self.quoted,
                    self.occurrences,
                    self.set_context.unwrap_or(0.0),
                    setphrase::MIN_CONTEXT,
                    if self.era {
                        format!(", {:.2} of it for its era (born or retired within the corpus)", setphrase::ERA)
                    } else {
                        String::new()
                    },
                    if self.family {
                        format!(", {:.2} more where its family vouches", setphrase::FAMILY)
                    } else {
                        String::new()
                    },
                    self.set_evidence.map_or(String::new(), |e| format!("; chosen, evidence {e:.2}")),
                )?,
                None => writeln!(
                    f,
                    "  set phrase: too little context (least {:.2}) or not free within its frames",
                    setphrase::MIN_CONTEXT
                )?,
            }
        }
        if let Some(longer) = &self.continues {
            writeln!(f, "  every occurrence goes on as {longer}: the phrase detector judged that string")?;
        }
        writeln!(f, "  proposed by: {}", kinds(&self.proposed_by))?;
        write!(f, "  evidence held: {}", kinds(&self.qualifying))
    }
}
