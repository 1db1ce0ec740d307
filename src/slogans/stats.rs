//! Slogan candidates measured a shard at a time: what one shard's index says of a candidate
//! (occurrences, documents, neighbour characters, usage, years, counts of its parts) as sums
//! that add up across shards, and the measures one index of the whole corpus gives (freedom,
//! cohesion, set-phrase usage, era) computed from the sums alone, to the last bit.
//!
//! Documents and source files add up because each is in exactly one shard (a corpus is cut
//! into shards by files). Occurrences, neighbours and part counts add up because no match
//! crosses a document's end.

use super::MIN_ENTROPY;
use super::index::Index;
use super::phrase::{self, Freedom};
use super::setphrase::{self, Around, Eras, Usage};
use crate::error::{Error, Result};

/// The neighbours of a string's occurrences on one side: how often each character stands
/// there, and how many separators (punctuation, a document's edge), each a neighbour of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    edges: u64,
    /// By character, each with a count above 0.
    chars: Vec<(char, u64)>,
}

impl Neighbours {
    /// The neighbours of the occurrences, `None` for a separator.
    pub fn of(mut neighbours: Vec<Option<char>>) -> Neighbours {
        neighbours.sort_unstable();
        let edges = neighbours.iter().take_while(|n| n.is_none()).count();
        let chars = neighbours[edges..]
            .chunk_by(|a, b| a == b)
            .filter_map(|run| run[0].map(|c| (c, run.len() as u64)))
            .collect();
        Neighbours { edges: edges as u64, chars }
    }

    /// The neighbours of the occurrences as symbols of an index: 0 for a separator, otherwise
    /// the character `chars[symbol]`, where `chars` is in code point order (so the symbols sort
    /// as their characters do). The same as [`Neighbours::of`] of those characters.
    pub fn of_symbols(mut symbols: Vec<u32>, chars: &[char]) -> Neighbours {
        symbols.sort_unstable();
        let edges = symbols.iter().take_while(|&&s| s == 0).count();
        let chars =
            symbols[edges..].chunk_by(|a, b| a == b).map(|run| (chars[run[0] as usize], run.len() as u64)).collect();
        Neighbours { edges: edges as u64, chars }
    }

