//! A character index of the whole clean corpus: a suffix array (libsais) of its characters and
//! the longest-common-prefix array, capped at [`DEPTH`] characters. It lists repeated character sequences
//! (LCP intervals) and counts any string of up to [`DEPTH`] characters with two binary searches.
//!
//! Only characters that can be part of a slogan are indexed (letters, digits, Chinese characters
//! and the enumeration comma 、); every other character is a separator that no match crosses.
//! The index also remembers where the segmenter's words begin and end, so that discovered
//! phrases can be held to whole words.

use rayon::prelude::*;

use super::stats::Neighbours;
use crate::segment::{Segmented, is_word_char};
use crate::suffix::DocStarts;

/// Longest repeat the LCP array records and longest string a query counts.
pub const DEPTH: usize = 64;

/// The separator symbol: sorts first, never part of a match.
const SEP: u32 = 0;

/// The index's symbols: 16 bits each when they fit (a corpus of fewer than 65,536 distinct
/// indexable characters, every real one), 32 otherwise.
#[derive(Debug)]
enum Syms {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Syms {
    /// Room for `n` symbols, narrow or wide.
    fn with_capacity(n: usize, narrow: bool) -> Syms {
        if narrow { Syms::Narrow(Vec::with_capacity(n)) } else { Syms::Wide(Vec::with_capacity(n)) }
    }

    fn push(&mut self, s: u32) {
        match self {
            Syms::Narrow(t) => t.push(s as u16),
            Syms::Wide(t) => t.push(s),
        }
    }

    #[inline]
    fn at(&self, i: usize) -> u32 {
        match self {
            Syms::Narrow(t) => u32::from(t[i]),
            Syms::Wide(t) => t[i],
        }
    }

    fn get(&self, i: usize) -> Option<u32> {
        (i < self.len()).then(|| self.at(i))
    }

    fn last(&self) -> Option<u32> {
        self.len().checked_sub(1).map(|i| self.at(i))
    }

    fn len(&self) -> usize {
        match self {
            Syms::Narrow(t) => t.len(),
            Syms::Wide(t) => t.len(),
        }
    }

    /// Add `other`'s symbols (of the same width) at the end.
    fn append(&mut self, other: Syms) {
        match (self, other) {
            (Syms::Narrow(t), Syms::Narrow(o)) => t.extend_from_slice(&o),
            (Syms::Wide(t), Syms::Wide(o)) => t.extend_from_slice(&o),
            _ => unreachable!("symbols of one width"),
        }
    }
}

/// Documents turned into symbols on their own: their symbols, where each begins, and the
/// positions (within the run) where a word begins or ends.
struct Run {
    text: Syms,
    doc_starts: Vec<u32>,
    word_start: Vec<u32>,
    word_end: Vec<u32>,
}

impl Default for Run {
    fn default() -> Self {
        Run { text: Syms::Narrow(Vec::new()), doc_starts: Vec::new(), word_start: Vec::new(), word_end: Vec::new() }
    }
}

impl Run {
    /// Add document `t`, cut into the words `tokens` (byte ranges), with `symbol` the symbol of
    /// each character: a separator for every run of characters that cannot be indexed, and one
    /// at its end.
    fn push_document(&mut self, t: &str, tokens: &[(u32, u32)], symbol: impl Fn(char) -> u32) {
        let text = &mut self.text;
        self.doc_starts.push(text.len() as u32);
        let mut k = 0;
        for (b, c) in t.char_indices() {
            let s = if indexable(c) { symbol(c) } else { SEP };
            if s != SEP || text.last().is_some_and(|l| l != SEP) {
                if s != SEP {
                    while k < tokens.len() && (tokens[k].1 as usize) <= b {
                        k += 1;
                    }
                    if let Some(&(ts, te)) = tokens.get(k) {
                        if ts as usize == b {
                            self.word_start.push(text.len() as u32);
                        }
                        if te as usize == b + c.len_utf8() {
                            self.word_end.push(text.len() as u32);
                        }
                    }
                }
                text.push(s);
            }
        }
        if text.last().is_some_and(|l| l != SEP) {
            text.push(SEP);
        }
    }
}

/// The indexed corpus.
#[derive(Debug)]
pub struct Index {
    /// Symbols: `SEP` or 1 + the rank of the character among the corpus's distinct characters.
    text: Syms,
    /// Characters by symbol (index 0 unused).
    chars: Vec<char>,
    /// First position of each document in `text`.
    doc_starts: DocStarts,
    /// The symbol of 、, when the corpus has one.
    comma: Option<u32>,
    /// Source file of each document (documents cut from one file share it).
    doc_source: Vec<u32>,
    /// Positions that start with an indexable character, in suffix order.
    sa: Vec<u32>,
    /// `lcp[i]`: characters shared by the suffixes at `sa[i - 1]` and `sa[i]` (0 for `i = 0`),
    /// stopping at a separator and at `DEPTH`.
    lcp: Vec<u8>,
    /// `buckets[s]..buckets[s + 1]`: the ranks of the suffixes that start with symbol `s`.
    buckets: Vec<u32>,
    /// Bit sets over text positions: a word starts here / a word ends with this character.
    word_start: Vec<u64>,
    word_end: Vec<u64>,
}

fn set_bit(bits: &mut Vec<u64>, i: usize) {
    if bits.len() <= i / 64 {
        bits.resize(i / 64 + 1, 0);
    }
    bits[i / 64] |= 1 << (i % 64);
}

fn bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// True for characters a slogan can contain.
pub fn indexable(c: char) -> bool {
    is_word_char(c) || c == '、'
}

/// One repeated sequence: `len` characters shared by the suffixes `sa[lb..=rb]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub len: usize,
    pub lb: usize,
    pub rb: usize,
}

