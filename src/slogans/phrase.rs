//! Phrase detector: recurring character sequences of any slogan length (4 to 48 characters, up
//! to 14 between two 、) that stand freely — varied characters on both sides, measured as
//! neighbour entropy — begin and end on word boundaries in most of their occurrences, and recur
//! in several documents. Sequences that always sit inside one longer phrase are not reported: a
//! phrase must continue differently on the right (an LCP interval of the index; or be followed
//! by 、 every time, an item only ever listed, judged as a possible set phrase) and be preceded
//! by different characters on the left. A phrase seen in just two documents cut from one file
//! must not sit in the same surrounding text in both (a passage copied within a file).

use rayon::prelude::*;

use super::index::{Index, Interval};
use super::setphrase::{self, Usage};

/// Limits of the phrase detector.
#[derive(Debug, Clone, Copy)]
pub struct PhraseLimits {
    pub min_chars: usize,
    pub max_chars: usize,
    /// Longest stretch between two 、 (or the whole phrase when it has none).
    pub max_part_chars: usize,
    pub min_docs: usize,
    /// Characters of identical surrounding text that make two occurrences in documents from one
    /// source file a single copied passage rather than two uses of a phrase.
    pub copied_context: usize,
    /// Least left and right neighbour entropy, in bits.
    pub min_entropy: f64,
}

impl Default for PhraseLimits {
    fn default() -> Self {
        PhraseLimits {
            min_chars: 4,
            max_chars: 48,
            max_part_chars: 14,
            min_docs: 2,
            copied_context: 8,
            min_entropy: 1.0,
        }
    }
}

/// How freely and how often a string occurs in the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freedom {
    pub occurrences: u32,
    pub docs: u32,
    pub sources: u32,
    pub left_entropy: f64,
    pub right_entropy: f64,
    /// Not free by its entropies, but free when a principle verb before it and the principle
    /// it names after it count as separators (实施 | 科教兴国战略, 坚持 | 外防输入、内防反弹,
    /// 稳定压倒一切 | 的方针; see `setphrase::framed_free`).
    pub framed: bool,
    /// How the corpus uses it, when it may be a set phrase (see [`super::setphrase::usage_at`]).
    pub set: Option<Usage>,
    /// Every occurrence is followed by 、: an item only ever listed (交通强国、), a set phrase
    /// only where its family vouches for it (see [`super::setphrase::select`]).
    pub listed: bool,
}

impl Freedom {
    /// Both neighbour entropies reach `min`, or it is free within its frames.
    pub fn free(&self, min: f64) -> bool {
        (self.left_entropy >= min && self.right_entropy >= min) || self.framed
    }
}

/// Occurrences, documents and neighbour entropies of the suffixes ranked `lb..rb` that share
/// their first `len` characters.
/// In fewer than `min_docs` documents it cannot be a phrase or a set phrase: the framed
/// freedom and the set-phrase usage are then not looked at.
pub fn freedom(index: &Index, ranks: std::ops::Range<usize>, len: usize, min_docs: usize) -> Freedom {
    let positions: Vec<usize> = ranks.map(|r| index.position(r)).collect();
    let (docs, sources) = docs_and_sources(index, &positions);
    let (lefts, rights) = (index.neighbours(&positions, len, true), index.neighbours(&positions, len, false));
    let (left_entropy, right_entropy) = (lefts.entropy(), rights.entropy());
    let plain = left_entropy >= super::MIN_ENTROPY && right_entropy >= super::MIN_ENTROPY;
    // the framed freedom counts other neighbours than the plain ones only after a principle
    // verb and before 的: a side without either is no freer framed than plain
    let may_be_framed = !plain
        && (left_entropy >= super::MIN_ENTROPY || lefts.count_of(setphrase::may_end_principle_verb) > 0)
        && (right_entropy >= super::MIN_ENTROPY || rights.has('的'));
    let judged = docs.len() >= min_docs;
    // the surroundings of the occurrences, looked at once for the framed freedom and the usage
    let set_shaped = judged
        && positions.first().is_some_and(|&p| setphrase::may_be_set(index, p, len))
        && setphrase::may_have_context(&lefts, &rights);
    let around =
        if set_shaped || (judged && may_be_framed) { setphrase::arounds(index, &positions, len) } else { Vec::new() };
    Freedom {
        occurrences: positions.len() as u32,
        docs: docs.len() as u32,
        sources: sources as u32,
        left_entropy,
        right_entropy,
        framed: judged && may_be_framed && setphrase::framed_free(&around, false, super::MIN_ENTROPY),
        set: set_shaped.then(|| setphrase::usage_among(&around, 0, false, super::MIN_ENTROPY)).flatten(),
        listed: false,
    }
}