    /// The neighbours from counts, a neighbour possibly several times (`None` for separators).
    fn of_counts(mut counts: Vec<(Option<char>, u64)>) -> Neighbours {
        counts.sort_unstable();
        let edges = counts.iter().take_while(|n| n.0.is_none()).map(|n| n.1).sum();
        let chars = counts
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|run| run[0].0.map(|c| (c, run.iter().map(|n| n.1).sum())))
            .filter(|&(_, k)| k > 0)
            .collect();
        Neighbours { edges, chars }
    }

    /// Occurrences counted.
    pub fn total(&self) -> u64 {
        self.edges + self.chars.iter().map(|&(_, k)| k).sum::<u64>()
    }

    /// True when `c` stands there at least once.
    pub fn has(&self, c: char) -> bool {
        self.chars.binary_search_by(|&(x, _)| x.cmp(&c)).is_ok()
    }

    /// How often the characters that `keep` admits stand there.
    pub fn count_of(&self, keep: impl Fn(char) -> bool) -> u64 {
        self.chars.iter().filter(|&&(c, _)| keep(c)).map(|&(_, k)| k).sum()
    }

    /// How often the most common character that `keep` admits stands there (0 for none).
    pub fn most_common(&self, keep: impl Fn(char) -> bool) -> u64 {
        self.chars.iter().filter(|&&(c, _)| keep(c)).map(|&(_, k)| k).max().unwrap_or(0)
    }

    /// Add the neighbours of another shard's occurrences.
    pub fn add(&mut self, other: &Neighbours) {
        self.edges += other.edges;
        let (a, b) = (&self.chars, &other.chars);
        let mut merged = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        loop {
            match (a.get(i), b.get(j)) {
                (Some(&(x, m)), Some(&(y, k))) if x == y => {
                    merged.push((x, m + k));
                    (i, j) = (i + 1, j + 1);
                }
                (Some(&x), Some(&y)) if x.0 < y.0 => {
                    merged.push(x);
                    i += 1;
                }
                (Some(&x), None) => {
                    merged.push(x);
                    i += 1;
                }
                (_, Some(&y)) => {
                    merged.push(y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        self.chars = merged;
    }

    /// Entropy (bits) of the neighbours: the separators first, each on its own, then the
    /// characters in order (the order of the sums fixes the last bit).
    pub fn entropy(&self) -> f64 {
        let n = self.total() as f64;
        let mut h = 0.0;
        for _ in 0..self.edges {
            let p = 1.0 / n;
            h -= p * p.log2();
        }
        for &(_, k) in &self.chars {
            let p = k as f64 / n;
            h -= p * p.log2();
        }
        h
    }
}

/// What a shard as a whole adds to the measures: the positions its index holds (for cohesion)
/// and the year of each dated document (for the eras).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub positions: u64,
    pub dated: Vec<u32>,
}

impl Totals {
    /// The totals of a shard indexed in `index`, whose documents have these `years`.
    pub fn of(index: &Index, years: &[Option<u32>]) -> Totals {
        Totals::new(index.len() as u64, years)
    }

    /// The totals of a shard of `positions` indexed positions ([`super::index::Symbols::indexed`]),
    /// whose documents have these `years`.
    pub fn new(positions: u64, years: &[Option<u32>]) -> Totals {
        let mut dated: Vec<u32> = years.iter().flatten().copied().collect();
        dated.sort_unstable();
        Totals { positions, dated }
    }

    pub fn add(&mut self, other: &Totals) {
        self.positions += other.positions;
        self.dated.extend_from_slice(&other.dated);
        self.dated.sort_unstable();
    }

    /// The eras of the corpus.
    pub fn eras(&self) -> Eras {
        Eras::of_dated(self.dated.clone())
    }
}

/// What one shard's index says of one candidate, summed over its occurrences there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub occurrences: u64,
    pub docs: u64,
    pub sources: u64,
    /// Neighbours as they are: the entropies.
    pub left: Neighbours,
    pub right: Neighbours,
    /// Neighbours when a principle verb before and a principle named after count as
    /// separators: the framed freedom of a phrase.
    pub frame_left: Neighbours,
    pub frame_right: Neighbours,
    /// Neighbours when 、, principle verbs and frame nouns count as separators: the freedom of
    /// a set phrase.
    pub set_left: Neighbours,
    pub set_right: Neighbours,
    /// Occurrences next to 、, after a principle verb, before a frame noun.
    pub usage: Usage,
    /// The year of each dated document that has it, in order.
    pub years: Vec<u32>,
    /// `prefixes[k]`: occurrences of its first `k + 1` characters.
    pub prefixes: Vec<u64>,
    /// `suffixes[k]`: occurrences of what follows its first `k` characters.
    pub suffixes: Vec<u64>,
    /// Occurrences that begin and end on word boundaries.
    pub aligned: u64,
    /// In two documents of one source file with the same text around it (a passage copied):
    /// what the phrase detector asks of a phrase in two documents, whose shard holds both.
    pub copied: bool,
}

impl Stats {
    /// The statistics of `text` in the shard indexed in `index`, whose documents have these
    /// `years`.
    pub fn of(index: &Index, text: &str, years: &[Option<u32>]) -> Stats {
        let len = text.chars().count();
        let positions: Vec<usize> = index.range(text).map(|r| index.position(r)).collect();
        let (docs, sources) = phrase::docs_and_sources(index, &positions);
        let around = setphrase::arounds(index, &positions, len);
        let side = |f: &dyn Fn(&Around) -> Option<char>| Neighbours::of(around.iter().map(f).collect());
        let count = |flag: &dyn Fn(&Around) -> bool| around.iter().filter(|a| flag(a)).count() as u32;
        let mut years: Vec<u32> = docs.iter().filter_map(|&d| years.get(d as usize).copied().flatten()).collect();
        years.sort_unstable();
        let starts = text.char_indices().map(|(b, _)| b);
        // the prefixes up to the first character this shard lacks (the index counts no string
        // with a character it lacks, though its prefixes may occur)
        let known = text.char_indices().find(|&(_, c)| !index.knows(c)).map_or(text.len(), |(b, _)| b);
        let mut prefixes: Vec<u64> = index.prefix_counts(&text[..known]).into_iter().map(|c| c as u64).collect();
        prefixes.resize(len, 0);
        let copied = docs.len() == 2
            && sources == 1
            && phrase::copied(index, &positions, len, phrase::PhraseLimits::default().copied_context);
        Stats {
            aligned: positions.iter().filter(|&&p| index.word_aligned(p, len)).count() as u64,
            copied,
            occurrences: positions.len() as u64,
            docs: docs.len() as u64,
            sources: sources as u64,
            left: side(&|a| a.left),
            right: side(&|a| a.right),
            frame_left: side(&|a| a.frame_left()),
            frame_right: side(&|a| a.frame_right()),
            set_left: side(&|a| a.free_left()),
            set_right: side(&|a| a.free_right()),
            usage: Usage {
                parallel: count(&|a| a.parallel),
                principle: count(&|a| a.principle),
                framed: count(&|a| a.framed),
            },
            years,
            prefixes,
            suffixes: starts.map(|b| index.count(&text[b..]) as u64).collect(),
        }
    }

    /// Add another shard's statistics of the same candidate.
    pub fn add(&mut self, other: &Stats) {
        self.occurrences += other.occurrences;
        self.aligned += other.aligned;
        self.copied |= other.copied;
        self.docs += other.docs;
        self.sources += other.sources;
        for (mine, theirs) in [
            (&mut self.left, &other.left),
            (&mut self.right, &other.right),
            (&mut self.frame_left, &other.frame_left),
            (&mut self.frame_right, &other.frame_right),
            (&mut self.set_left, &other.set_left),
            (&mut self.set_right, &other.set_right),
        ] {
            mine.add(theirs);
        }
        self.usage.parallel += other.usage.parallel;
        self.usage.principle += other.usage.principle;
        self.usage.framed += other.usage.framed;
        self.years.extend_from_slice(&other.years);
        self.years.sort_unstable();
        for (mine, theirs) in [(&mut self.prefixes, &other.prefixes), (&mut self.suffixes, &other.suffixes)] {
            mine.resize(mine.len().max(theirs.len()), 0);
            mine.iter_mut().zip(theirs).for_each(|(m, t)| *m += t);
        }
    }

    /// [`phrase::freedom`] of `text`: judged for its framed freedom and its set-phrase usage
    /// when in at least `min_docs` documents.
    pub fn freedom(&self, text: &str, min_docs: usize) -> Freedom {
        let left_entropy = self.left.entropy();
        let right_entropy = self.right.entropy();
        let plain = left_entropy >= MIN_ENTROPY && right_entropy >= MIN_ENTROPY;
        let judged = self.docs as usize >= min_docs;
        Freedom {
            occurrences: self.occurrences as u32,
            docs: self.docs as u32,
            sources: self.sources as u32,
            left_entropy,
            right_entropy,
            framed: judged && !plain && setphrase::free_among(&self.frame_left, &self.frame_right, MIN_ENTROPY),
            set: judged.then(|| self.usage(text, 0, false, MIN_ENTROPY)).flatten(),
            listed: false,
        }
    }

    /// [`setphrase::usage_at`] of `text`, `quoted` times in quotes, a member of a family or not.
    pub fn usage(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        if self.occurrences == 0 || !setphrase::eligible(text) {
            return None;
        }
        let free = || setphrase::free_among(&self.set_left, &self.set_right, min_entropy);
        setphrase::judge_usage(self.usage, self.occurrences as usize, quoted, family, free)
    }

    /// [`phrase::cohesion`] of `text` in a corpus of these `totals`.
    pub fn cohesion(&self, text: &str, totals: &Totals) -> Option<f64> {
        phrase::cohesion_from(text, totals.positions, &self.prefixes, |k, _| self.suffixes[k])
    }

    /// [`Eras::bounded_in`]: born or retired within the corpus.
    pub fn bounded(&self, eras: &Eras) -> bool {
        eras.bounded_years(self.years.clone())
    }

    /// Every occurrence is followed by 、 ([`Freedom::listed`]).
    pub fn listed(&self) -> bool {
        self.occurrences > 0 && self.right.edges == 0 && self.right.chars == [('、', self.occurrences)]
    }

    /// Some occurrence stands next to 、.
    pub fn ever_listed(&self) -> bool {
        self.left.has('、') || self.right.has('、')
    }
}

/// What the decisions after proposal ask of the corpus about a string. One index of the whole
/// corpus answers (a run), or the sums of the shards' statistics ([`Summed`]).
pub trait Measures: Sync {
    /// [`phrase::freedom_of`]: `None` when the string does not occur.
    fn freedom_of(&self, text: &str) -> Option<Freedom>;
    /// [`setphrase::usage_of`].
    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage>;
    /// [`phrase::cohesion`].
    fn cohesion(&self, text: &str) -> Option<f64>;
    /// [`Eras::bounded_in`].
    fn bounded(&self, eras: &Eras, text: &str) -> bool;
    /// Some occurrence stands next to 、.
    fn ever_listed(&self, text: &str) -> bool;
}

/// What an index or the sums answer, asked through a reference.
impl<M: Measures> Measures for &M {
    fn freedom_of(&self, text: &str) -> Option<Freedom> {
        (**self).freedom_of(text)
    }

    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        (**self).usage_of(text, quoted, family, min_entropy)
    }

    fn cohesion(&self, text: &str) -> Option<f64> {
        (**self).cohesion(text)
    }

    fn bounded(&self, eras: &Eras, text: &str) -> bool {
        (**self).bounded(eras, text)
    }

    fn ever_listed(&self, text: &str) -> bool {
        (**self).ever_listed(text)
    }
}