impl Interval {
    pub fn occurrences(&self) -> usize {
        self.rb - self.lb + 1
    }
}

impl Index {
    /// Index `texts` (one per document) without word boundaries.
    pub fn build(texts: &[&str]) -> Index {
        Self::build_with_words(texts, &[], &[])
    }

    /// Index `texts` with the word boundaries of their segmentation (`segs[i]` for `texts[i]`;
    /// documents without an entry have none) and the source file of each (`sources[i]`; each
    /// document is its own source when missing).
    pub fn build_with_words(texts: &[&str], segs: &[Segmented], sources: &[u32]) -> Index {
        Symbols::of(texts, segs, sources).sorted()
    }
}

/// The indexable characters seen in a corpus, as a bit set over code points.
pub struct CharsSeen(Vec<u64>);

impl Default for CharsSeen {
    fn default() -> Self {
        CharsSeen(vec![0u64; (char::MAX as usize + 1).div_ceil(64)])
    }
}

impl CharsSeen {
    /// Note the indexable characters of `texts` (in parallel).
    pub fn see(&mut self, texts: &[&str]) {
        let words = self.0.len();
        let seen = texts
            .par_iter()
            .fold(
                || vec![0u64; words],
                |mut bits, t| {
                    for c in t.chars().filter(|&c| indexable(c)) {
                        bits[c as usize / 64] |= 1 << (c as usize % 64);
                    }
                    bits
                },
            )
            .reduce(
                || vec![0u64; words],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                    a
                },
            );
        self.0.iter_mut().zip(seen).for_each(|(x, y)| *x |= y);
    }

    /// The symbols of the characters seen: their ranks in code point order, from 1; 16 bits
    /// each when `narrow` and they fit.
    pub fn alphabet(&self, narrow: bool) -> Alphabet {
        let mut chars = vec!['\0'];
        let mut table = vec![SEP; char::MAX as usize + 1];
        for cp in (0..=char::MAX as u32).filter(|&cp| self.0[cp as usize / 64] & (1 << (cp % 64)) != 0) {
            table[cp as usize] = chars.len() as u32;
            chars.push(char::from_u32(cp).unwrap_or('\0'));
        }
        let narrow = narrow && chars.len() <= 1 << 16;
        Alphabet { chars, table, narrow }
    }
}

/// The symbol of each character of a corpus (see [`CharsSeen::alphabet`]).
pub struct Alphabet {
    chars: Vec<char>,
    table: Vec<u32>,
    narrow: bool,
}

/// A document turned into the index's symbols on its own, to be put in the corpus's order
/// ([`Alphabet::join_documents`]): its symbols, and bit sets over them of where a word begins
/// and ends.
pub struct DocSymbols {
    text: Syms,
    word_start: Vec<u64>,
    word_end: Vec<u64>,
}

impl Alphabet {
    /// The documents `docs` as symbols, one run, `tokens(j)` the words of `docs[j]`.
    fn run_of<'t>(&self, docs: &[&str], tokens: impl Fn(usize) -> &'t [(u32, u32)]) -> Run {
        let bytes: usize = docs.iter().map(|t| t.len()).sum();
        let mut out = Run { text: Syms::with_capacity(bytes / 2 + docs.len(), self.narrow), ..Run::default() };
        for (j, t) in docs.iter().enumerate() {
            out.push_document(t, tokens(j), |c| self.table[c as usize]);
        }
        out
    }

    /// Each document of `texts`, cut into the words `words(d)` (byte ranges of `texts[d]`, or an
    /// error), as symbols on its own (in parallel), holding no more than its symbols and word
    /// boundaries: each document's words are held only while it is turned into symbols.
    pub fn documents<E: Send>(
        &self,
        texts: &[&str],
        words: impl Fn(usize) -> Result<Vec<(u32, u32)>, E> + Sync,
    ) -> Result<Vec<DocSymbols>, E> {
        texts
            .par_iter()
            .enumerate()
            .map(|(d, t)| {
                let tokens = words(d)?;
                let Run { mut text, word_start, word_end, .. } = self.run_of(&[t], |_| tokens.as_slice());
                match &mut text {
                    Syms::Narrow(t) => t.shrink_to_fit(),
                    Syms::Wide(t) => t.shrink_to_fit(),
                }
                let bits = |at: Vec<u32>| {
                    let mut bits = vec![0u64; text.len().div_ceil(64)];
                    at.iter().for_each(|&p| set_bit(&mut bits, p as usize));
                    bits
                };
                let (word_start, word_end) = (bits(word_start), bits(word_end));
                Ok(DocSymbols { text, word_start, word_end })
            })
            .collect()
    }

    /// The symbols of the documents of `docs`, in the corpus's order, `doc_source[i]` the source
    /// file of `docs[i]`: what [`Symbols::of`] makes of the same documents, words and sources.
    pub fn join_documents(self, docs: Vec<DocSymbols>, doc_source: Vec<u32>) -> Symbols {
        let total = docs.iter().map(|d| d.text.len()).sum();
        let mut text = Syms::with_capacity(total, self.narrow);
        let mut doc_starts = Vec::with_capacity(docs.len());
        let (mut word_start, mut word_end) = (Vec::new(), Vec::new());
        for d in docs {
            let at = text.len();
            doc_starts.push(at as u32);
            for (bits, all) in [(&d.word_start, &mut word_start), (&d.word_end, &mut word_end)] {
                for (w, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        set_bit(all, at + w * 64 + word.trailing_zeros() as usize);
                        word &= word - 1;
                    }
                }
            }
            text.append(d.text);
        }
        Symbols { text, chars: self.chars, doc_starts, doc_source, word_start, word_end }
    }

    /// The runs joined in order.
    fn join(self, runs: Vec<Run>, doc_source: Vec<u32>) -> Symbols {
        let total = runs.iter().map(|r| r.text.len()).sum();
        let mut text = Syms::with_capacity(total, self.narrow);
        let mut doc_starts = Vec::with_capacity(doc_source.len());
        let (mut word_start, mut word_end) = (Vec::new(), Vec::new());
        for r in runs {
            let at = text.len();
            doc_starts.extend(r.doc_starts.iter().map(|&s| s + at as u32));
            r.word_start.iter().for_each(|&p| set_bit(&mut word_start, at + p as usize));
            r.word_end.iter().for_each(|&p| set_bit(&mut word_end, at + p as usize));
            text.append(r.text);
        }
        Symbols { text, chars: self.chars, doc_starts, doc_source, word_start, word_end }
    }
}

