//! Set-phrase detector: short formulations of four to seven characters in one or two words
//! (实事求是, 独立自主, 依法治军, 百花齐放, 制造强国) that the phrase detector's word rules turn
//! away, since among recurring two-word sequences the ordinary ones (理论学习, 人民群众) far
//! outnumber them. What tells a set phrase from an ordinary word is how the corpus uses it:
//!
//! - **principle**: the share right after a verb that takes a principle or policy as its object
//!   ([`PRINCIPLE_VERBS`]: 坚持独立自主, 实行简政放权, 弘扬艰苦奋斗);
//! - **framed**: the share right before a noun that names a policy or principle
//!   ([`FRAME_NOUNS`], with or without 的: 科教兴国战略, 一个中国原则, 独立自主的方针);
//! - **quoted**: the share written inside quotes;
//! - **parallel**: the share next to 、, as one item of a 排比 series (解放思想、实事求是;
//!   形式主义、官僚主义), counted half, since ordinary nouns are listed too;
//! - **idiom**: jieba's general-language dictionary lists it as one idiom or set expression
//!   (tags `i` and `l`) with a frequency of its own (entries of frequency 3 or less are jieba's
//!   placeholders for added words, not evidence from general language);
//! - **coined**: four characters that jieba's dictionary cuts into three or four pieces, in the
//!   rhythm of a coined formulation (学/思/践/悟, 久久/为/功, 应保尽保), not ending in an
//!   adjective (规模过大 is a predicate).
//!
//! - **family**: it fits the template of a family of parallel formulations the corpus lists
//!   ([`Families`]: 教育强国、科技强国、人才强国 make an X强国 family, so 制造强国 is a member
//!   wherever it stands), and enough of the family's members are set phrases on their own
//!   evidence (人才强国, 教育强国) for the family to vouch for the rest. An item only ever
//!   listed, always followed by 、 (交通强国、航天强国、; 稳字当头 of 稳字当头、稳中求进, a list
//!   that recurs whole), is no member that counts, and a set phrase only where its family
//!   vouches or where it also stands after a principle verb, before a frame noun or in quotes
//!   (坚持艰苦朴素、…): a list alone also holds country names and places.
//!
//! - **era**: in a dated corpus, it was born or retired within it, used in many of the
//!   documents since (or until) then and in none before (after): 依法行政, 科学发展观, 生态文明
//!   in the Government Work Reports ([`Eras`]); ordinary words are used throughout.
//!
//! An idiom or a coined rhythm is the phrase's **form** evidence, 0.25, never enough alone
//! (众所周知, 深入人心 are idioms, not formulations); a family's is [`FAMILY`], an era's [`ERA`].
//! `context` = principle + framed + quoted + 0.5 × parallel + 0.25 × form + era + family must reach
//! [`MIN_CONTEXT`]; `evidence` = context + 0.05 × min(cohesion, 10), and `set_score` =
//! log2(1 + documents) × evidence. A candidate must also stand freely counting 、, principle
//! verbs and frame nouns as separators (the phrase detector's freedom with frames), and no one
//! neighbour may take two thirds of its occurrences on either side (持续发展 sits in
//! 可持续发展). The [`Settings::max_set_phrases`] best by `set_score` are counted.
//!
//! Keyness against jieba's dictionary frequencies was measured on `gov-reports` and left out:
//! the idioms of general Chinese are exactly the formulations the dictionary rates common
//! (实事求是, 独立自主), and its placeholder entries rate ordinary official words (体制改革,
//! 国有企业) as rare.
//!
//! [`Settings::max_set_phrases`]: super::Settings::max_set_phrases

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::index::Index;
use super::phrase::Freedom;
use super::stats::{Measures, Neighbours};
use crate::segment::Segmenter;

/// Verbs whose object is a principle or policy (two characters each).
pub const PRINCIPLE_VERBS: &[&str] = &[
    "坚持", "贯彻", "实行", "实施", "弘扬", "发扬", "奉行", "遵循", "高举", "践行", "树立", "秉持", "倡导", "提倡",
    "建成", "构建", "建设",
];

/// 贯彻 in 贯彻落实, a principle verb before a principle it names (贯彻落实 | 新发展理念 … 的发展理念).
const IMPLEMENT: &str = "贯彻";

/// Nouns that name a policy or principle (two characters each), after a set phrase with or
/// without 的 (高举 | 和平、发展、合作、共赢 | 的旗帜). (精神, 思想 and 道路 follow ordinary words
/// as often: 科学精神, 前进道路.)
pub const FRAME_NOUNS: &[&str] = &["方针", "战略", "原则", "路线", "理念", "方略", "国策", "基调", "作风", "旗帜"];

/// Particles that join a phrase to what follows (独立自主的和平外交政策) without making a word
/// with it.
pub const JOINERS: &[char] = &['的', '和', '与', '及'];

/// The evidence of a set phrase's form: an idiom or a coined four-character rhythm.
pub const FORM: f64 = 0.25;

/// The evidence of membership in a family of parallel formulations (see [`Families`]).
pub const FAMILY: f64 = 0.3;

/// Least distinct items a template must have in the corpus's series to make a family.
pub const FAMILY_MIN_ITEMS: usize = 3;