impl Measures for Index {
    fn freedom_of(&self, text: &str) -> Option<Freedom> {
        phrase::freedom_of(self, text)
    }

    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        setphrase::usage_of(self, text, quoted, family, min_entropy)
    }

    fn cohesion(&self, text: &str) -> Option<f64> {
        phrase::cohesion(self, text)
    }

    fn bounded(&self, eras: &Eras, text: &str) -> bool {
        eras.bounded_in(self, text)
    }

    fn ever_listed(&self, text: &str) -> bool {
        let len = text.chars().count();
        self.range(text).any(|r| {
            let p = self.position(r);
            self.left_char(p) == Some('、') || self.right_char(p, len) == Some('、')
        })
    }
}

/// The shards' statistics of every string the decisions ask about, added up, and the corpus's
/// totals. A string it holds no statistics of does not occur.
#[derive(Debug, Clone, Default)]
pub struct Summed {
    pub stats: std::collections::HashMap<String, Stats>,
    pub totals: Totals,
}

impl Summed {
    fn of(&self, text: &str) -> Option<&Stats> {
        self.stats.get(text).filter(|s| s.occurrences > 0)
    }
}

impl Measures for Summed {
    fn freedom_of(&self, text: &str) -> Option<Freedom> {
        self.of(text).map(|s| s.freedom(text, 0))
    }

    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        self.of(text)?.usage(text, quoted, family, min_entropy)
    }

    fn cohesion(&self, text: &str) -> Option<f64> {
        self.stats.get(text)?.cohesion(text, &self.totals)
    }

    fn bounded(&self, eras: &Eras, text: &str) -> bool {
        self.of(text).is_some_and(|s| s.bounded(eras))
    }

    fn ever_listed(&self, text: &str) -> bool {
        self.of(text).is_some_and(Stats::ever_listed)
    }
}