/// The corpus as the index's symbols, with its word boundaries, before its suffixes are sorted:
/// what the index needs of the words, so that they can go before the sorting's memory is taken.
pub struct Symbols {
    text: Syms,
    chars: Vec<char>,
    doc_starts: Vec<u32>,
    doc_source: Vec<u32>,
    word_start: Vec<u64>,
    word_end: Vec<u64>,
}

impl Symbols {
    /// The symbols of `texts`, as [`Index::build_with_words`] takes them.
    pub fn of(texts: &[&str], segs: &[Segmented], sources: &[u32]) -> Symbols {
        Self::of_width(texts, segs, sources, true)
    }

    /// [`Symbols::of`], 16 bits each when `narrow` and they fit.
    fn of_width(texts: &[&str], segs: &[Segmented], sources: &[u32], narrow: bool) -> Symbols {
        let mut seen = CharsSeen::default();
        seen.see(texts);
        let alphabet = seen.alphabet(narrow);
        // each document begins after a separator (or at the start): the documents are turned
        // into symbols a run of them at a time, in parallel, and the runs joined in order
        let run = texts.len().div_ceil(16 * rayon::current_num_threads()).max(1);
        let runs: Vec<Run> = texts
            .par_chunks(run)
            .enumerate()
            .map(|(r, docs)| {
                let tokens = |j: usize| segs.get(r * run + j).map_or(&[][..], |s| s.tokens.as_slice());
                alphabet.run_of(docs, tokens)
            })
            .collect();
        let doc_source = (0..texts.len()).map(|d| sources.get(d).copied().unwrap_or(d as u32)).collect();
        alphabet.join(runs, doc_source)
    }

    /// The index of these symbols: their suffixes sorted.
    pub fn sorted(self) -> Index {
        let Symbols { mut text, chars, doc_starts, doc_source, word_start, word_end } = self;
        let sa = sort_suffixes(&mut text, chars.len());
        let lcp = lcp_array(&text, &sa);
        let buckets = buckets(&text, chars.len());
        let doc_starts = DocStarts::new(doc_starts, text.len());
        let comma = chars[1..].binary_search(&'、').ok().map(|i| i as u32 + 1);
        Index { text, chars, comma, doc_starts, doc_source, sa, lcp, buckets, word_start, word_end }
    }
}

/// The suffixes of the symbols at `positions` in suffix order: the order of the whole text's
/// suffixes, each compared to its end.
fn sort_positions<T: Ord + Sync>(text: &[T], positions: &mut [u32]) {
    positions.par_sort_unstable_by(|&a, &b| text[a as usize..].cmp(&text[b as usize..]));
}

impl Symbols {
    /// Indexed positions: those not at a separator (the length of the index they sort into).
    pub fn indexed(&self) -> usize {
        (0..self.text.len()).filter(|&p| self.text.at(p) != SEP).count()
    }

    /// About `parts` ranges of first symbols, each of about as many suffixes, together every
    /// symbol: the suffix ranges whose indexes ([`Symbols::sorted_range`]) cut the whole one.
    pub fn first_symbol_ranges(&self, parts: usize) -> Vec<std::ops::Range<u32>> {
        let starts = buckets(&self.text, self.chars.len());
        let total = *starts.last().unwrap_or(&0) as usize;
        let per = total.div_ceil(parts.max(1)).max(1);
        let mut ranges = Vec::new();
        let mut from = 1u32;
        for s in 1..self.chars.len() as u32 {
            // the range ends after the symbol that brings it to its share
            if starts[s as usize + 1] as usize >= per * (ranges.len() + 1) {
                ranges.push(from..s + 1);
                from = s + 1;
            }
        }
        if from < self.chars.len() as u32 || ranges.is_empty() {
            ranges.push(from..self.chars.len().max(1) as u32);
        }
        ranges
    }