/// Least characters of a family's fixed part (X强国: 强国), so that a one-character affix
/// (X化, X性) makes no family.
pub const FAMILY_MIN_FIXED: usize = 2;

/// Least members of a family that are set phrases by their own evidence, and least share of
/// its judged members they make, for the family to vouch for the rest.
pub const FAMILY_MIN_OWN: usize = 2;
pub const FAMILY_MIN_OWN_SHARE: f64 = 1.0 / 3.0;

/// The evidence of a phrase born or retired within a dated corpus (see [`Eras`]).
pub const ERA: f64 = 0.2;

/// Least share of the dated documents before a phrase's first year (after its last) for it to
/// be born (retired) within the corpus.
pub const ERA_GAP: f64 = 0.3;

/// Least share of the dated documents from its first year on (up to its last) that a born
/// (retired) phrase is used in.
pub const ERA_SHARE: f64 = 0.4;

/// Least dated documents of a phrase for its era to be judged, and least dated documents of
/// the corpus.
pub const ERA_MIN_DOCS: usize = 3;
pub const ERA_MIN_CORPUS: usize = 20;

/// The years of a corpus's documents, for telling a formulation by its era: 改革开放 is absent
/// from the reports before 1978 and in most of them after, 阶级斗争 in most before 1978 and
/// rarely after, while ordinary words (人民群众, 经济建设) are used throughout. A phrase is
/// **born** within the corpus when at least [`ERA_GAP`] of the dated documents come before its
/// first year and it is used in at least [`ERA_SHARE`] of those from that year on; **retired**
/// is the same seen from its last year. Either is worth [`ERA`]. A corpus with fewer than
/// [`ERA_MIN_CORPUS`] dated documents has no eras.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Eras {
    /// Each document's year.
    year: Vec<Option<u32>>,
    /// The years of the dated documents, sorted.
    dated: Vec<u32>,
    /// Fewest documents a bounded phrase can be used in: [`ERA_SHARE`] of those of the first
    /// year (a phrase retired then) or of the last (born then), whichever is fewer.
    least_docs: f64,
}

impl Eras {
    pub fn new(years: &[Option<u32>]) -> Eras {
        let eras = Eras::of_dated(years.iter().flatten().copied().collect());
        if eras.dated.is_empty() {
            return eras;
        }
        Eras { year: years.to_vec(), ..eras }
    }

    /// The eras of a corpus whose dated documents have these years (in any order), for
    /// [`Eras::bounded_years`] alone.
    pub fn of_dated(mut dated: Vec<u32>) -> Eras {
        dated.sort_unstable();
        if dated.len() < ERA_MIN_CORPUS {
            return Eras::default();
        }
        let in_year = |y: u32| dated.partition_point(|&x| x <= y) - dated.partition_point(|&x| x < y);
        let (first, last) = (dated[0], dated[dated.len() - 1]);
        let least_docs = (ERA_SHARE * in_year(first).min(in_year(last)) as f64).max(ERA_MIN_DOCS as f64);
        Eras { year: Vec::new(), dated, least_docs }
    }

    /// False when a phrase in `docs` documents cannot be bounded, whatever its years: the cheap
    /// test before [`Eras::bounded_in`] (in a corpus of many short documents a year, such as
    /// daily news, most phrases are in too few).
    pub fn may_bound(&self, docs: usize) -> bool {
        !self.dated.is_empty() && docs as f64 >= self.least_docs
    }

    /// True when the phrase used in `docs` (distinct document ids) was born or retired within
    /// the corpus.
    pub fn bounded(&self, docs: &[u32]) -> bool {
        self.bounded_years(docs.iter().filter_map(|&d| self.year.get(d as usize).copied().flatten()).collect())
    }

    /// [`Eras::bounded`] of a phrase used in documents of these years (one per dated document).
    pub fn bounded_years(&self, years: Vec<u32>) -> bool {
        if self.dated.is_empty() {
            return false;
        }
        let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else { return false };
        if years.len() < ERA_MIN_DOCS {
            return false;
        }
        let n = self.dated.len() as f64;
        let used = years.len() as f64;
        let before = self.dated.partition_point(|&y| y < first) as f64;
        let after = (self.dated.len() - self.dated.partition_point(|&y| y <= last)) as f64;
        let born = before >= ERA_GAP * n && used >= ERA_SHARE * (n - before);
        let retired = after >= ERA_GAP * n && used >= ERA_SHARE * (n - after);
        born || retired
    }

    /// [`Eras::bounded`] for every occurrence of `text` in the index.
    pub fn bounded_in(&self, index: &Index, text: &str) -> bool {
        if self.dated.is_empty() {
            return false;
        }
        let mut docs: Vec<u32> = index.range(text).map(|r| index.doc_of(index.position(r))).collect();
        docs.sort_unstable();
        docs.dedup();
        self.bounded(&docs)
    }
}

/// Possible families of parallel formulations: the templates (front X back) of the 排比 series
/// the corpus lists, each with at least [`FAMILY_MIN_ITEMS`] distinct items across its series
/// and a fixed part of at least [`FAMILY_MIN_FIXED`] characters. A string of 4 to 7 characters
/// that fits one, with at least two characters in place of X, is a member. Whether a family
/// vouches for its members is decided in [`select`], by the members that are set phrases on
/// their own evidence (X强国 has 人才强国 and 教育强国; 没有X has none).
#[derive(Debug, Clone, Default)]
pub struct Families {
    /// front → back → family id.
    templates: HashMap<String, HashMap<String, u32>>,
}