/// What a string's summed statistics answer the decisions, finished where they are summed: a
/// few numbers in place of its histograms, years and parts, so that what decides holds little
/// per string. [`FinishedSums`] answers as [`Summed`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finished {
    /// Its freedom as [`Summed::freedom_of`] gives it (its occurrences among it); `None` when
    /// it does not occur.
    pub freedom: Option<Freedom>,
    pub usage: Usage,
    /// The set phrase's neighbours: no one of them dominates either side, and their entropies.
    pub set_undominated: bool,
    pub set_entropies: (f64, f64),
    pub cohesion: Option<f64>,
    pub bounded: bool,
    pub ever_listed: bool,
}

impl Finished {
    /// The measures of `text` from its statistics `stats`, summed over every shard, in a corpus
    /// of these `totals`.
    pub fn of(stats: &Stats, text: &str, totals: &Totals, eras: &Eras) -> Finished {
        let occurs = stats.occurrences > 0;
        Finished {
            freedom: occurs.then(|| stats.freedom(text, 0)),
            usage: stats.usage,
            set_undominated: setphrase::undominated(&stats.set_left, &stats.set_right),
            set_entropies: (stats.set_left.entropy(), stats.set_right.entropy()),
            cohesion: stats.cohesion(text, totals),
            bounded: occurs && stats.bounded(eras),
            ever_listed: occurs && stats.ever_listed(),
        }
    }
}