/// The distinct documents of the occurrences at `positions`, in order, and how many source
/// files they come from.
pub(super) fn docs_and_sources(index: &Index, positions: &[usize]) -> (Vec<u32>, usize) {
    let mut docs: Vec<u32> = positions.iter().map(|&p| index.doc_of(p)).collect();
    docs.sort_unstable();
    docs.dedup();
    let mut sources: Vec<u32> = docs.iter().map(|&d| index.source_of(d)).collect();
    sources.sort_unstable();
    sources.dedup();
    (docs, sources.len())
}

/// Freedom of any string the index can count (`None` if it holds a separator or is too long).
pub fn freedom_of(index: &Index, s: &str) -> Option<Freedom> {
    let r = index.range(s);
    (!r.is_empty()).then(|| freedom(index, r, s.chars().count(), 0))
}

/// Cohesion of `s`: the pointwise mutual information (bits) of its weakest split into a left
/// and a right part, from occurrence counts in the index. High when the parts rarely occur
/// apart. `None` for strings the index cannot count.
pub fn cohesion(index: &Index, s: &str) -> Option<f64> {
    // the left parts are the prefixes, counted in one descent
    let prefixes: Vec<u64> = index.prefix_counts(s).into_iter().map(|c| c as u64).collect();
    cohesion_from(s, index.len() as u64, &prefixes, |_, r| index.count(r) as u64)
}

/// [`cohesion`] from the positions indexed (`n`), the occurrences of each prefix of `s` and
/// `count(k, r)`, the occurrences of the right part `r` that starts at character `k`.
pub(super) fn cohesion_from(s: &str, n: u64, prefixes: &[u64], count: impl Fn(usize, &str) -> u64) -> Option<f64> {
    let n = n as f64;
    let whole = prefixes.last().copied().unwrap_or(0) as f64;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if whole == 0.0 || chars.len() < 2 {
        return None;
    }
    let mut weakest = f64::INFINITY;
    for (k, &(b, _)) in chars.iter().enumerate().skip(1) {
        let (l, r) = (&s[..b], &s[b..]);
        if l.ends_with('、') || r.starts_with('、') {
            continue; // a split at the comma is not a word boundary to test
        }
        let (cl, cr) = (prefixes[k - 1] as f64, count(k, r) as f64);
        weakest = weakest.min((whole * n / (cl * cr)).log2());
    }
    weakest.is_finite().then_some(weakest)
}

/// True when a phrase's parts between 、 are each 2 to `max_part` characters (a phrase without
/// 、 up to `max_part` + 10, the length of a campaign's full name) and its first part is not shorter than the median of the others by
/// more than one character: a phrase that starts inside a list item (部署、扎实推进 from
/// 从严部署、扎实推进) is a fragment.
pub fn balanced(text: &str, max_part: usize) -> bool {
    balanced_parts(&text.split('、').map(|p| p.chars().count()).collect::<Vec<_>>(), max_part)
}

/// [`balanced`] of the `len` characters at `pos` in the index.
fn balanced_at(index: &Index, pos: usize, len: usize, max_part: usize) -> bool {
    let (mut parts, mut from) = (Vec::new(), 0);
    while let Some(k) = index.find_comma(pos + from, len - from) {
        parts.push(k);
        from += k + 1;
    }
    parts.push(len - from);
    balanced_parts(&parts, max_part)
}

