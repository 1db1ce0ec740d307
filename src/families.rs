//! Formula families: formulations that share a fixed frame and differ in a numeral slot
//! (党的{}大精神, {}中全会, 第{}个五年计划), with every value of the slot the corpus writes counted
//! exactly, when each was first and last used, and which value's use each one took over.
//!
//! 1. **Frames** come from the reported slogans: each run of Chinese numerals
//!    (〇零一二三四五六七八九十百千两) in a slogan's spelling is a slot; the text before it (the
//!    prefix, possibly empty) and after it (the suffix, never empty) is the frame, which must hold
//!    at least [`MIN_FRAME_CHARS`] characters. Measurements are not frames: a suffix starting
//!    with 点, 万, 亿, 倍, % or 分之, a prefix ending with one of those units or 之 (百分之{}点,
//!    {}万五千, 三万{}人).
//! 2. **Values**: every clean text is searched for each frame, the slot being a whole run of
//!    numerals (十大精神 inside 二十大精神 is the value 二十, not 十) of at most six characters
//!    that is not written digit by digit (一九五四 is a year, not a value; see [`is_value`]). A value's `count` is the
//!    number of those occurrences (for a frame with a prefix, the plain substring count of the
//!    whole phrase), `doc_count` the documents with one, `first_seen`/`last_seen` the periods.
//! 3. **Word slots**: two or more reported slogans that differ in one stretch of up to four
//!    characters inside a longer fixed text (以{习近平}同志为核心的党中央, 人民日益增长的{美好生活}需要)
//!    make a frame too ([`word_frames`]); each value's whole phrase is one of those slogans'
//!    spellings, whose exact count (the plain substring count) slogan discovery has already made.
//! 4. A frame is a **family** when at least two values occur and its values are in at least
//!    `min_docs` documents together.
//! 5. **succeeds**: value `v` succeeds `u` when `u` was first used before `v` and `u`'s last
//!    period is `v`'s first or the period with documents just before it (one use ends where the
//!    other begins); of several such `u`, the most used.

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, MatchKind};
use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result, TableContext};
use crate::slogans::{Occurrences, Slogans};

/// Characters a slot may hold.
pub const NUMERALS: &str = "〇零一二三四五六七八九十百千两";

/// Least characters of a frame outside its slot.
pub const MIN_FRAME_CHARS: usize = 3;

/// Longest slot, in characters.
const MAX_SLOT: usize = 6;

/// Characters that make a frame a measurement (百分之{}点, {}万五千, {}倍) rather than a
/// formulation: a suffix starting with one, or a prefix ending with 之.
const UNITS: &str = "点万亿倍%％";

fn numeral(c: char) -> bool {
    NUMERALS.contains(c)
}

/// A run of numerals that may fill a slot: at most six characters, and not a number written digit
/// by digit (two digits side by side: 一九五四, 二〇二三, 三七), which is a year or a quantity.
pub fn is_value(run: &str) -> bool {
    let digit = |c: char| "〇一二三四五六七八九两".contains(c);
    let chars: Vec<char> = run.chars().collect();
    (1..=MAX_SLOT).contains(&chars.len()) && !chars.windows(2).any(|w| digit(w[0]) && digit(w[1]))
}

/// A fixed frame around one slot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Frame {
    pub prefix: String,
    pub suffix: String,
}

impl Frame {
    /// The frame with its slot marked: 党的{}大精神.
    pub fn name(&self) -> String {
        format!("{}{{}}{}", self.prefix, self.suffix)
    }

    /// The whole phrase with `value` in the slot.
    pub fn form(&self, value: &str) -> String {
        format!("{}{value}{}", self.prefix, self.suffix)
    }
}

/// The frames of a spelling: one per run of numerals that leaves a frame long enough.
pub fn frames_of(text: &str) -> Vec<Frame> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !numeral(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && numeral(chars[i]) {
            i += 1;
        }
        let (prefix, suffix): (String, String) = (chars[..start].iter().collect(), chars[i..].iter().collect());
        let measure = suffix.starts_with(|c| UNITS.contains(c))
            || suffix.starts_with("分之")
            || prefix.ends_with(|c| UNITS.contains(c) || c == '之');
        if !suffix.is_empty() && !measure && chars.len() - (i - start) >= MIN_FRAME_CHARS {
            out.push(Frame { prefix, suffix });
        }
    }
    out
}