    /// The index of the suffixes that begin with a symbol of `first`: the ranks of the whole
    /// index ([`Symbols::sorted`]) that those symbols hold, in the same order and with the
    /// same LCP. Its intervals are the whole index's intervals of those ranks, so phrases found
    /// range by range are those found at once; it counts only strings that begin with a symbol
    /// of `first`. The suffixes are compared, not built by libsais, so only the range's are held.
    pub fn sorted_range(self, first: std::ops::Range<u32>) -> Index {
        let Symbols { text, chars, doc_starts, doc_source, word_start, word_end } = self;
        let in_range = |p: usize| first.contains(&text.at(p));
        let mut sa: Vec<u32> = (0..text.len()).into_par_iter().filter(|&p| in_range(p)).map(|p| p as u32).collect();
        match &text {
            Syms::Narrow(t) => sort_positions(t, &mut sa),
            Syms::Wide(t) => sort_positions(t, &mut sa),
        }
        let lcp = lcp_array(&text, &sa);
        // the ranks of each symbol within the range: none for the others
        let mut buckets = vec![0u32; chars.len() + 1];
        for &p in &sa {
            buckets[text.at(p as usize) as usize + 1] += 1;
        }
        for s in 1..buckets.len() {
            buckets[s] += buckets[s - 1];
        }
        let doc_starts = DocStarts::new(doc_starts, text.len());
        let comma = chars[1..].binary_search(&'、').ok().map(|i| i as u32 + 1);
        Index { text, chars, comma, doc_starts, doc_source, sa, lcp, buckets, word_start, word_end }
    }
}

impl Index {
    /// The symbols back, the suffixes dropped: for the next range's index.
    pub fn into_symbols(self) -> Symbols {
        let Index { text, chars, doc_starts, doc_source, word_start, word_end, .. } = self;
        Symbols { text, chars, doc_starts: doc_starts.into_starts(), doc_source, word_start, word_end }
    }

    /// True when the `len` characters at `pos` begin and end on word boundaries.
    pub fn word_aligned(&self, pos: usize, len: usize) -> bool {
        len > 0 && bit(&self.word_start, pos) && bit(&self.word_end, pos + len - 1)
    }

    /// Indexed positions.
    pub fn len(&self) -> usize {
        self.sa.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sa.is_empty()
    }

    /// The string of `len` characters at text position `pos`.
    pub fn string_at(&self, pos: usize, len: usize) -> String {
        // of the exact size: the phrase detector keeps millions of these
        let chars = (pos..pos + len).map(|p| self.chars[self.text.at(p) as usize]);
        let mut out = String::with_capacity(chars.clone().map(char::len_utf8).sum());
        out.extend(chars);
        out
    }

    /// Text position of the suffix ranked `rank`.
    pub fn position(&self, rank: usize) -> usize {
        self.sa[rank] as usize
    }

    /// Document holding text position `pos`.
    pub fn doc_of(&self, pos: usize) -> u32 {
        self.doc_starts.doc_of(pos)
    }

    /// How far the text around two occurrences of a `len`-character match agrees: characters
    /// equal to the left and to the right (punctuation counts as equal to punctuation), each up to
    /// `cap`.
    pub fn shared_context(&self, a: usize, b: usize, len: usize, cap: usize) -> (usize, usize) {
        let left = (1..=cap).take_while(|&k| a >= k && b >= k && self.text.at(a - k) == self.text.at(b - k)).count();
        let right = (0..cap)
            .take_while(|&k| {
                let (x, y) = (a + len + k, b + len + k);
                x < self.text.len() && y < self.text.len() && self.text.at(x) == self.text.at(y)
            })
            .count();
        (left, right)
    }

    /// Source file of document `doc`.
    pub fn source_of(&self, doc: u32) -> u32 {
        self.doc_source[doc as usize]
    }

    /// The character before / after a match of `len` characters at `pos`; `None` at a separator.
    pub fn left_char(&self, pos: usize) -> Option<char> {
        pos.checked_sub(1).and_then(|p| self.char_of(p))
    }

    pub fn right_char(&self, pos: usize, len: usize) -> Option<char> {
        self.char_of(pos + len)
    }

    /// The neighbours of the occurrences at `positions` of a string of `len` characters: on the
    /// left, or on the right.
    pub fn neighbours(&self, positions: &[usize], len: usize, left: bool) -> Neighbours {
        let symbol =
            |p: usize| if left { p.checked_sub(1).map_or(SEP, |p| self.symbol_at(p)) } else { self.symbol_at(p + len) };
        Neighbours::of_symbols(positions.iter().map(|&p| symbol(p)).collect(), &self.chars)
    }

    /// The symbol at text position `pos`: `SEP` past the end.
    fn symbol_at(&self, pos: usize) -> u32 {
        self.text.get(pos).unwrap_or(SEP)
    }

    /// Where 、 first stands among the `len` characters at `pos`, counted from `pos`.
    pub fn find_comma(&self, pos: usize, len: usize) -> Option<usize> {
        let s = self.comma?;
        let end = (pos + len).min(self.text.len());
        match &self.text {
            Syms::Narrow(t) => t.get(pos..end)?.iter().position(|&x| u32::from(x) == s),
            Syms::Wide(t) => t.get(pos..end)?.iter().position(|&x| x == s),
        }
    }

    fn char_of(&self, pos: usize) -> Option<char> {
        match self.text.get(pos) {
            Some(s) if s != SEP => Some(self.chars[s as usize]),
            _ => None,
        }
    }

    /// True when `c` is one of the indexed characters.
    pub fn knows(&self, c: char) -> bool {
        self.chars[1..].binary_search(&c).is_ok()
    }

    fn encode(&self, s: &str) -> Option<Vec<u32>> {
        s.chars()
            .map(|c| self.chars[1..].binary_search(&c).ok().map(|i| i as u32 + 1))
            .collect::<Option<Vec<_>>>()
            .filter(|v| !v.is_empty() && v.len() <= DEPTH)
    }