impl Families {
    /// The families of the series seen, given as (template with X, item) for every item of
    /// every series.
    pub fn from_items<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Families {
        let mut seen: BTreeMap<(String, String), BTreeSet<&'a str>> = BTreeMap::new();
        for (template, item) in items {
            let Some((front, back)) = template.split_once('X') else { continue };
            if front.chars().count() + back.chars().count() < FAMILY_MIN_FIXED {
                continue;
            }
            seen.entry((front.to_string(), back.to_string())).or_default().insert(item);
        }
        let mut templates: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for (id, (front, back)) in
            seen.into_iter().filter(|(_, items)| items.len() >= FAMILY_MIN_ITEMS).map(|(t, _)| t).enumerate()
        {
            templates.entry(front).or_default().insert(back, id as u32);
        }
        Families { templates }
    }

    /// The families `text` is a member of.
    pub fn of(&self, text: &str) -> Vec<u32> {
        if self.templates.is_empty() || !eligible(text) {
            return Vec::new();
        }
        let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let chars = bounds.len() - 1;
        let mut out = Vec::new();
        for f in 0..=chars {
            let Some(backs) = self.templates.get(&text[..bounds[f]]) else { continue };
            for e in f + 2..=chars {
                if chars - (e - f) < FAMILY_MIN_FIXED {
                    break;
                }
                out.extend(backs.get(&text[bounds[e]..]));
            }
        }
        out
    }

    /// How many families there are.
    pub fn len(&self) -> usize {
        self.templates.values().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }
}

/// Least context evidence of a set phrase (see [`context`]): an idiom alone is not enough.
pub const MIN_CONTEXT: f64 = 0.3;

/// Shortest and longest set phrase, in characters.
pub const MIN_CHARS: usize = 4;
pub const MAX_CHARS: usize = 7;

/// How a possible set phrase is used in the corpus: of its occurrences, how many are next to
/// 、, after a principle verb, before a frame noun.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub parallel: u32,
    pub principle: u32,
    pub framed: u32,
}

/// True when some word of `list` begins with `a` and then `b`.
fn two(a: Option<char>, b: Option<char>, list: &[&str]) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    // compared as UTF-8 bytes, a prefix of the word's: no word is decoded (this runs for every
    // occurrence of every interval the phrase detector judges)
    let mut buf = [0u8; 8];
    let n = a.encode_utf8(&mut buf).len();
    let n = n + b.encode_utf8(&mut buf[n..]).len();
    list.iter().any(|w| w.as_bytes().starts_with(&buf[..n]))
}

/// True when the string of `len` characters at `pos` goes on into the principle it names, within
/// the first `within` characters from `pos`: a frame noun right after it when it may be a set
/// phrase (真实亲诚理念, 稳中求进工作总基调), or 的 and a frame noun, with at most three
/// characters before the noun (稳定压倒一切的方针, 节约资源和保护环境的基本国策,
/// 多快好省地建设社会主义的总路线, …共享的新发展理念), unless
/// it ends in the principle's owner ([`OWNERS`]: 全面贯彻党 | 的基本路线).
pub fn frame_at(index: &Index, pos: usize, len: usize, within: usize) -> bool {
    // a frame noun, a modifier and 的 each begin with one of FRAME_STARTS: most places are
    // turned down by one look at the next character (the phrase detector asks at every length)
    if index.right_char(pos, len).is_none_or(|c| FRAME_STARTS.binary_search(&c).is_err()) {
        return false;
    }
    if len <= MAX_CHARS && frame_noun_at(index, pos, len, within) {
        return true;
    }
    index.right_char(pos, len) == Some('的')
        && !OWNERS.iter().any(|o| ends_with(index, pos, len, o))
        && (0..=3).any(|gap| {
            (0..gap).all(|g| index.right_char(pos, len + 1 + g).is_some_and(crate::clean::is_han))
                && frame_noun(index, pos, len + 1 + gap, within)
        })
}

/// Words that make a frame noun a compound of its own right after a set phrase (稳中求进 |
/// 工作总基调, 节约资源 | 基本国策 is not one: 的 comes between).
pub const FRAME_MODIFIERS: &[&str] = &["工作总", "工作", "总"];

/// True when a frame noun stands `at` characters from `pos`, ending within the first `within`.
fn frame_noun(index: &Index, pos: usize, at: usize, within: usize) -> bool {
    at + 2 <= within && two(index.right_char(pos, at), index.right_char(pos, at + 1), FRAME_NOUNS)
}

/// The last characters of the [`PRINCIPLE_VERBS`] and 实 (of 贯彻落实), sorted: only after one
/// of them does [`Around::frame_left`] differ from the plain left neighbour.
const PRINCIPLE_VERB_ENDS: [char; 14] =
    ['举', '倡', '实', '导', '建', '彻', '循', '成', '扬', '持', '施', '立', '行', '设'];