/// The finished measures of every string asked about, by text, and the eras they were finished
/// in (see [`Finished`]).
#[derive(Debug, Clone, Default)]
pub struct FinishedSums {
    pub measures: std::collections::HashMap<String, Finished>,
    pub eras: Eras,
}

impl Measures for FinishedSums {
    fn freedom_of(&self, text: &str) -> Option<Freedom> {
        self.measures.get(text)?.freedom
    }

    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        let f = self.measures.get(text)?;
        let occurrences = f.freedom?.occurrences as usize;
        if !setphrase::eligible(text) {
            return None;
        }
        let free = || f.set_undominated && f.set_entropies.0 >= min_entropy && f.set_entropies.1 >= min_entropy;
        setphrase::judge_usage(f.usage, occurrences, quoted, family, free)
    }

    fn cohesion(&self, text: &str) -> Option<f64> {
        self.measures.get(text)?.cohesion
    }

    fn bounded(&self, eras: &Eras, text: &str) -> bool {
        self.measures.get(text).is_some_and(|f| {
            debug_assert!(*eras == self.eras, "finished in other eras");
            f.bounded
        })
    }

    fn ever_listed(&self, text: &str) -> bool {
        self.measures.get(text).is_some_and(|f| f.ever_listed)
    }
}

/// Sums of the shards' statistics that say which strings they hold (see [`Asking`]).
pub trait Held: Measures {
    fn holds(&self, text: &str) -> bool;
}

impl Held for Summed {
    fn holds(&self, text: &str) -> bool {
        self.stats.contains_key(text)
    }
}

impl Held for FinishedSums {
    fn holds(&self, text: &str) -> bool {
        self.measures.contains_key(text)
    }
}

/// The sums, asked by decisions that may ask about strings the shards have not measured yet:
/// each such string is answered as one that does not occur, and noted. Deciding again with the
/// noted strings measured, until none is noted, asks the sums only what they hold: the
/// decisions are then those an index of the whole corpus makes.
pub struct Asking<'a> {
    summed: &'a dyn Held,
    missing: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl<'a> Asking<'a> {
    pub fn new(summed: &'a dyn Held) -> Asking<'a> {
        Asking { summed, missing: Default::default() }
    }

    /// The strings asked about that the sums do not hold, by text.
    pub fn missing(self) -> Vec<String> {
        self.missing.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().collect()
    }

    fn note(&self, text: &str) {
        if !self.summed.holds(text) {
            self.missing.lock().unwrap_or_else(|e| e.into_inner()).insert(text.to_string());
        }
    }
}

impl Measures for Asking<'_> {
    fn freedom_of(&self, text: &str) -> Option<Freedom> {
        self.note(text);
        self.summed.freedom_of(text)
    }

    fn usage_of(&self, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
        self.note(text);
        self.summed.usage_of(text, quoted, family, min_entropy)
    }

    fn cohesion(&self, text: &str) -> Option<f64> {
        self.note(text);
        self.summed.cohesion(text)
    }

    fn bounded(&self, eras: &Eras, text: &str) -> bool {
        self.note(text);
        self.summed.bounded(eras, text)
    }

    fn ever_listed(&self, text: &str) -> bool {
        self.note(text);
        self.summed.ever_listed(text)
    }
}

/// One row of statistics in long form: what is counted (`stat`), of which neighbour character,
/// year or part (`key`), and how often. Rows of the same candidate, `stat` and `key` add up, so
/// an engine sums a shard's rows with one group-by: a neighbour's `key` is its code point (-1
/// for a separator), a year's the year, a part's the characters before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub stat: &'static str,
    pub key: i64,
    pub count: u64,
}

/// The statistics with a key of its own per neighbour, year or part.
const SIDES: [&str; 6] = ["left", "right", "frame_left", "frame_right", "set_left", "set_right"];

impl Neighbours {
    fn rows(&self, stat: &'static str, out: &mut Vec<Row>) {
        if self.edges > 0 {
            out.push(Row { stat, key: -1, count: self.edges });
        }
        out.extend(self.chars.iter().map(|&(c, count)| Row { stat, key: c as i64, count }));
    }
}