    /// The ranks `lb..rb` (exclusive) of the suffixes that start with `s`; empty when `s` does not
    /// occur, holds a separator character, or is longer than [`DEPTH`].
    pub fn range(&self, s: &str) -> std::ops::Range<usize> {
        let Some(q) = self.encode(s) else { return 0..0 };
        self.prefix_ranges(&q).last().unwrap_or(0..0)
    }

    /// The rank ranges of the suffixes that start with `q[..1]`, `q[..2]`, … (ending at the first
    /// empty one): the first from the symbol's bucket, each next found inside the last, where the
    /// suffixes share everything but the next symbol, by two binary searches on that symbol.
    fn prefix_ranges<'a>(&'a self, q: &'a [u32]) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
        let first = q.first().map(|&c| self.buckets[c as usize] as usize..self.buckets[c as usize + 1] as usize);
        std::iter::successors(first.map(|r| (1, r)), move |(depth, r)| {
            let &c = q.get(*depth)?;
            if r.is_empty() {
                return None;
            }
            // the symbol after the shared prefix (the text ends with a separator, so it exists)
            let next = |rank: usize| self.text.at(self.sa[rank] as usize + depth);
            let lb = r.start + partition(r.clone(), |k| next(k) < c);
            let rb = r.start + partition(r.clone(), |k| next(k) <= c);
            Some((depth + 1, lb..rb))
        })
        .map(|(_, r)| r)
    }

    /// Occurrences of `s` (overlapping ones included).
    pub fn count(&self, s: &str) -> usize {
        self.range(s).len()
    }

    /// Occurrences of each prefix of `s` that ends at a character: `counts[k]` for the first
    /// `k + 1` characters; all 0 when `s` holds a separator or is longer than [`DEPTH`].
    pub fn prefix_counts(&self, s: &str) -> Vec<usize> {
        let n = s.chars().count();
        let mut counts = match self.encode(s) {
            Some(q) => self.prefix_ranges(&q).map(|r| r.len()).collect(),
            None => Vec::new(),
        };
        counts.resize(n, 0);
        counts
    }

    /// Characters shared by the interval's suffixes and the nearest ones outside it: the
    /// length of the enclosing interval. Every occurrence of a prefix of the interval's string
    /// longer than this is one of the interval's.
    pub fn enclosing_len(&self, iv: &Interval) -> usize {
        let before = if iv.lb == 0 { 0 } else { self.lcp[iv.lb] as usize };
        let after = self.lcp.get(iv.rb + 1).map_or(0, |&l| l as usize);
        before.max(after)
    }

    /// Free the LCP array once no more [`Index::intervals`] are wanted (they find none after).
    pub fn release_lcp(&mut self) {
        self.lcp = Vec::new();
    }

    /// Every repeated sequence (occurring at least twice) of `min_len..=max_len` characters that
    /// is right-branching (its occurrences continue differently), in suffix order.
    pub fn intervals(&self, min_len: usize, max_len: usize, visit: impl FnMut(Interval)) {
        self.intervals_within(0..self.sa.len(), min_len, max_len, visit);
    }

    /// The ranks cut into about `parts` ranges that no repeat of `min_len` or more characters
    /// crosses (each begins where the LCP falls below `min_len`): [`Index::intervals_within`]
    /// of each finds, between them, what [`Index::intervals`] finds.
    pub fn interval_ranges(&self, min_len: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
        let n = self.sa.len();
        if min_len == 0 {
            // the whole corpus's interval (length 0) spans every rank
            return std::iter::once(0..n).collect();
        }
        let step = n.div_ceil(parts.max(1)).max(1);
        let mut starts = vec![0];
        let mut at = step;
        while at < n {
            match (at..n).find(|&i| (self.lcp[i] as usize) < min_len) {
                Some(i) => {
                    starts.push(i);
                    at = i + step;
                }
                None => break,
            }
        }
        starts.push(n);
        starts.dedup();
        starts.windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// [`Index::intervals`] of the ranks `ranks`, a range of [`Index::interval_ranges`]: the
    /// repeats whose occurrences all rank there, in suffix order.
    pub fn intervals_within(
        &self,
        ranks: std::ops::Range<usize>,
        min_len: usize,
        max_len: usize,
        mut visit: impl FnMut(Interval),
    ) {
        let max_len = max_len.min(DEPTH);
        let from = ranks.start;
        crate::suffix::lcp_intervals(
            ranks.len(),
            |i| self.lcp[from + i] as usize,
            |len, lb, rb| {
                if (min_len..=max_len).contains(&len) {
                    visit(Interval { len, lb: from + lb, rb: from + rb });
                }
            },
        );
    }
}