/// The first characters of the [`FRAME_NOUNS`] and [`FRAME_MODIFIERS`], and 的, sorted: only
/// before one of them can a frame noun follow a string.
const FRAME_STARTS: [char; 12] = ['作', '原', '国', '基', '工', '总', '战', '方', '旗', '理', '的', '路'];

/// True when `c` may be the character right before a string that a principle verb opens (see
/// [`PRINCIPLE_VERB_ENDS`]).
pub(super) fn may_end_principle_verb(c: char) -> bool {
    PRINCIPLE_VERB_ENDS.binary_search(&c).is_ok()
}

/// False when occurrences whose left and right neighbours are `lefts` and `rights` cannot give
/// a usage whose [`context`] reaches [`MIN_CONTEXT`] out of quotes and without a family: the
/// context counted as if every neighbour that may belong to a principle verb before or a frame
/// noun after did, and an occurrence between two 、 were next to two.
pub(super) fn may_have_context(lefts: &Neighbours, rights: &Neighbours) -> bool {
    let most = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let usage = Usage {
        principle: most(lefts.count_of(may_end_principle_verb)),
        framed: most(rights.count_of(|c| FRAME_STARTS.binary_search(&c).is_ok())),
        parallel: most(lefts.count_of(|c| c == '、') + rights.count_of(|c| c == '、')),
    };
    context(usage, lefts.total() as usize, 0, true) >= MIN_CONTEXT
}

/// True when `a` and `b` make one of the [`PRINCIPLE_VERBS`].
pub fn principle_verb(a: Option<char>, b: Option<char>) -> bool {
    two(a, b, PRINCIPLE_VERBS)
}

/// True when a frame noun, or one of [`FRAME_MODIFIERS`] and a frame noun, stands `at`
/// characters from `pos`, ending within the first `within` characters.
fn frame_noun_at(index: &Index, pos: usize, at: usize, within: usize) -> bool {
    let noun = |at: usize| frame_noun(index, pos, at, within);
    noun(at)
        || FRAME_MODIFIERS.iter().any(|m| {
            let n = m.chars().count();
            m.chars().enumerate().all(|(i, c)| index.right_char(pos, at + i) == Some(c)) && noun(at + n)
        })
}

/// True when `rest` is 的 and a frame noun (的方针, 的原则): what a phrase adds that only names
/// the kind of principle it is. (的基本国策, 的总路线 say more.)
pub fn names_kind(rest: &str) -> bool {
    rest.strip_prefix('的').is_some_and(|noun| FRAME_NOUNS.contains(&noun))
}

/// True when `text` opens with a quantity as the segmenter cuts it, a numeral word (一批, 一些,
/// 四个; not 多 of 多思多想): after a principle verb it is what is built or done, not a
/// principle (建设 | 一批重点项目).
pub fn opens_with_quantity(text: &str, segmenter: &Segmenter) -> bool {
    const NUMERALS: &[char] =
        &['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两', '百', '千', '万', '几'];
    text.starts_with(NUMERALS) && segmenter.tags(text).first().is_some_and(|(_, tag)| tag == "m")
}

/// Whose principles official text names with 的 (党的基本路线, 毛主席的革命路线, 国家的方针):
/// a string that ends in one of them says whose principle it is, not which.
pub const OWNERS: &[&str] = &["党", "中央", "主席", "国家", "政府", "我们", "我国"];

/// True when the string of `len` characters at `pos` ends in `suffix`.
fn ends_with(index: &Index, pos: usize, len: usize, suffix: &str) -> bool {
    let n = suffix.chars().count();
    n <= len && suffix.chars().enumerate().all(|(i, c)| index.right_char(pos, len - n + i) == Some(c))
}

/// What stands around one occurrence of `len` characters at `pos`: its neighbours, and whether
/// it is next to 、, right after a principle verb, right before a frame noun (with or without 的),
/// and whether it goes on into a principle it names with 的 (see [`frame_at`]).
pub(super) struct Around {
    pub(super) left: Option<char>,
    pub(super) right: Option<char>,
    pub(super) parallel: bool,
    pub(super) principle: bool,
    pub(super) framed: bool,
    names: bool,
}

impl Around {
    pub(super) fn at(index: &Index, pos: usize, len: usize) -> Around {
        let left = index.left_char(pos);
        let right = index.right_char(pos, len);
        let left2 = left.and_then(|_| pos.checked_sub(1).and_then(|q| index.left_char(q)));
        let at = if right == Some('的') { len + 1 } else { len };
        let framed = frame_noun_at(index, pos, at, usize::MAX);
        // a longer phrase keeps a frame noun right after it (科教兴国战略): only 的 and the
        // principle named end it
        let names = right == Some('的') && frame_at(index, pos, len, usize::MAX);
        // 贯彻落实 is followed by anything implemented (党中央决策部署, 会议精神): a principle
        // verb only before what is named a principle
        let implements = left2 == Some('落')
            && left == Some('实')
            && pos >= 4
            && two(index.left_char(pos - 3), index.left_char(pos - 2), &[IMPLEMENT])
            && (framed || names);
        Around {
            left,
            right,
            parallel: left == Some('、') || right == Some('、'),
            principle: principle_verb(left2, left) || implements,
            framed,
            names,
        }
    }