impl Stats {
    fn sides(&self) -> [&Neighbours; 6] {
        [&self.left, &self.right, &self.frame_left, &self.frame_right, &self.set_left, &self.set_right]
    }

    /// The statistics as rows (none for a count of 0).
    pub fn rows(&self) -> Vec<Row> {
        let mut out = Vec::new();
        let plain = [
            ("occurrences", self.occurrences),
            ("docs", self.docs),
            ("sources", self.sources),
            ("parallel", self.usage.parallel as u64),
            ("principle", self.usage.principle as u64),
            ("framed", self.usage.framed as u64),
            ("aligned", self.aligned),
            ("copied", u64::from(self.copied)),
        ];
        out.extend(plain.into_iter().map(|(stat, count)| Row { stat, key: 0, count }));
        for (stat, side) in SIDES.into_iter().zip(self.sides()) {
            side.rows(stat, &mut out);
        }
        for year in self.years.chunk_by(|a, b| a == b) {
            out.push(Row { stat: "year", key: year[0] as i64, count: year.len() as u64 });
        }
        for (stat, counts) in [("prefix", &self.prefixes), ("suffix", &self.suffixes)] {
            out.extend(counts.iter().enumerate().map(|(k, &count)| Row { stat, key: k as i64, count }));
        }
        out.retain(|r| r.count > 0);
        out
    }

    /// The statistics of a candidate of `chars` characters from its rows, summed or not (rows
    /// with the same `stat` and `key` are added up).
    pub fn from_rows<'a>(chars: usize, rows: impl IntoIterator<Item = (&'a str, i64, u64)>) -> Result<Stats> {
        let mut s = Stats { prefixes: vec![0; chars], suffixes: vec![0; chars], ..Stats::default() };
        let mut sides: [Vec<(Option<char>, u64)>; 6] = Default::default();
        for (stat, key, count) in rows {
            let bad = || Error::CorruptPartial(format!("no statistic {stat} of key {key}"));
            let u32_of =
                |n: u64| u32::try_from(n).map_err(|_| Error::CorruptPartial(format!("{stat} of {n} is too many")));
            match stat {
                "occurrences" => s.occurrences += count,
                "docs" => s.docs += count,
                "aligned" => s.aligned += count,
                "copied" => s.copied |= count > 0,
                "sources" => s.sources += count,
                "parallel" => s.usage.parallel += u32_of(count)?,
                "principle" => s.usage.principle += u32_of(count)?,
                "framed" => s.usage.framed += u32_of(count)?,
                "year" => s.years.extend(std::iter::repeat_n(u32::try_from(key).map_err(|_| bad())?, count as usize)),
                "prefix" | "suffix" => {
                    let counts = if stat == "prefix" { &mut s.prefixes } else { &mut s.suffixes };
                    *usize::try_from(key).ok().and_then(|k| counts.get_mut(k)).ok_or_else(bad)? += count;
                }
                _ => {
                    let side = SIDES.iter().position(|&x| x == stat).ok_or_else(bad)?;
                    let neighbour = match key {
                        -1 => None,
                        k => Some(u32::try_from(k).ok().and_then(char::from_u32).ok_or_else(bad)?),
                    };
                    sides[side].push((neighbour, count));
                }
            }
        }
        s.years.sort_unstable();
        [s.left, s.right, s.frame_left, s.frame_right, s.set_left, s.set_right] = sides.map(Neighbours::of_counts);
        Ok(s)
    }
}

impl Totals {
    /// The totals as rows: the positions indexed, and the dated documents of each year.
    pub fn rows(&self) -> Vec<Row> {
        let mut out = vec![Row { stat: "positions", key: 0, count: self.positions }];
        out.extend(self.dated.chunk_by(|a, b| a == b).map(|y| Row {
            stat: "dated",
            key: y[0] as i64,
            count: y.len() as u64,
        }));
        out
    }