/// The strings slogan discovery counted for the reported slogans (every spelling found in the
/// clean text), each with its index among the counted patterns.
pub fn counted(slogans: &Slogans) -> Vec<(&str, u32)> {
    slogans.list.iter().flat_map(|s| s.patterns.iter().map(|&p| (slogans.patterns[p as usize].as_str(), p))).collect()
}

/// The distinct frames of the counted spellings, sorted.
pub fn frames(counted: &[(&str, u32)]) -> Vec<Frame> {
    let set: BTreeSet<Frame> = counted.iter().flat_map(|(t, _)| frames_of(t)).collect();
    set.into_iter().collect()
}

/// A frame with a word slot, and its values with the pattern that counted each whole phrase.
pub type WordFrame = (Frame, Vec<(String, u32)>);

/// Frames with a word slot: two or more reported slogans that are the same text but for one
/// stretch of 1–[`MAX_WORD_SLOT`] characters (以{习近平}同志为核心的党中央, 全面建{成}小康社会),
/// with at least [`MIN_WORD_FRAME_CHARS`] characters around it, something on both sides, no
/// punctuation or joining word (的, 和, 与, 及, 了, 对) in the slot, and the slot as short as it
/// can be (the values do not all begin or all end alike). Slots that hold only numerals belong to
/// the numeral frames. Each frame comes with its values, sorted, and their patterns.
pub fn word_frames(counted: &[(&str, u32)]) -> Vec<WordFrame> {
    let mut slots: BTreeMap<Frame, BTreeMap<String, u32>> = BTreeMap::new();
    for &(text, pattern) in counted {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        for len in 1..=MAX_WORD_SLOT.min(n.saturating_sub(2)) {
            if n - len < MIN_WORD_FRAME_CHARS {
                continue;
            }
            for i in 1..n - len {
                let value: String = chars[i..i + len].iter().collect();
                if value.chars().all(numeral) || value.contains(|c| NOT_IN_WORD_SLOT.contains(c)) {
                    continue;
                }
                let frame = Frame { prefix: chars[..i].iter().collect(), suffix: chars[i + len..].iter().collect() };
                slots.entry(frame).or_default().insert(value, pattern);
            }
        }
    }
    slots
        .into_iter()
        .filter(|(_, vs)| {
            let alike = |f: fn(&str) -> Option<char>| vs.keys().map(|v| f(v)).collect::<BTreeSet<_>>().len() == 1;
            vs.len() >= 2 && !alike(|v| v.chars().next()) && !alike(|v| v.chars().next_back())
        })
        .map(|(f, vs)| (f, vs.into_iter().collect()))
        .collect()
}

/// Longest word slot, in characters.
pub const MAX_WORD_SLOT: usize = 4;

/// Least characters around a word slot.
pub const MIN_WORD_FRAME_CHARS: usize = 6;

/// Characters a word slot never holds: punctuation and the joining words that make two phrases
/// of a list, not two wordings of one formulation (香港、澳门, 经济和社会).
const NOT_IN_WORD_SLOT: &str = "的和与及了对、，。；：！？“”‘’《》（）·";

/// One value of a family: a row of the `families` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub family: String,
    pub value: String,
    pub form: String,
    pub count: u64,
    pub doc_count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub succeeds: Option<String>,
    /// Occurrences per period.
    pub per_period: BTreeMap<String, u64>,
}