/// [`balanced`] of a phrase whose parts between 、 have these lengths.
fn balanced_parts(parts: &[usize], max_part: usize) -> bool {
    if parts.len() == 1 {
        return parts[0] <= max_part + 10;
    }
    let mut rest = parts[1..].to_vec();
    rest.sort_unstable();
    let median = rest[rest.len() / 2];
    parts.iter().all(|&n| (2..=max_part).contains(&n)) && parts[0] + 1 >= median
}

/// Every phrase of the corpus within `limits`, with its freedom, sorted by text.
pub fn find_phrases(index: &Index, limits: PhraseLimits) -> Vec<(String, Freedom)> {
    // the ranks in ranges no repeat crosses, each walked and judged on its own, in parallel: the
    // intervals are judged as they are found, never held; each range's phrases are kept apart
    // and moved into one vector of the exact size at the end, so no growing vector holds its
    // old and new buffers at once
    const RANGES_PER_THREAD: usize = 16;
    let ranges = index.interval_ranges(limits.min_chars, RANGES_PER_THREAD * rayon::current_num_threads());
    let parts: Vec<Vec<(String, Freedom)>> = ranges
        .into_par_iter()
        .map(|ranks| {
            let mut part = Vec::new();
            index.intervals_within(ranks, limits.min_chars, limits.max_chars, |iv| {
                // the first item of a list that recurs whole (稳字当头 in 稳字当头、稳中求进) has
                // no interval of its own either: it is judged as the item only ever listed it is
                let item = first_item(index, &iv, limits.min_chars);
                // nor has a phrase that always goes on into the principle it names (稳定压倒一切
                // in 稳定压倒一切的方针): it is judged with its frame as its right edge
                let head = framed_head(index, &iv, limits.min_chars);
                for iv in item.iter().chain(&head).chain([&iv]) {
                    part.extend(judge_interval(index, iv, limits));
                }
            });
            part.shrink_to_fit();
            part
        })
        .collect();
    let mut found = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        found.extend(part);
    }
    // each interval is another string: no two are equal, and no merge buffer is needed
    found.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The interval of `iv`'s first item with its 、 (`稳字当头、` of `稳字当头、稳中求进`), when that item
/// is at least `min_chars` long, is not all of `iv` but for the 、, and has no interval of its
/// own (its occurrences are `iv`'s).
fn first_item(index: &Index, iv: &Interval, min_chars: usize) -> Option<Interval> {
    let k = index.find_comma(index.position(iv.lb), iv.len.saturating_sub(1))?;
    (k >= min_chars && index.enclosing_len(iv) < k).then_some(Interval { len: k + 1, ..*iv })
}

/// The interval of `iv`'s head before the first frame noun in it (稳定压倒一切 of
/// 稳定压倒一切的方针; see [`super::setphrase::frame_at`]), when that head is at least
/// `min_chars` long and has no interval of its own (its occurrences are `iv`'s).
/// A head that always goes on into 的 and then differently, each time into a principle it
/// names (创新、协调、绿色、开放、共享 of …的发展理念 and …的新发展理念), is found at the
/// interval that ends in that 的, unless a principle verb opens it (贯彻积极防御 of
/// …的战略方针 and …的军事战略方针: the verb is not part of the principle).
fn framed_head(index: &Index, iv: &Interval, min_chars: usize) -> Option<Interval> {
    use super::setphrase::{frame_at, principle_verb};
    let pos = index.position(iv.lb);
    let k = match (min_chars..iv.len).find(|&k| frame_at(index, pos, k, iv.len)) {
        Some(k) => k,
        None => {
            let k = iv.len.checked_sub(1).filter(|&k| k >= min_chars)?;
            let verb_first = || principle_verb(index.right_char(pos, 0), index.right_char(pos, 1));
            let names = |r: usize| frame_at(index, index.position(r), k, usize::MAX);
            (index.right_char(pos, k) == Some('的') && !verb_first() && (iv.lb..=iv.rb).all(names)).then_some(k)?
        }
    };
    (index.enclosing_len(iv) < k).then_some(Interval { len: k, ..*iv })
}