    /// The left neighbour as freedom counts it: `None` where a separator, 、 or a principle
    /// verb stands.
    pub(super) fn free_left(&self) -> Option<char> {
        self.left.filter(|&c| c != '、' && !self.principle)
    }

    /// The right neighbour as freedom counts it: `None` where a separator, 、 or a frame noun
    /// follows.
    pub(super) fn free_right(&self) -> Option<char> {
        self.right.filter(|&c| c != '、' && !self.framed)
    }

    /// The neighbours as the framed freedom of a longer phrase counts them: `None` where a
    /// principle verb stands before it, or 的 and the principle it names follow.
    pub(super) fn frame_left(&self) -> Option<char> {
        self.left.filter(|_| !self.principle)
    }

    pub(super) fn frame_right(&self) -> Option<char> {
        self.right.filter(|_| !self.names)
    }
}

/// True for a string the set-phrase detector may judge: 4 to 7 characters, no 、.
pub fn eligible(text: &str) -> bool {
    (MIN_CHARS..=MAX_CHARS).contains(&text.chars().count()) && !text.contains('、')
}

/// The usage of the string of `len` characters at `positions` (all its occurrences, `quoted`
/// of them inside quotes), when it may be a set phrase: it is 4 to 7 characters without 、,
/// its context evidence can reach [`MIN_CONTEXT`] with its form (and [`FAMILY`], for a
/// `family` member), it stands freely (neighbour
/// entropy ≥ `min_entropy` on both sides) when 、, principle verbs and frame nouns count as
/// separators, and no one such free
/// neighbour takes two thirds of its occurrences on either side (持续发展 sits in 可持续发展; a
/// joining particle, [`JOINERS`], does not count on the right). `None` otherwise.
pub fn usage_at(
    index: &Index,
    positions: &[usize],
    len: usize,
    quoted: u64,
    family: bool,
    min_entropy: f64,
) -> Option<Usage> {
    let first = *positions.first()?;
    if !may_be_set(index, first, len) {
        return None;
    }
    usage_among(&arounds(index, positions, len), quoted, family, min_entropy)
}

/// True when the `len` characters at `pos` have the set phrases' length and no 、: only then
/// has [`usage_at`] a usage to give.
pub(super) fn may_be_set(index: &Index, pos: usize, len: usize) -> bool {
    (MIN_CHARS..=MAX_CHARS).contains(&len) && index.find_comma(pos, len).is_none()
}

/// The surroundings of the string of `len` characters at each of `positions`.
pub(super) fn arounds(index: &Index, positions: &[usize], len: usize) -> Vec<Around> {
    positions.iter().map(|&p| Around::at(index, p, len)).collect()
}

/// [`usage_at`] of a string that [`may_be_set`], from the surroundings of its occurrences.
pub(super) fn usage_among(around: &[Around], quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
    let mut u = Usage::default();
    for a in around {
        u.parallel += a.parallel as u32;
        u.principle += a.principle as u32;
        u.framed += a.framed as u32;
    }
    judge_usage(u, around.len(), quoted, family, || framed_free(around, true, min_entropy))
}

/// The usage `u` of a possible set phrase over its `occurrences` (`quoted` of them in quotes),
/// when its context evidence can reach [`MIN_CONTEXT`] and it stands `free` (asked only then).
pub(super) fn judge_usage(
    u: Usage,
    occurrences: usize,
    quoted: u64,
    family: bool,
    free: impl FnOnce() -> bool,
) -> Option<Usage> {
    let family = if family { FAMILY } else { 0.0 };
    if context(u, occurrences, quoted, true) + family < MIN_CONTEXT {
        return None;
    }
    // the few that can pass are looked at again, for their free neighbours
    free().then_some(u)
}

/// True when the string whose occurrences have the surroundings `around` (see [`arounds`])
/// stands freely (neighbour entropy ≥ `min_entropy` on both sides) when a principle verb before
/// it and 的 with the principle it names after it (稳定压倒一切 | 的方针; see [`frame_at`]) count as
/// separators, and for a `set_phrase` also 、 and a frame noun right after it, and no one such
/// free neighbour takes two thirds of its occurrences on either side (持续发展 sits in 可持续发展;
/// a joining particle, [`JOINERS`], does not count on the right). A longer phrase keeps its
/// frame noun (科教兴国战略): one before a frame noun ends inside a name (全面 | 战略伙伴关系).
pub(super) fn framed_free(around: &[Around], set_phrase: bool, min_entropy: f64) -> bool {
    let (lefts, rights): (Vec<Option<char>>, Vec<Option<char>>) = around
        .iter()
        .map(|a| if set_phrase { (a.free_left(), a.free_right()) } else { (a.frame_left(), a.frame_right()) })
        .unzip();
    free_among(&Neighbours::of(lefts), &Neighbours::of(rights), min_entropy)
}

/// [`framed_free`] from the neighbours as it counts them.
pub(super) fn free_among(lefts: &Neighbours, rights: &Neighbours, min_entropy: f64) -> bool {
    undominated(lefts, rights) && lefts.entropy() >= min_entropy && rights.entropy() >= min_entropy
}