impl Value {
    /// Its first to last period (2003–2008), one period when they are the same, empty when the
    /// value is only in undated documents.
    pub fn span(&self) -> String {
        match (&self.first_seen, &self.last_seen) {
            (Some(a), Some(b)) if a == b => a.clone(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => String::new(),
        }
    }
}

/// The `n` most used of one family's `values` that `keep` accepts (ties: first used first), in
/// the family's order.
pub fn most_used(values: &[Value], n: usize, keep: impl Fn(&Value) -> bool) -> Vec<&Value> {
    let mut most: Vec<usize> = (0..values.len()).filter(|&i| keep(&values[i])).collect();
    most.sort_by(|&a, &b| values[b].count.cmp(&values[a].count).then(a.cmp(&b)));
    most.truncate(n);
    most.sort_unstable();
    most.into_iter().map(|i| &values[i]).collect()
}

/// Every family's values, families by total count (then name), values by first use.
#[derive(Debug, Clone, Default)]
pub struct Families {
    pub values: Vec<Value>,
}

/// Occurrences of every frame's values in one text: (frame, value) → count.
fn scan(text: &str, ac: &AhoCorasick, by_suffix: &[Vec<(u32, &str)>]) -> BTreeMap<(u32, String), u64> {
    let mut out: BTreeMap<(u32, String), u64> = BTreeMap::new();
    for m in ac.find_overlapping_iter(text) {
        let before = &text[..m.start()];
        // the whole run of numerals right before the suffix
        let run: usize = before.chars().rev().take_while(|&c| numeral(c)).map(char::len_utf8).sum();
        if run == 0 || !is_value(&before[before.len() - run..]) {
            continue;
        }
        let (head, value) = before.split_at(before.len() - run);
        for &(f, prefix) in &by_suffix[m.pattern().as_usize()] {
            if head.ends_with(prefix) {
                *out.entry((f, value.to_string())).or_insert(0) += 1;
            }
        }
    }
    out
}

/// The families of `frames` in `texts` and of `words` (whose phrases' counts are read from
/// `occurrences`, the exact counts of slogan discovery); `periods[d]` is document `d`'s period,
/// if dated, and `with_docs` every period that has documents, in order.
pub fn find(
    frames: &[Frame],
    words: &[WordFrame],
    occurrences: &Occurrences,
    texts: &[&str],
    periods: &[Option<String>],
    with_docs: &[String],
    min_docs: u64,
) -> Result<Families> {
    let suffixes: Vec<&str> = {
        let set: BTreeSet<&str> = frames.iter().map(|f| f.suffix.as_str()).collect();
        set.into_iter().collect()
    };
    let mut values: BTreeMap<(u32, String), Value> = BTreeMap::new();
    let mut add = |f: u32, frame: &Frame, value: &str, d: usize, n: u64| {
        let v = values.entry((f, value.to_string())).or_insert_with(|| Value {
            family: frame.name(),
            form: frame.form(value),
            value: value.to_string(),
            count: 0,
            doc_count: 0,
            first_seen: None,
            last_seen: None,
            succeeds: None,
            per_period: BTreeMap::new(),
        });
        v.count += n;
        v.doc_count += 1;
        if let Some(p) = &periods[d] {
            *v.per_period.entry(p.clone()).or_insert(0) += n;
        }
    };
    // word slots: each value's whole phrase is a slogan's spelling, counted already
    let mut of_pattern: BTreeMap<u32, Vec<(u32, &Frame, &str)>> = BTreeMap::new();
    for (k, (f, vs)) in words.iter().enumerate() {
        for (v, p) in vs {
            of_pattern.entry(*p).or_default().push(((frames.len() + k) as u32, f, v.as_str()));
        }
    }
    if !of_pattern.is_empty() {
        for (d, counts) in occurrences.per_doc.iter().enumerate() {
            for (p, n) in counts {
                for &(f, frame, value) in of_pattern.get(p).into_iter().flatten() {
                    add(f, frame, value, d, u64::from(*n));
                }
            }
        }
    }
    if suffixes.is_empty() {
        return Ok(group(values, with_docs, min_docs));
    }
    let mut by_suffix: Vec<Vec<(u32, &str)>> = vec![Vec::new(); suffixes.len()];
    for (i, f) in frames.iter().enumerate() {
        let k = suffixes.binary_search(&f.suffix.as_str()).unwrap_or_default();
        by_suffix[k].push((i as u32, f.prefix.as_str()));
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&suffixes)
        .map_err(|e| Error::Internal { stage: "families", message: format!("matcher: {e}") })?;
    let per_doc: Vec<BTreeMap<(u32, String), u64>> = texts.par_iter().map(|t| scan(t, &ac, &by_suffix)).collect();
    for (d, found) in per_doc.into_iter().enumerate() {
        for ((f, value), n) in found {
            add(f, &frames[f as usize], &value, d, n);
        }
    }
    Ok(group(values, with_docs, min_docs))
}

/// The values grouped by frame into families (two or more values, in `min_docs` documents
/// together), each with its first and last period and successions, largest first.
fn group(values: BTreeMap<(u32, String), Value>, with_docs: &[String], min_docs: u64) -> Families {
    let mut by_frame: BTreeMap<u32, Vec<Value>> = BTreeMap::new();
    for ((f, _), mut v) in values {
        v.first_seen = v.per_period.keys().next().cloned();
        v.last_seen = v.per_period.keys().next_back().cloned();
        by_frame.entry(f).or_default().push(v);
    }
    let mut families: Vec<Vec<Value>> = by_frame
        .into_values()
        .filter(|vs| vs.len() >= 2 && vs.iter().map(|v| v.doc_count).sum::<u64>() >= min_docs)
        .collect();
    for vs in &mut families {
        vs.sort_by(|a, b| {
            (a.first_seen.is_none(), &a.first_seen, &a.last_seen, &a.value).cmp(&(
                b.first_seen.is_none(),
                &b.first_seen,
                &b.last_seen,
                &b.value,
            ))
        });
        successions(vs, with_docs);
    }
    let total = |vs: &[Value]| vs.iter().map(|v| v.count).sum::<u64>();
    families.sort_by(|a, b| total(b).cmp(&total(a)).then(a[0].family.cmp(&b[0].family)));
    Families { values: families.into_iter().flatten().collect() }
}

/// Set `succeeds` of each value of one family (see the module documentation).
fn successions(vs: &mut [Value], with_docs: &[String]) {
    let before = |p: &str| {
        let k = with_docs.partition_point(|x| x.as_str() < p);
        k.checked_sub(1).map(|k| with_docs[k].as_str())
    };
    let chosen: Vec<Option<String>> = vs
        .iter()
        .map(|v| {
            let first = v.first_seen.as_deref()?;
            let meets = |u: &Value| {
                let (Some(uf), Some(ul)) = (u.first_seen.as_deref(), u.last_seen.as_deref()) else { return false };
                uf < first && (ul == first || Some(ul) == before(first))
            };
            vs.iter()
                .filter(|u| u.value != v.value && meets(u))
                .max_by(|a, b| a.count.cmp(&b.count).then(b.value.cmp(&a.value)))
                .map(|u| u.value.clone())
        })
        .collect();
    for (v, s) in vs.iter_mut().zip(chosen) {
        v.succeeds = s;
    }
}

impl Families {
    /// The families in order, each with its values.
    pub fn groups(&self) -> Vec<&[Value]> {
        self.values.chunk_by(|a, b| a.family == b.family).collect()
    }