/// How many ranks of `r` satisfy `pred`, which holds for a first run of them and then never.
fn partition(r: std::ops::Range<usize>, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (r.start, r.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo - r.start
}

/// The first rank of each symbol's suffixes (and one past the last): every position not at a
/// separator is ranked, in symbol order.
fn buckets(text: &Syms, symbols: usize) -> Vec<u32> {
    let mut starts = vec![0u32; symbols + 1];
    for s in (0..text.len()).map(|p| text.at(p)).filter(|&s| s != SEP) {
        starts[s as usize] += 1;
    }
    let mut at = 0u32;
    for slot in starts.iter_mut() {
        let n = *slot;
        *slot = at;
        at += n;
    }
    starts
}

/// Positions of `text` not at a separator, in suffix order.
fn sort_suffixes(text: &mut Syms, alphabet: usize) -> Vec<u32> {
    let sa = match text {
        Syms::Narrow(t) => crate::suffix::suffix_array_16(t),
        Syms::Wide(t) => crate::suffix::suffix_array(t, alphabet),
    };
    // the suffixes that start with a separator sort first (it is the least symbol): dropping
    // them is dropping the array's first entries, one per separator, with no look at the text
    let separators = (0..text.len()).filter(|&p| text.at(p) == SEP).count();
    let mut sa = sa;
    sa.drain(..separators);
    sa
}

fn lcp_array(text: &Syms, sa: &[u32]) -> Vec<u8> {
    match text {
        Syms::Narrow(t) => lcp_of(t, sa),
        Syms::Wide(t) => lcp_of(t, sa),
    }
}

/// [`lcp_array`] of symbols of one width.
fn lcp_of<T: Copy + PartialEq + Default + Sync>(text: &[T], sa: &[u32]) -> Vec<u8> {
    let sep = T::default(); // SEP, 0 in either width
    (0..sa.len())
        .into_par_iter()
        .map(|i| {
            if i == 0 {
                return 0;
            }
            let (a, b) = (sa[i - 1] as usize, sa[i] as usize);
            let (x, y) = (&text[a..text.len().min(a + DEPTH)], &text[b..text.len().min(b + DEPTH)]);
            x.iter().zip(y).take_while(|&(p, q)| p == q && *p != sep).count() as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_count(texts: &[&str], s: &str) -> usize {
        texts.iter().map(|t| (0..t.len()).filter(|&i| t.is_char_boundary(i) && t[i..].starts_with(s)).count()).sum()
    }

    /// Generated documents over a few characters, 、 and punctuation: empty ones, and ones longer
    /// than a block of the document table.
    fn generated(seed: u64) -> Vec<String> {
        let pieces = ["学", "思", "想", "、", "，", "。", "\n", "党", "性", "a"];
        let mut g = crate::testgen::Lcg(seed);
        (0..g.next(12) + 1)
            .map(|_| {
                let n = [0, 1, 5, 300, 1500, 3000][g.next(6)];
                (0..n).map(|_| pieces[g.next(pieces.len())]).collect()
            })
            .collect()
    }

    #[test]
    fn documents_turned_into_symbols_in_runs_equal_one_pass_over_the_corpus() {
        let seg = crate::segment::Segmenter::new(&crate::resources::Resources::builtin().unwrap());
        let pieces = ["学习", "思想", "，", "。", "、", "党性", "a", "\n", "建设", "！"];
        for seed in 0..6u64 {
            let mut g = crate::testgen::Lcg(seed);
            // far more documents than runs, some empty or all punctuation
            let texts: Vec<String> = (0..g.next(300) + 100)
                .map(|_| (0..[0, 1, 3, 20][g.next(4)]).map(|_| pieces[g.next(pieces.len())]).collect())
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let segs: Vec<_> = refs.iter().map(|t| seg.segment(t)).collect();
            let got = Symbols::of(&refs, &segs, &[]);
            // one pass over every document in order, as one text
            let mut one = Run::default();
            for (t, s) in refs.iter().zip(&segs) {
                let symbol = |c: char| got.chars[1..].binary_search(&c).map_or(SEP, |i| i as u32 + 1);
                one.push_document(t, &s.tokens, symbol);
            }
            let all = |t: &Syms| (0..t.len()).map(|p| t.at(p)).collect::<Vec<u32>>();
            assert_eq!(all(&got.text), all(&one.text), "seed {seed}");
            assert_eq!(got.doc_starts, one.doc_starts, "seed {seed}");
            let set =
                |bits: &[u64]| (0..bits.len() * 64).filter(|&p| bit(bits, p)).map(|p| p as u32).collect::<Vec<_>>();
            assert_eq!(set(&got.word_start), one.word_start, "seed {seed}");
            assert_eq!(set(&got.word_end), one.word_end, "seed {seed}");
            assert!(!one.word_start.is_empty());

            // the same documents turned into symbols a batch at a time (every third one, then
            // the rest, as range tasks read partials) and put back in order
            let sources: Vec<u32> = (0..refs.len() as u32).map(|d| d / 4).collect();
            let mut seen = CharsSeen::default();
            let batches: [Vec<usize>; 2] =
                [(0..refs.len()).filter(|d| d % 3 == 1).collect(), (0..refs.len()).filter(|d| d % 3 != 1).collect()];
            for b in &batches {
                seen.see(&b.iter().map(|&d| refs[d]).collect::<Vec<_>>());
            }
            let alphabet = seen.alphabet(true);
            let mut docs: Vec<(usize, DocSymbols)> = Vec::new();
            for b in &batches {
                let texts: Vec<&str> = b.iter().map(|&d| refs[d]).collect();
                let words = |i: usize| Ok::<_, ()>(segs[b[i]].tokens.clone());
                docs.extend(b.iter().copied().zip(alphabet.documents(&texts, words).unwrap()));
            }
            docs.sort_by_key(|d| d.0);
            let joined = alphabet.join_documents(docs.into_iter().map(|d| d.1).collect(), sources.clone());
            let whole = Symbols::of(&refs, &segs, &sources);
            assert_eq!(all(&joined.text), all(&whole.text), "seed {seed}");
            assert_eq!(joined.chars, whole.chars);
            assert_eq!(joined.doc_starts, whole.doc_starts);
            assert_eq!(joined.doc_source, whole.doc_source);
            assert_eq!(set(&joined.word_start), set(&whole.word_start));
            assert_eq!(set(&joined.word_end), set(&whole.word_end));
        }
    }

    #[test]
    fn documents_neighbours_and_commas_equal_a_plain_look_at_the_text() {
        for seed in 0..24u64 {
            let texts = generated(seed);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            for idx in [Index::build(&refs), Symbols::of_width(&refs, &[], &[], false).sorted()] {
                let n = idx.text.len();
                for p in 0..n {
                    let doc = idx.doc_starts.partition_point(|&s| s as usize <= p) - 1;
                    assert_eq!(idx.doc_of(p), doc as u32, "seed {seed}, position {p}");
                }
                // every suffix not at a separator, each once, in order
                assert_eq!(idx.sa.len(), (0..n).filter(|&p| idx.text.at(p) != SEP).count());
                assert!(idx.sa.iter().all(|&p| idx.text.at(p as usize) != SEP));
                for len in [1, 2, 3, 7] {
                    for r in 0..idx.sa.len().saturating_sub(5) {
                        let ps: Vec<usize> = (r..r + 5).map(|r| idx.position(r)).collect();
                        let lefts = Neighbours::of(ps.iter().map(|&p| idx.left_char(p)).collect());
                        let rights = Neighbours::of(ps.iter().map(|&p| idx.right_char(p, len)).collect());
                        assert_eq!(idx.neighbours(&ps, len, true), lefts, "seed {seed}");
                        assert_eq!(idx.neighbours(&ps, len, false), rights, "seed {seed}");
                        let comma = (0..len).find(|&k| idx.right_char(ps[0], k) == Some('、'));
                        assert_eq!(idx.find_comma(ps[0], len), comma, "seed {seed}");
                    }
                }
                for i in 1..idx.sa.len() {
                    let (a, b) = (idx.position(i - 1), idx.position(i));
                    let same = (0..DEPTH)
                        .take_while(|&l| idx.char_of(a + l).is_some() && idx.char_of(a + l) == idx.char_of(b + l));
                    assert_eq!(idx.lcp[i] as usize, same.count(), "seed {seed}, rank {i}");
                }
            }
        }
    }

    #[test]
    fn counts_match_a_naive_scan() {
        let texts = [
            "学思想、强党性、重实践、建新功。学思想，强党性",
            "要学思想、强党性！主题教育主题教育",
            "banana 香蕉香蕉香蕉",
        ];
        let idx = Index::build(&texts);
        for s in [
            "学思想",
            "学思想、强党性",
            "强党性",
            "主题教育",
            "题教",
            "香蕉香蕉",
            "ana",
            "、",
            "不在",
            "学思想，强党性",
        ] {
            let want = if s.contains('，') { 0 } else { naive_count(&texts, s) };
            assert_eq!(idx.count(s), want, "{s}");
        }
    }

    #[test]
    fn every_substring_and_prefix_is_counted_as_a_scan_counts_it() {
        // generated texts of a few characters, so that every substring repeats at many depths,
        // with separators inside lines and documents that copy others whole
        let mut g = crate::testgen::Lcg(0x9E37_79B9_7F4A_7C15);
        let mut next = move |m: u64| g.next(m as usize) as u64;
        let alphabet = ['主', '题', '教', '育', '、', '，'];
        let mut texts: Vec<String> = Vec::new();
        for d in 0..12 {
            let t: String = if d > 2 && next(4) == 0 {
                texts[next(d as u64) as usize].clone()
            } else {
                (0..next(40)).map(|_| alphabet[next(alphabet.len() as u64) as usize]).collect()
            };
            texts.push(t);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let idx = Index::build(&refs);
        for t in &refs {
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                for j in i + 1..=chars.len().min(i + 8) {
                    let s: String = chars[i..j].iter().collect();
                    let want = |s: &str| if s.contains('，') { 0 } else { naive_count(&refs, s) };
                    assert_eq!(idx.count(&s), want(&s), "{s}");
                    let prefixes: Vec<usize> =
                        (1..=j - i).map(|k| want(&chars[i..i + k].iter().collect::<String>())).collect();
                    // all 0 for a string the index cannot count
                    let prefixes = if s.contains('，') { vec![0; j - i] } else { prefixes };
                    assert_eq!(idx.prefix_counts(&s), prefixes, "{s}");
                }
            }
        }
    }

    #[test]
    fn symbols_of_32_bits_index_as_those_of_16_do() {
        // the 32-bit symbols of a corpus of more than 65,535 distinct characters, taken here for
        // a small one
        let mut g = crate::testgen::Lcg(0x2545_F491_4F6C_DD1D);
        let alphabet = ['学', '思', '想', '、', '强', '党', '性', '，', 'a'];
        let texts: Vec<String> =
            (0..9).map(|_| (0..g.next(60)).map(|_| alphabet[g.next(alphabet.len())]).collect()).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let narrow = Index::build(&refs);
        let wide = Symbols::of_width(&refs, &[], &[], false).sorted();
        assert!(matches!(narrow.text, Syms::Narrow(_)) && matches!(wide.text, Syms::Wide(_)));
        assert_eq!((&narrow.sa, &narrow.lcp, &narrow.buckets), (&wide.sa, &wide.lcp, &wide.buckets));
        for t in &refs {
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                let s: String = chars[i..chars.len().min(i + 6)].iter().collect();
                let want = if s.contains('，') { 0 } else { naive_count(&refs, &s) };
                assert_eq!((narrow.count(&s), wide.count(&s)), (want, want), "{s}");
            }
        }
        for r in 0..wide.len() {
            let p = wide.position(r);
            assert_eq!(wide.string_at(p, 3.min(wide.text.len() - p)), narrow.string_at(p, 3.min(wide.text.len() - p)));
        }
    }

    #[test]
    fn indexes_of_first_symbol_ranges_cut_the_whole_one() {
        for seed in 0..8u64 {
            let mut texts = generated(seed);
            // a document copied whole, a line of one copied into another, and the last one
            // copied to the end, so suffixes agree up to a document's or the text's end
            if let Some(first) = texts.first().cloned() {
                texts.push(first.clone());
                texts.push(format!("学{}", first.lines().next().unwrap_or("")));
            }
            if let Some(last) = texts.last().cloned() {
                texts.push(last);
            }
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let whole = Index::build(&refs);
            let probes = ["学", "学思", "、党", "思想、", "a学", "性性", "想"];
            for parts in [1, 2, 3, 7, 40] {
                let mut symbols = Symbols::of(&refs, &[], &[]);
                assert_eq!(symbols.indexed(), whole.len());
                let ranges = symbols.first_symbol_ranges(parts);
                assert_eq!(ranges.first().map(|r| r.start), Some(1));
                assert!(ranges.windows(2).all(|w| w[0].end == w[1].start), "{ranges:?}");
                let (mut sa, mut lcp) = (Vec::new(), Vec::new());
                for r in ranges {
                    let idx = symbols.sorted_range(r.clone());
                    sa.extend_from_slice(&idx.sa);
                    lcp.extend_from_slice(&idx.lcp);
                    // a range's index counts the strings that begin in it, and no other
                    for s in probes {
                        let begins = s.chars().next().is_some_and(|c| idx.knows(c))
                            && r.contains(&idx.encode(s).map_or(0, |q| q[0]));
                        assert_eq!(idx.count(s), if begins { naive_count(&refs, s) } else { 0 }, "{s} in {r:?}");
                    }
                    symbols = idx.into_symbols();
                }
                assert_eq!(sa, whole.sa, "seed {seed}, {parts} parts");
                assert_eq!(lcp, whole.lcp, "seed {seed}, {parts} parts");
            }
        }
    }

    #[test]
    fn sorted_and_lcp_correct() {
        let texts = ["阿巴阿巴阿卡", "巴阿巴", "卡阿巴阿巴阿"];
        let idx = Index::build(&texts);
        let suffix = |r: usize| {
            let p = idx.position(r);
            (p..idx.text.len()).map(|q| idx.text.at(q)).take_while(|&s| s != SEP).collect::<Vec<_>>()
        };
        for r in 1..idx.len() {
            assert!(suffix(r - 1) <= suffix(r));
            let common = suffix(r - 1).iter().zip(suffix(r)).take_while(|(a, b)| **a == *b).count();
            assert_eq!(idx.lcp[r] as usize, common);
        }
    }

    #[test]
    fn the_intervals_of_the_ranges_are_the_whole_indexs() {
        // generated documents of few characters, so repeats of every length nest and touch
        let mut g = crate::testgen::Lcg(0x9E37_79B9_7F4A_7C15);
        for round in 0..60 {
            let alphabet: Vec<char> = "学思想强党性重实践建新功、".chars().take(2 + round % 11).collect();
            let texts: Vec<String> = (0..1 + g.next(6))
                .map(|_| (0..g.next(300)).map(|_| alphabet[g.next(alphabet.len())]).collect())
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let idx = Index::build(&refs);
            for min_len in [0, 1, 2, 4, 7] {
                let mut whole = Vec::new();
                idx.intervals(min_len, 12, |iv| whole.push(iv));
                for parts in [1, 2, 5, 64, 10_000] {
                    let ranges = idx.interval_ranges(min_len, parts);
                    assert_eq!(ranges.first().map_or(0, |r| r.start), 0);
                    assert_eq!(ranges.last().map_or(0, |r| r.end), idx.len());
                    assert!(ranges.windows(2).all(|w| w[0].end == w[1].start && !w[0].is_empty()));
                    let mut pieces = Vec::new();
                    for r in ranges {
                        idx.intervals_within(r, min_len, 12, |iv| pieces.push(iv));
                    }
                    let key = |iv: &Interval| (iv.lb, iv.rb, iv.len);
                    whole.sort_by_key(key);
                    pieces.sort_by_key(key);
                    assert_eq!(pieces, whole, "round {round}, min_len {min_len}, parts {parts}");
                }
            }
        }
    }

    #[test]
    fn intervals_are_the_repeats() {
        let texts = ["不忘初心、牢记使命，不忘初心", "牢记使命"];
        let idx = Index::build(&texts);
        let mut found = Vec::new();
        idx.intervals(2, 10, |iv| found.push((idx.string_at(idx.position(iv.lb), iv.len), iv.occurrences())));
        found.sort();
        assert!(found.contains(&("不忘初心".to_string(), 2)), "{found:?}");
        assert!(found.contains(&("牢记使命".to_string(), 2)), "{found:?}");
        // 忘初心 always continues the same way after 不: it is a repeat, but 不忘初心 is its left extension
        assert!(found.iter().all(|(_, n)| *n >= 2));
        let mut docs: Vec<u32> = idx.range("牢记使命").map(|r| idx.doc_of(idx.position(r))).collect();
        docs.sort();
        assert_eq!(docs, [0, 1]);
    }
}