/// What [`free_among`] asks beside the entropies: no one neighbour takes two thirds of the
/// occurrences on either side (a joining particle does not count on the right).
pub(super) fn undominated(lefts: &Neighbours, rights: &Neighbours) -> bool {
    let n = lefts.total();
    let dominated = |most: u64| 3 * most >= 2 * n;
    !dominated(lefts.most_common(|_| true)) && !dominated(rights.most_common(|c| !JOINERS.contains(&c)))
}

/// [`usage_at`] of every occurrence of `text` in the index.
pub fn usage_of(index: &Index, text: &str, quoted: u64, family: bool, min_entropy: f64) -> Option<Usage> {
    let positions: Vec<usize> = index.range(text).map(|r| index.position(r)).collect();
    usage_at(index, &positions, text.chars().count(), quoted, family, min_entropy)
}

/// The context evidence of a usage over `occurrences`, `quoted` of them in quotes: the shares
/// after a principle verb, before a frame noun and in quotes, half the share next to 、
/// (ordinary nouns are listed too), and 0.25 when its `form` says set phrase ([`idiom`] or
/// [`coined`]).
pub fn context(u: Usage, occurrences: usize, quoted: u64, form: bool) -> f64 {
    if occurrences == 0 {
        return 0.0;
    }
    let n = occurrences as f64;
    let shares = (u.principle + u.framed) as f64 / n + (quoted as f64 / n).min(1.0) + 0.5 * u.parallel as f64 / n;
    shares + if form { FORM } else { 0.0 }
}

/// True when jieba's dictionary holds `text` as one idiom or set expression with a frequency
/// of its own.
pub fn idiom(text: &str, segmenter: &Segmenter) -> bool {
    let tags = segmenter.tags(text);
    tags.len() == 1 && matches!(tags[0].1.as_str(), "i" | "l") && segmenter.dictionary_freq(text) > 3
}

/// True for a four-character phrase in the rhythm of a coined formulation: jieba's dictionary
/// cuts it into three or four pieces (学/思/践/悟, 久久/为/功, 守/正/创新, 应保尽保), yet the
/// corpus repeats it. One that ends in an adjective or numeral is a predicate, not a
/// formulation (规模过大, 素质不高, 层次过多).
pub fn coined(text: &str, segmenter: &Segmenter) -> bool {
    if text.chars().count() != 4 || !text.chars().all(crate::clean::is_han) || segmenter.dictionary_pieces(text) < 3 {
        return false;
    }
    let tags = segmenter.tags(text);
    let predicate = tags.last().is_some_and(|(_, t)| t.starts_with('a') || t == "m");
    !predicate
}

/// See the module documentation.
pub fn evidence(context: f64, cohesion: f64) -> f64 {
    context + 0.05 * cohesion.clamp(0.0, 10.0)
}

/// A set phrase the detector vouches for.
#[derive(Debug, Clone, PartialEq)]
pub struct SetPhrase {
    pub text: String,
    pub freedom: Freedom,
    pub cohesion: f64,
    pub evidence: f64,
}

impl SetPhrase {
    pub fn score(&self) -> f64 {
        (1.0 + self.freedom.docs as f64).log2() * self.evidence
    }
}

/// What the whole corpus says of a set phrase beyond its own usage: the families of parallel
/// formulations it may belong to, and the years of the documents, for its era.
#[derive(Debug, Clone, Copy)]
pub struct CorpusEvidence<'a> {
    pub families: &'a Families,
    pub eras: &'a Eras,
}

/// Thresholds of [`select`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub min_docs: usize,
    pub min_cohesion: f64,
    /// Most set phrases kept.
    pub max: usize,
}