    /// The `families` table: family, value, form, count, doc_count, first_seen, last_seen,
    /// succeeds.
    pub fn table(&self) -> Result<DataFrame> {
        let v = &self.values;
        let strs = |f: &dyn Fn(&Value) -> &str| v.iter().map(f).map(str::to_string).collect::<Vec<_>>();
        let opts = |f: &dyn Fn(&Value) -> &Option<String>| v.iter().map(f).cloned().collect::<Vec<_>>();
        DataFrame::new(
            v.len(),
            vec![
                Column::new("family".into(), strs(&|x| &x.family)),
                Column::new("value".into(), strs(&|x| &x.value)),
                Column::new("form".into(), strs(&|x| &x.form)),
                Column::new("count".into(), v.iter().map(|x| x.count as i64).collect::<Vec<_>>()),
                Column::new("doc_count".into(), v.iter().map(|x| x.doc_count as i64).collect::<Vec<_>>()),
                Column::new("first_seen".into(), opts(&|x| &x.first_seen)),
                Column::new("last_seen".into(), opts(&|x| &x.last_seen)),
                Column::new("succeeds".into(), opts(&|x| &x.succeeds)),
            ],
        )
        .table("families")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_numeral_runs_with_a_frame_around_them() {
        let names = |t: &str| frames_of(t).iter().map(Frame::name).collect::<Vec<_>>();
        assert_eq!(names("党的十六大精神"), ["党的{}大精神"]);
        assert_eq!(names("十八届三中全会"), ["{}届三中全会", "十八届{}中全会"]);
        // a numeral at the end leaves no suffix; a frame of two characters is too short; a
        // measurement is no frame
        assert!(names("十三五").is_empty() && names("十九大").is_empty() && names("第一次").is_empty());
        assert!(names("增长百分之三十").is_empty() && names("三万五千人").is_empty());
        assert!(
            is_value("十六") && is_value("二") && is_value("一百零五") && !is_value("一九五四") && !is_value("三七")
        );
        assert!(is_value("二十一") && !is_value("一九八二两"));
        assert_eq!(names("四个全面"), ["{}个全面"]);
    }

    /// Brute force: the non-overlapping occurrences of `prefix value suffix` whose value is a
    /// whole run of numerals.
    fn brute(text: &str, f: &Frame, value: &str) -> u64 {
        let form = f.form(value);
        let chars: Vec<char> = text.chars().collect();
        let pat: Vec<char> = form.chars().collect();
        let p = f.prefix.chars().count();
        let mut n = 0;
        for i in 0..chars.len() {
            if chars[i..].starts_with(&pat) && !(p == 0 && i > 0 && numeral(chars[i - 1])) {
                n += 1;
            }
        }
        n
    }

    #[test]
    fn values_counts_periods_and_successions_on_hand_written_lines() {
        let texts = [
            "学习贯彻党的十六大精神。十六大以来，全面落实党的十六大精神。",
            "深入贯彻党的十六大精神和党的十七大精神，十七届三中全会。",
            "认真贯彻党的十七大精神，十七届四中全会。党的二十大精神。",
            "深入学习党的十八大精神，党的十八大精神，十八届三中全会、十八届四中全会。",
            "没有年份的文档：党的十八大精神。",
        ];
        let periods: Vec<Option<String>> =
            vec![Some("2003".into()), Some("2008".into()), Some("2010".into()), Some("2013".into()), None];
        let with_docs: Vec<String> = ["2003", "2008", "2010", "2013"].map(String::from).to_vec();
        let frames = vec![
            Frame { prefix: "党的".into(), suffix: "大精神".into() },
            Frame { prefix: String::new(), suffix: "中全会".into() },
        ];
        let fam = find(&frames, &[], &Occurrences::default(), &texts, &periods, &with_docs, 2).unwrap();
        type Row<'a> = (&'a str, &'a str, u64, u64, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let rows: Vec<Row> = fam
            .values
            .iter()
            .map(|v| {
                (
                    v.family.as_str(),
                    v.value.as_str(),
                    v.count,
                    v.doc_count,
                    v.first_seen.as_deref(),
                    v.last_seen.as_deref(),
                    v.succeeds.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("党的{}大精神", "十六", 3, 2, Some("2003"), Some("2008"), None),
                ("党的{}大精神", "十七", 2, 2, Some("2008"), Some("2010"), Some("十六")),
                ("党的{}大精神", "二十", 1, 1, Some("2010"), Some("2010"), Some("十六")),
                ("党的{}大精神", "十八", 3, 2, Some("2013"), Some("2013"), Some("十七")),
                ("{}中全会", "三", 2, 2, Some("2008"), Some("2013"), None),
                // 三中全会 is still used when 四中全会 begins: no succession
                ("{}中全会", "四", 2, 2, Some("2010"), Some("2013"), None),
            ]
        );
        for v in &fam.values {
            let f = frames.iter().find(|f| f.name() == v.family).unwrap();
            assert_eq!(v.count, texts.iter().map(|t| brute(t, f, &v.value)).sum::<u64>(), "{}", v.form);
        }
    }

    #[test]
    fn word_slots_of_slogans_that_differ_in_one_place() {
        let slogans: Vec<&str> = vec![
            "以江泽民同志为核心的党中央",
            "以习近平同志为核心的党中央",
            "全面建设小康社会",
            "全面建成小康社会",
            "香港、澳门特别行政区",
            "香港和澳门特别行政区",
        ];
        let counted: Vec<(&str, u32)> = slogans.iter().enumerate().map(|(p, t)| (*t, p as u32)).collect();
        let w = word_frames(&counted);
        let names: Vec<(String, Vec<String>)> =
            w.iter().map(|(f, v)| (f.name(), v.iter().map(|(v, _)| v.clone()).collect())).collect();
        // the slot is as short as it can be (建{设|成}), and 、/和 are no values
        assert_eq!(
            names,
            [
                ("以{}同志为核心的党中央".to_string(), vec!["习近平".to_string(), "江泽民".to_string()]),
                ("全面建{}小康社会".to_string(), vec!["成".to_string(), "设".to_string()]),
            ]
        );
        let texts = [
            "以江泽民同志为核心的党中央。全面建设小康社会。",
            "以习近平同志为核心的党中央，全面建成小康社会，全面建成小康社会。",
        ];
        let periods = vec![Some("2002".to_string()), Some("2017".to_string())];
        let with_docs = ["2002".to_string(), "2017".to_string()];
        let occ = crate::slogans::count(&slogans, &texts).unwrap();
        let fam = find(&[], &w, &occ, &texts, &periods, &with_docs, 2).unwrap();
        let rows: Vec<(&str, u64, Option<&str>)> =
            fam.values.iter().map(|v| (v.form.as_str(), v.count, v.succeeds.as_deref())).collect();
        assert_eq!(
            rows,
            [
                ("全面建设小康社会", 1, None),
                ("全面建成小康社会", 2, Some("设")),
                ("以江泽民同志为核心的党中央", 1, None),
                ("以习近平同志为核心的党中央", 1, Some("江泽民")),
            ]
        );
    }

    #[test]
    fn counts_equal_a_brute_force_count_on_generated_texts() {
        let pieces = ["党的", "大精神", "中全会", "届", "十", "二", "三", "七", "百", "，", "\n", "学习", "的"];
        let frames = vec![
            Frame { prefix: "党的".into(), suffix: "大精神".into() },
            Frame { prefix: String::new(), suffix: "中全会".into() },
            Frame { prefix: "届".into(), suffix: "中全会".into() },
        ];
        for seed in 1..=20u64 {
            let mut g = crate::testgen::Lcg(seed);
            let texts: Vec<String> = (0..6).map(|_| (0..200).map(|_| pieces[g.next(pieces.len())]).collect()).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let periods = vec![None; refs.len()];
            let fam = find(&frames, &[], &Occurrences::default(), &refs, &periods, &[], 1).unwrap();
            for (fi, f) in frames.iter().enumerate() {
                // every run of numerals up to the slot's length is a possible value
                let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
                for t in &refs {
                    let mut vals: BTreeSet<String> = BTreeSet::new();
                    let cs: Vec<char> = t.chars().collect();
                    for i in 0..cs.len() {
                        for j in i + 1..=(i + MAX_SLOT).min(cs.len()) {
                            let v: String = cs[i..j].iter().collect();
                            if cs[i..j].iter().all(|&c| numeral(c)) && is_value(&v) {
                                vals.insert(v);
                            }
                        }
                    }
                    for v in vals {
                        let n = brute(t, f, &v);
                        if n > 0 {
                            let e = want.entry(v).or_insert((0, 0));
                            (e.0, e.1) = (e.0 + n, e.1 + 1);
                        }
                    }
                }
                let got: BTreeMap<String, (u64, u64)> = fam
                    .values
                    .iter()
                    .filter(|v| v.family == f.name())
                    .map(|v| (v.value.clone(), (v.count, v.doc_count)))
                    .collect();
                if want.len() >= 2 {
                    assert_eq!(got, want, "seed {seed}, frame {fi}");
                } else {
                    assert!(got.is_empty());
                }
            }
        }
    }
}