/// True when the first two documents of the occurrences at `positions` (in suffix order) of a
/// `len`-character phrase share `context` characters around it: a passage copied, not a phrase
/// used twice.
pub(super) fn copied(index: &Index, positions: &[usize], len: usize, context: usize) -> bool {
    let first_doc = index.doc_of(positions[0]);
    let other = positions.iter().copied().find(|&p| index.doc_of(p) != first_doc);
    other.is_some_and(|b| {
        let (l, r) = index.shared_context(positions[0], b, len, context);
        l + r >= context
    })
}

/// The phrase of one interval with its freedom, if it is one.
fn judge_interval(index: &Index, iv: &Interval, limits: PhraseLimits) -> Option<(String, Freedom)> {
    {
        {
            let pos = index.position(iv.lb);
            let first = index.right_char(pos, 0)?;
            // a string always followed by 、 (an item only ever listed, 交通强国、) has no
            // interval of its own: it is judged as this one less the 、
            let listed = index.right_char(pos, iv.len - 1) == Some('、')
                && iv.len > limits.min_chars
                && index.enclosing_len(iv) < iv.len - 1;
            let iv = &Interval { len: iv.len - listed as usize, ..*iv };
            let last = index.right_char(pos, iv.len - 1)?;
            if first == '、' || last == '、' || !crate::clean::is_han(first) || !crate::clean::is_han(last) {
                return None;
            }
            if !balanced_at(index, pos, iv.len, limits.max_part_chars) {
                return None;
            }
            // the string is spelled only for a phrase kept
            let text = || index.string_at(pos, iv.len);
            // on word boundaries in at least half of its occurrences: stop counting once decided
            let (mut aligned, mut not) = (0, 0);
            for r in iv.lb..=iv.rb {
                if index.word_aligned(index.position(r), iv.len) {
                    aligned += 1
                } else {
                    not += 1
                }
                if 2 * not > iv.occurrences() || 2 * aligned >= iv.occurrences() {
                    break;
                }
            }
            if 2 * aligned < iv.occurrences() {
                return None;
            }
            let f = Freedom { listed, ..freedom(index, iv.lb..iv.rb + 1, iv.len, limits.min_docs) };
            let copied = f.docs == 2 && f.sources == 1 && {
                let positions: Vec<usize> = (iv.lb..=iv.rb).map(|r| index.position(r)).collect();
                copied(index, &positions, iv.len, limits.copied_context)
            };
            (f.docs as usize >= limits.min_docs && !copied && (f.free(limits.min_entropy) || f.set.is_some()))
                .then(|| (text(), f))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slogans::stats::Neighbours;

    /// Entropy (bits) of neighbours, where every separator (punctuation, document edge) counts
    /// as a neighbour of its own: a phrase between quotes or commas stands free.
    fn entropy(neighbours: Vec<Option<char>>) -> f64 {
        Neighbours::of(neighbours).entropy()
    }

    #[test]
    fn entropy_counts_separators_apart() {
        assert_eq!(entropy(vec![Some('的'), Some('的')]), 0.0);
        assert_eq!(entropy(vec![None, None]), 1.0);
        assert_eq!(entropy(vec![Some('要'), Some('和'), None, None]), 2.0);
    }

    /// The framed freedom and the set-phrase usage as they were before the neighbours were
    /// looked at first: from the surroundings of every occurrence.
    fn unpruned(index: &Index, s: &str) -> (bool, Option<Usage>) {
        let len = s.chars().count();
        let positions: Vec<usize> = index.range(s).map(|r| index.position(r)).collect();
        let f = freedom_of(index, s).unwrap();
        let plain = f.left_entropy >= super::super::MIN_ENTROPY && f.right_entropy >= super::super::MIN_ENTROPY;
        let around = setphrase::arounds(index, &positions, len);
        let framed = !plain && setphrase::framed_free(&around, false, super::super::MIN_ENTROPY);
        let set_shaped = setphrase::may_be_set(index, positions[0], len);
        let set = set_shaped.then(|| setphrase::usage_among(&around, 0, false, super::super::MIN_ENTROPY)).flatten();
        (framed, set)
    }

    #[test]
    fn neighbours_looked_at_first_change_no_freedom() {
        // principle verbs, 落实, frame nouns and their modifiers, 的 and 、 around a few phrases
        let pieces = [
            "坚持",
            "贯彻落实",
            "实行",
            "建设",
            "践行",
            "高举",
            "的",
            "方针",
            "战略",
            "工作总基调",
            "理念",
            "、",
            "，",
            "。",
            "\n",
            "稳中求进",
            "科教兴国",
            "和平发展",
            "共同富裕",
            "人民",
            "改革",
            "开放",
            "要",
            "和",
            "新",
            "实",
        ];
        let (mut seen_framed, mut seen_set) = (0, 0);
        for seed in 0..12u64 {
            let mut g = crate::testgen::Lcg(seed);
            let texts: Vec<String> =
                (0..8).map(|_| (0..g.next(120) + 20).map(|_| pieces[g.next(pieces.len())]).collect()).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let idx = Index::build(&refs);
            let mut strings = std::collections::BTreeSet::new();
            for t in &refs {
                let chars: Vec<char> = t.chars().collect();
                for i in 0..chars.len() {
                    for n in 2..=9.min(chars.len() - i) {
                        let s: String = chars[i..i + n].iter().collect();
                        if s.chars().all(super::super::index::indexable) {
                            strings.insert(s);
                        }
                    }
                }
            }
            for s in &strings {
                let f = freedom_of(&idx, s).unwrap();
                let (framed, set) = unpruned(&idx, s);
                assert_eq!((f.framed, f.set), (framed, set), "seed {seed}: {s}");
                seen_framed += usize::from(framed);
                seen_set += usize::from(set.is_some());
            }
        }
        assert!(seen_framed > 0 && seen_set > 0, "framed {seen_framed}, set {seen_set}");
    }

    #[test]
    fn finds_free_recurring_phrases_only() {
        let texts = [
            "要学思想、强党性、重实践、建新功。坚持以人民为中心。",
            "按照学思想、强党性、重实践、建新功的总要求，坚持以人民为中心的发展思想。",
            "“学思想、强党性、重实践、建新功”",
        ];
        let seg = crate::segment::Segmenter::new(&crate::resources::Resources::builtin().unwrap());
        let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
        let idx = Index::build_with_words(&texts, &segs, &[]);
        let found: Vec<String> = find_phrases(&idx, PhraseLimits::default()).into_iter().map(|p| p.0).collect();
        assert!(found.contains(&"学思想、强党性、重实践、建新功".to_string()), "{found:?}");
        // 强党性、重实践 never occurs outside the whole series
        assert!(!found.iter().any(|f| f == "强党性、重实践"), "{found:?}");
        // 坚持以人民为中心 is followed by 。 and 的: free on the right, preceded by 。 and ，: free on the left
        assert!(found.contains(&"坚持以人民为中心".to_string()), "{found:?}");
    }

    /// The phrases of `texts`, segmented and indexed with their words.
    fn phrases_of(texts: &[&str]) -> Vec<(String, Freedom)> {
        let seg = crate::segment::Segmenter::new(&crate::resources::Resources::builtin().unwrap());
        let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
        let idx = Index::build_with_words(texts, &segs, &[]);
        find_phrases(&idx, PhraseLimits::default())
    }

    #[test]
    fn an_item_only_ever_listed_is_judged_without_its_comma() {
        // 交通强国 is always followed by 、 (no interval of its own); 科技强国 also by 。
        let texts =
            ["建设科技强国、交通强国、网络强国。科技强国。", "加快建设制造强国、交通强国、数字中国，科技强国、"];
        let found = phrases_of(&texts);
        let texts: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        let listed = found.iter().find(|p| p.0 == "交通强国").unwrap_or_else(|| panic!("{texts:?}"));
        // not free as a phrase (、 on both sides every time), but as a set phrase
        assert_eq!((listed.1.occurrences, listed.1.docs), (2, 2));
        assert!(!listed.1.free(1.0) && listed.1.set.is_some() && listed.1.listed);
        assert!(found.iter().all(|p| p.1.listed == (p.0 == "交通强国")), "{found:?}");
        assert!(!texts.iter().any(|t| t.ends_with('、')), "{texts:?}");
        // each string once: 科技强国 has an interval of its own and is not judged again
        let mut unique = texts.clone();
        unique.dedup();
        assert_eq!(unique, texts);
    }

    #[test]
    fn the_first_item_of_a_list_that_recurs_whole_is_judged_as_listed() {
        // 稳字当头 only ever stands in 稳字当头、稳中求进: no interval of its own
        let texts = ["要坚持稳字当头、稳中求进，推动发展。", "必须坚持稳字当头、稳中求进。稳中求进是总基调。"];
        let found = phrases_of(&texts);
        let texts: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        let item = found.iter().find(|p| p.0 == "稳字当头").unwrap_or_else(|| panic!("{texts:?}"));
        assert!(item.1.listed && item.1.set.is_some(), "{item:?}");
        assert_eq!((item.1.occurrences, item.1.docs), (2, 2));
        // the whole list is still judged as itself, once
        assert_eq!(texts.iter().filter(|t| **t == "稳字当头、稳中求进").count(), 1, "{texts:?}");
        let mut unique = texts.clone();
        unique.dedup();
        assert_eq!(unique, texts);
    }

    #[test]
    fn phrases_found_range_by_range_are_those_found_at_once() {
        let seg = crate::segment::Segmenter::new(&crate::resources::Resources::builtin().unwrap());
        let pieces =
            ["学思想", "、", "强党性", "重实践", "建新功", "。", "坚持", "以人民为中心", "的", "，", "发展", "\n"];
        for seed in 0..6u64 {
            let mut g = crate::testgen::Lcg(seed);
            let mut texts: Vec<String> = (0..g.next(20) + 2)
                .map(|_| (0..[0, 3, 40, 200][g.next(4)]).map(|_| pieces[g.next(pieces.len())]).collect())
                .collect();
            // a document copied whole, and one copied to the text's end
            texts.push(texts[0].clone());
            texts.push(texts[1].clone());
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let segs: Vec<_> = refs.iter().map(|t| seg.segment(t)).collect();
            let sources: Vec<u32> = (0..refs.len() as u32).map(|d| d / 3).collect();
            let limits = PhraseLimits::default();
            let whole = find_phrases(&Index::build_with_words(&refs, &segs, &sources), limits);
            assert!(!whole.is_empty());
            for parts in [2, 5] {
                let mut symbols = super::super::index::Symbols::of(&refs, &segs, &sources);
                let mut found = Vec::new();
                for r in symbols.first_symbol_ranges(parts) {
                    let idx = symbols.sorted_range(r);
                    found.extend(find_phrases(&idx, limits));
                    symbols = idx.into_symbols();
                }
                found.sort_by(|a, b| a.0.cmp(&b.0));
                assert_eq!(found, whole, "seed {seed}, {parts} parts");
            }
        }
    }

    #[test]
    fn balanced_parts() {
        assert!(balanced("心往一处想、劲往一处使", 12));
        assert!(balanced("共同把党锻造成一块攻无不克、战无不胜的坚硬钢铁", 14));
        assert!(balanced("总要求、根本任务、具体目标、重点措施", 12));
        assert!(!balanced("部署、扎实推进", 12));
        assert!(!balanced("集中、工作打不开局面的地方去", 12));
        assert!(!balanced("多、群众意见", 12));
        assert!(balanced("习近平新时代中国特色社会主义思想", 12));
        assert!(!balanced("更加自觉在思想上政治上行动上同以习近平同志为核心的党中央保持高度一致", 12));
    }

    #[test]
    fn cohesion_is_high_for_fixed_phrases() {
        let texts = ["以人民为中心。人民。中心。以人民为中心。", "人民的中心"];
        let idx = Index::build(&texts);
        let c = cohesion(&idx, "以人民为中心").unwrap();
        assert!(c > 1.0, "{c}");
        assert!(cohesion(&idx, "没有").is_none());
    }
}