/// Judge `proposals` — strings the phrase detector found free and recurring, each with its
/// freedom, its usage and its times in quotes — and keep at most `max` set phrases, the best by
/// `set_score` (ties: text order), in text order. Only strings in `min_docs` documents,
/// cohesive (`min_cohesion`) and with `few_words` true (one or two words as the segmenter cuts
/// them, of a good shape: the word rules' only objection to them as a phrase) are judged.
/// A member of a family (see [`Families`]) gains [`FAMILY`] when at least
/// [`FAMILY_MIN_OWN`] of the family's judged members, and [`FAMILY_MIN_OWN_SHARE`] of them,
/// pass on their own evidence. An item only ever listed ([`Freedom::listed`]) is kept only
/// with its family's vouching, or with [`MIN_CONTEXT`] from principle verbs, frame nouns and
/// quotes alone: country names and places are listed too. A string that opens with a quantity
/// (一批, 四个) is never kept, but may show that its family vouches.
pub fn select(
    proposals: &[(&str, &Freedom, Usage, u64)],
    corpus: CorpusEvidence,
    measures: &dyn Measures,
    segmenter: &Segmenter,
    few_words: impl Fn(&str) -> bool + Sync,
    limits: Limits,
) -> Vec<SetPhrase> {
    let Limits { min_docs, min_cohesion, max } = limits;
    let CorpusEvidence { families, eras } = corpus;
    // each proposal's own context evidence and its families
    let judged: Vec<Option<(f64, Vec<u32>)>> = proposals
        .par_iter()
        .map(|&(text, freedom, u, quoted)| {
            if (freedom.docs as usize) < min_docs {
                return None;
            }
            let fams = families.of(text);
            let family = if fams.is_empty() { 0.0 } else { FAMILY };
            // the cheap evidence first: without its form and era a phrase must come within them
            let plain = context(u, freedom.occurrences as usize, quoted, false);
            if plain + FORM + ERA + family < MIN_CONTEXT {
                return None;
            }
            let form = (segmenter.has_word(text) && idiom(text, segmenter)) || coined(text, segmenter);
            let ctx = if form { plain + FORM } else { plain };
            let era = eras.may_bound(freedom.docs as usize) && measures.bounded(eras, text);
            let ctx = if era { ctx + ERA } else { ctx };
            if ctx + family < MIN_CONTEXT || !few_words(text) {
                return None;
            }
            Some((ctx, fams))
        })
        .collect();
    // the families whose members pass on their own often enough
    // (an item only ever listed is no member either way: it is what a family vouches for)
    let mut members: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (p, (ctx, fams)) in proposals.iter().zip(&judged).filter_map(|(p, j)| Some((p, j.as_ref()?))) {
        for &f in fams.iter().filter(|_| !p.1.listed) {
            let m = members.entry(f).or_default();
            m.0 += 1;
            m.1 += (*ctx >= MIN_CONTEXT) as usize;
        }
    }
    let vouching: BTreeSet<u32> = members
        .into_iter()
        .filter(|&(_, (all, own))| own >= FAMILY_MIN_OWN && own as f64 >= FAMILY_MIN_OWN_SHARE * all as f64)
        .map(|(f, _)| f)
        .collect();
    let mut found: Vec<SetPhrase> = proposals
        .par_iter()
        .zip(judged)
        .filter_map(|(&(text, freedom, u, quoted), j)| {
            let (own, fams) = j?;
            let vouched = fams.iter().any(|f| vouching.contains(f));
            let ctx = if vouched { own + FAMILY } else { own };
            // a list is all an item only ever listed has to show, unless it also stands after a
            // principle verb, before a frame noun or in quotes (坚持艰苦朴素、勤俭节约): else its
            // family must vouch for it
            let beyond_list = context(Usage { parallel: 0, ..u }, freedom.occurrences as usize, quoted, false);
            if ctx < MIN_CONTEXT || freedom.listed && !vouched && beyond_list < MIN_CONTEXT {
                return None;
            }
            // a quantity opens no set phrase (建设 | 一批出口…), though a numbered formula
            // (四个自信: the formula detector's) shows its family's members are set phrases
            if opens_with_quantity(text, segmenter) {
                return None;
            }
            let cohesion = measures.cohesion(text)?;
            (cohesion >= min_cohesion).then(|| SetPhrase {
                text: text.to_string(),
                freedom: *freedom,
                cohesion,
                evidence: evidence(ctx, cohesion),
            })
        })
        .collect();
    found.sort_by(|a, b| b.score().total_cmp(&a.score()).then(a.text.cmp(&b.text)));
    found.truncate(max);
    found.sort_by(|a, b| a.text.cmp(&b.text));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resources;

    #[test]
    fn the_frame_characters_are_the_lists() {
        let mut ends: Vec<char> = PRINCIPLE_VERBS.iter().filter_map(|v| v.chars().last()).chain(['实']).collect();
        ends.sort_unstable();
        ends.dedup();
        assert_eq!(ends, PRINCIPLE_VERB_ENDS);
        let mut starts: Vec<char> =
            FRAME_NOUNS.iter().chain(FRAME_MODIFIERS).filter_map(|w| w.chars().next()).chain(['的']).collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts, FRAME_STARTS);
    }

    fn usage(idx: &Index, s: &str, min_entropy: f64) -> Option<Usage> {
        usage_of(idx, s, 0, false, min_entropy)
    }

    #[test]
    fn two_characters_begin_a_word_as_decoded() {
        let list = ["坚持", "党", "方针政策", "ab", "a坚"];
        let chars = ['坚', '持', '党', '方', '针', 'a', 'b', '持'];
        for a in chars.iter().map(|&c| Some(c)).chain([None]) {
            for b in chars.iter().map(|&c| Some(c)).chain([None]) {
                let decoded = list.iter().any(|w| {
                    let mut c = w.chars();
                    a.is_some() && b.is_some() && c.next() == a && c.next() == b
                });
                assert_eq!(two(a, b, &list), decoded, "{a:?} {b:?}");
            }
        }
        assert!(two(Some('坚'), Some('持'), PRINCIPLE_VERBS) && !two(Some('持'), Some('坚'), PRINCIPLE_VERBS));
    }

    #[test]
    fn usage_counts_each_context_once_per_occurrence() {
        let texts = ["坚持独立自主、自力更生。独立自主的方针。", "我们独立自主地发展，实行独立自主", "独立自主战略"];
        let idx = Index::build(&texts);
        // 坚持独立自主、 · 独立自主的方针 · 独立自主地 · 实行独立自主 · 独立自主战略
        let u = usage(&idx, "独立自主", 1.0).expect("free");
        assert_eq!(u, Usage { parallel: 1, principle: 2, framed: 2 });
        assert_eq!(context(u, 5, 1, false), (2 + 2) as f64 / 5.0 + 0.2 + 0.5 * 0.2);
        assert_eq!(context(u, 5, 1, true), context(u, 5, 1, false) + FORM);
        // a separator ends the context: 坚持 before 。 does not count
        let idx = Index::build(&["要坚持。独立自主、"]);
        assert_eq!(usage(&idx, "独立自主", 0.0), Some(Usage { parallel: 1, principle: 0, framed: 0 }));
        // without any context evidence a string is not judged
        assert_eq!(usage(&Index::build(&["人民群众。人民群众的"]), "人民群众", 0.0), None);
        assert_eq!(usage(&idx, "不存在", 0.0), None);
    }

    #[test]
    fn a_string_inside_a_longer_word_is_not_judged() {
        // 持续发展 mostly after 可; 独立自主 mostly before 的, which joins without making a word
        let texts = [
            "可持续发展战略。",
            "可持续发展、",
            "坚持持续发展，",
            "奉行独立自主的政策",
            "独立自主的原则",
            "独立自主，",
        ];
        let idx = Index::build(&texts);
        assert_eq!(usage(&idx, "持续发展", 0.0), None);
        assert!(usage(&idx, "独立自主", 0.0).is_some());
        // too short, too long, or a series
        assert_eq!(usage(&Index::build(&["大跃进。大跃进"]), "大跃进", 0.0), None);
        assert_eq!(usage(&Index::build(&["学、思。学、思"]), "学、思", 0.0), None);
    }

    #[test]
    fn idioms_need_a_general_language_frequency() {
        let res = Resources::builtin().unwrap();
        let seg = Segmenter::new(&res);
        assert!(idiom("自力更生", &seg));
        assert!(idiom("解放思想", &seg));
        // an ordinary noun, and a placeholder entry of the dictionary (frequency 3)
        assert!(!idiom("人民群众", &seg));
        assert!(!idiom("体制改革", &seg));
    }

    #[test]
    fn coined_four_character_rhythm() {
        let seg = Segmenter::new(&Resources::builtin().unwrap());
        for w in ["久久为功", "善作善成", "应保尽保"] {
            assert!(coined(w, &seg), "{w}");
        }
        for w in ["理论武装", "人民群众", "规模过大", "素质不高", "实事求是", "学思想、"] {
            assert!(!coined(w, &seg), "{w}");
        }
    }

    #[test]
    fn eras_tell_born_and_retired_phrases_from_words_used_throughout() {
        // twenty documents, one a year from 2000
        let years: Vec<Option<u32>> = (0..20).map(|y| Some(2000 + y)).collect();
        let eras = Eras::new(&years);
        // born in 2010 (half the documents before it), used in half of those since
        assert!(eras.bounded(&[10, 12, 14, 16, 18]));
        // born in 2006: 30 % before it, used in 6 of the 14 since (≥ 40 %)
        assert!(eras.bounded(&[6, 8, 10, 12, 14, 16]));
        // used in 3 of the 10 since its birth: too rarely
        assert!(!eras.bounded(&[10, 15, 19]));
        // born too early (25 % before it) and used until near the end
        assert!(!eras.bounded(&[5, 8, 11, 14, 17]));
        // retired in 2009: in 5 of the 10 documents up to then, in none of the 10 after
        assert!(eras.bounded(&[0, 2, 4, 6, 9]));
        // used throughout, or in too few documents
        assert!(!eras.bounded(&[0, 5, 10, 15, 19]));
        assert!(!eras.bounded(&[18, 19]));
        // one document a year: a phrase in fewer than three documents is never bounded
        assert!(eras.may_bound(3) && !eras.may_bound(2));
        // undated documents are not counted; fewer than ERA_MIN_CORPUS dated ones make no eras
        let mut undated = years.clone();
        undated[12] = None;
        assert!(!Eras::new(&undated).bounded(&[10, 12, 14, 16, 18]));
        assert!(Eras::new(&[years.clone(), vec![None; 5]].concat()).bounded(&[10, 12, 14, 16, 18]));
    }

    #[test]
    fn families_come_from_series_with_three_items_and_a_fixed_part() {
        let items = [
            ("X强国", "教育强国"),
            ("X强国", "科技强国"),
            ("X强国", "人才强国"),
            ("X强国", "教育强国"),
            ("X中国", "平安中国"),
            ("X中国", "法治中国"),
            ("X化", "工业化"),
            ("X化", "信息化"),
            ("X化", "城镇化"),
            ("精准X贫", "精准扶贫"),
            ("精准X贫", "精准脱贫"),
            ("精准X贫", "精准治贫"),
        ];
        let f = Families::from_items(items);
        // X强国 and 精准X贫; X中国 has two items, X化 a one-character fixed part
        assert_eq!(f.len(), 2);
        assert_eq!(f.of("制造强国").len(), 1);
        assert_eq!(f.of("社会主义现代化强国").len(), 0, "too long to judge");
        assert!(f.of("美丽中国").is_empty());
        assert!(f.of("现代化").is_empty());
        // at least two characters stand for X
        assert!(f.of("精准脱贫").is_empty());
        assert!(f.of("精准帮扶脱贫").len() == 1);
        assert!(Families::default().of("制造强国").is_empty());
    }
}