    /// The totals from their rows, summed or not.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (&'a str, i64, u64)>) -> Result<Totals> {
        let mut t = Totals::default();
        for (stat, key, count) in rows {
            match (stat, u32::try_from(key)) {
                ("positions", _) => t.positions += count,
                ("dated", Ok(year)) => t.dated.extend(std::iter::repeat_n(year, count as usize)),
                _ => return Err(Error::CorruptPartial(format!("no total {stat} of key {key}"))),
            }
        }
        t.dated.sort_unstable();
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn neighbours_add_up_and_measure_as_a_list_does() {
        let list = |s: &str| s.chars().map(|c| (c != '|').then_some(c)).collect::<Vec<_>>();
        let (a, b) = (list("要和|的要"), list("|和在的的"));
        let mut sum = Neighbours::of(a.clone());
        sum.add(&Neighbours::of(b.clone()));
        let all = Neighbours::of([a, b].concat());
        assert_eq!(sum, all);
        assert_eq!(all.total(), 10);
        assert_eq!(all.most_common(|_| true), 3);
        assert_eq!(all.most_common(|c| c != '的'), 2);
        assert_eq!(Neighbours::of(list("||")).entropy(), 1.0);
        assert_eq!(Neighbours::of(list("要和||")).entropy(), 2.0);
        assert_eq!(Neighbours::of(list("的的")).entropy(), 0.0);
    }

    #[test]
    fn rows_of_no_statistic_are_refused() {
        assert!(Stats::from_rows(2, [("left", -1, 1), ("right", 0x7684, 2)]).is_ok());
        assert!(Stats::from_rows(2, [("lefts", -1, 1)]).is_err());
        assert!(Stats::from_rows(2, [("prefix", 2, 1)]).is_err());
        assert!(Stats::from_rows(2, [("left", 0xD800, 1)]).is_err());
        assert!(Totals::from_rows([("dated", -5, 1)]).is_err());
    }

    #[test]
    fn the_shards_summed_statistics_decide_as_one_index_does() {
        let run = crate::testgen::SampleRun::new();
        let (refs, sources, years) = (run.refs(), &run.sources, &run.years);
        let one = run.one_run();
        assert!(one.list.len() > 100, "{} slogans", one.list.len());

        // the same proposals, measured a shard of whole files at a time
        let (proposed, _) = crate::slogans::detect(&refs, run.segs.clone(), sources, &run.res.slogans, run.settings);
        let mut asked: Vec<&str> = proposed.cands.iter().map(|c| c.text.as_str()).collect();
        asked.extend(proposed.phrases.iter().map(|p| p.0.as_str()));
        asked.extend(run.track.iter().map(String::as_str));
        asked.sort_unstable();
        asked.dedup();
        let cut = |f: u32| sources.partition_point(|&s| s < f);
        let mut summed = Summed::default();
        for (a, b) in [(0, cut(2)), (cut(2), cut(3)), (cut(3), refs.len())] {
            let shard = Index::build_with_words(&refs[a..b], &[], &sources[a..b]);
            summed.totals.add(&Totals::of(&shard, &years[a..b]));
            for t in &asked {
                summed.stats.entry(t.to_string()).or_default().add(&Stats::of(&shard, t, &years[a..b]));
            }
        }
        // each phrase's freedom as the detector judged it on the whole index
        let min_docs = run.settings.min_docs as usize;
        for (t, f) in &proposed.phrases {
            let s = &summed.stats[t];
            assert_eq!(&Freedom { listed: s.listed(), ..s.freedom(t, min_docs) }, f, "{t}");
        }
        let eras = summed.totals.eras();
        let two = run.decide(proposed, summed, &eras);
        assert_eq!(two.patterns, one.patterns);
        assert_eq!(two.list, one.list);
    }

    #[test]
    fn sums_over_shards_measure_as_one_index_of_the_whole_corpus() {
        for seed in [1, 2, 3] {
            let (texts, sources, years) = crate::testgen::slogan_corpus(seed);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let whole = Index::build_with_words(&refs, &[], &sources);
            let eras = Eras::new(&years);
            // shards of whole source files: cut after sources 4, 9 and 15
            let cuts = [0, 15, 30, 48, refs.len()];
            let shards: Vec<(Index, &[Option<u32>])> = cuts
                .windows(2)
                .map(|w| (Index::build_with_words(&refs[w[0]..w[1]], &[], &sources[w[0]..w[1]]), &years[w[0]..w[1]]))
                .collect();
            let mut totals = Totals::default();
            shards.iter().for_each(|(idx, y)| totals.add(&Totals::of(idx, y)));
            // the shards' rows added up by an engine's group-by
            let summed = |rows: Vec<Row>| {
                let mut sums: BTreeMap<(&str, i64), u64> = BTreeMap::new();
                rows.into_iter().for_each(|r| *sums.entry((r.stat, r.key)).or_default() += r.count);
                sums.into_iter().map(|((stat, key), count)| (stat, key, count)).collect::<Vec<_>>()
            };
            let rows = shards.iter().flat_map(|(idx, y)| Totals::of(idx, y).rows()).collect();
            assert_eq!(Totals::from_rows(summed(rows)).unwrap(), totals);
            assert_eq!(totals.eras().bounded_years(vec![2000; 5]), eras.bounded_years(vec![2000; 5]));

            // every string of up to 9 characters in the corpus, and some it does not hold
            let mut strings: Vec<String> = vec!["不在其中".into(), "稳中求进，".into()];
            for t in &refs {
                let chars: Vec<char> = t.chars().collect();
                for i in 0..chars.len() {
                    for j in i + 1..=chars.len().min(i + 9) {
                        strings.push(chars[i..j].iter().collect());
                    }
                }
            }
            strings.sort();
            strings.dedup();
            let (mut bounded, mut framed, mut set) = (0, 0, 0);
            for s in &strings {
                let mut sum = Stats::default();
                shards.iter().for_each(|(idx, y)| sum.add(&Stats::of(idx, s, y)));
                // whether a phrase is copied tells only of one in two documents of one file
                let one = Stats::of(&whole, s, &years);
                let two_docs = sum.docs == 2 && sum.sources == 1;
                assert_eq!(Stats { copied: sum.copied && two_docs, ..sum.clone() }, one, "{s}");
                let rows = shards.iter().flat_map(|(idx, y)| Stats::of(idx, s, y).rows()).collect();
                assert_eq!(Stats::from_rows(s.chars().count(), summed(rows)).unwrap(), sum, "{s}");
                // finished where summed, the statistics answer the decisions as the index does
                let finished = FinishedSums {
                    measures: [(s.clone(), Finished::of(&sum, s, &totals, &totals.eras()))].into(),
                    eras: totals.eras(),
                };
                assert_eq!(finished.freedom_of(s), whole.freedom_of(s), "{s}");
                assert_eq!(finished.cohesion(s), whole.cohesion(s), "{s}");
                assert_eq!(finished.bounded(&totals.eras(), s), whole.bounded(&eras, s), "{s}");
                assert_eq!(finished.ever_listed(s), whole.ever_listed(s), "{s}");
                for (quoted, family, min) in [(0, false, MIN_ENTROPY), (1, true, 0.5), (3, false, 1.5), (0, true, 0.0)]
                {
                    assert_eq!(
                        finished.usage_of(s, quoted, family, min),
                        whole.usage_of(s, quoted, family, min),
                        "{s}"
                    );
                }
                let r = whole.range(s);
                if r.is_empty() {
                    assert_eq!(sum.occurrences, 0, "{s}");
                    continue;
                }
                let len = s.chars().count();
                for min_docs in [0, 2, 5] {
                    let f = sum.freedom(s, min_docs);
                    assert_eq!(f, phrase::freedom(&whole, r.clone(), len, min_docs), "{s}");
                    (framed, set) = (framed + usize::from(f.framed), set + usize::from(f.set.is_some()));
                }
                assert_eq!(sum.cohesion(s, &totals), phrase::cohesion(&whole, s), "{s}");
                for (quoted, family) in [(0, false), (1, true), (3, false)] {
                    let want = setphrase::usage_of(&whole, s, quoted, family, MIN_ENTROPY);
                    assert_eq!(sum.usage(s, quoted, family, MIN_ENTROPY), want, "{s}");
                }
                assert_eq!(sum.bounded(&totals.eras()), eras.bounded_in(&whole, s), "{s}");
                bounded += usize::from(sum.bounded(&totals.eras()));
                let listed = r.clone().any(|k| {
                    let p = whole.position(k);
                    whole.left_char(p) == Some('、') || whole.right_char(p, len) == Some('、')
                });
                assert_eq!(sum.ever_listed(), listed, "{s}");
            }
            // the generated corpora reach the judgements that matter
            assert!(bounded > 0 && framed > 0 && set > 0, "seed {seed}: {bounded} bounded, {framed} framed, {set} set");
        }
    }
}
