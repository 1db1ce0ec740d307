//! Enumeration detector: 排比 series — two or more parallel items joined by 、 (or by ， when the
//! items are short) that share a template (以学铸魂、以学增智、以学正风、以学促干 → 以学X; 政治判断力、政治领悟力、政治执行力 →
//! 政治X力; 政治意识、大局意识、核心意识、看齐意识 → X意识). The whole series is the slogan.

use crate::clean::is_han;

/// Longest item of a series, in characters.
pub const MAX_ITEM_CHARS: usize = 10;

/// Prepositions and conjunctions that lead into a series rather than belong to its first item.
const LEADS: &[char] = &['对', '把', '在', '从', '向', '以', '为', '与', '和', '同', '将', '被', '的', '了'];

/// Longest item of a two-item series or of a series joined by ，.
pub const MAX_SHORT_ITEM_CHARS: usize = 6;

/// Most items in one series; a longer list is read as several series.
pub const MAX_SERIES_ITEMS: usize = 16;

/// A series as written in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series<'a> {
    /// The series, separators included, exactly as in the text.
    pub text: &'a str,
    pub items: Vec<&'a str>,
    /// The shared part with X for what varies: 以学X, 政治X力, X意识.
    pub template: String,
}

/// One run of Chinese characters and the separator after it.
struct Seg {
    start: usize,
    end: usize,
    /// The single character that follows, if it joins items (、 or ，).
    joiner: Option<char>,
}

fn common_prefix(items: &[Vec<char>]) -> usize {
    let first = &items[0];
    (0..first.len()).take_while(|&k| items.iter().all(|it| it.get(k) == Some(&first[k]))).count()
}

fn common_suffix(items: &[Vec<char>]) -> usize {
    let first = &items[0];
    (0..first.len())
        .take_while(|&k| items.iter().all(|it| it.len() > k && it[it.len() - 1 - k] == first[first.len() - 1 - k]))
        .count()
}

/// The template of `items` (prefix, suffix lengths) if they are parallel: a shared prefix or
/// suffix, something different in the middle of each, lengths within two characters.
fn template(items: &[Vec<char>]) -> Option<(usize, usize)> {
    let (min, max) = items.iter().fold((usize::MAX, 0), |(a, b), it| (a.min(it.len()), b.max(it.len())));
    if items.len() < 2 || max > MAX_ITEM_CHARS || min < 2 || max - min > 2 {
        return None;
    }
    let p = common_prefix(items);
    let s = common_suffix(items).min(min.saturating_sub(p + 1));
    // one shared character is weak evidence (图书馆、博物馆): three items, or two long ones of
    // equal length (自主经营、自负盈亏)
    if p + s == 1 && items.len() < 3 && (min < 4 || min != max) {
        return None;
    }
    // what varies must be more than a count (三中、四中、五中 are pieces of 三中全会 …)
    let numeral = |c: &char| "一二两三四五六七八九十百千".contains(*c);
    if items.iter().filter(|it| it[p..it.len() - s].iter().all(numeral)).count() * 2 >= items.len() {
        return None;
    }
    let distinct = {
        let mut mids: Vec<&[char]> = items.iter().map(|it| &it[p..it.len() - s]).collect();
        mids.sort();
        mids.dedup();
        mids.len() == items.len()
    };
    (p + s >= 1 && items.iter().all(|it| it.len() > p + s) && distinct).then_some((p, s))
}

/// Series in `text`. Items are maximal runs of Chinese characters joined by single 、 or ，; the
/// first item may be cut at its start and the last at its end to fit the template (坚持以学铸魂 →
/// 以学铸魂), when the items between them fix it.
pub fn find_series(text: &str) -> Vec<Series<'_>> {
    find_series_in_words(text, None)
}

/// [`find_series`] where an item may only be cut between two words of `seg` (the segmentation
/// of `text`), so that 不可持续发展 gives 不可持续, never 不可持.
pub fn find_series_in_words<'a>(text: &'a str, seg: Option<&crate::segment::Segmented>) -> Vec<Series<'a>> {
    // the tokens are in text order and do not overlap: their starts and their ends are sorted
    let boundary = |pos: usize| {
        seg.is_none_or(|s| {
            let pos = pos as u32;
            s.tokens.binary_search_by_key(&pos, |t| t.0).is_ok() || s.tokens.binary_search_by_key(&pos, |t| t.1).is_ok()
        })
    };
    let mut out = Vec::new();
    for line_start in line_starts(text) {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |e| line_start + e);
        let line = &text[line_start..line_end];
        let segs = segments(line);
        let mut i = 0;
        while i < segs.len() {
            // a chain: segments joined by 、 or ，
            let mut j = i;
            while j + 1 < segs.len() && joins(line, &segs[j], &segs[j + 1]) {
                j += 1;
            }
            let cut_ok = |line_offset: usize| boundary(line_start + line_offset);
            series_in_chain(line, &segs[i..=j], &cut_ok, &mut out);
            i = j + 1;
        }
    }
    out
}

/// True when `a` and `b` are items of one chain: one 、 between them, or one ， between two
/// short items.
fn joins(line: &str, a: &Seg, b: &Seg) -> bool {
    let short = |s: &Seg| line[s.start..s.end].chars().count() <= MAX_SHORT_ITEM_CHARS;
    match a.joiner {
        Some(j) if a.end + j.len_utf8() == b.start => j == '、' || short(a) && short(b),
        _ => false,
    }
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(move |&i| i <= text.len())
}

fn segments(line: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        match (is_han(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                segs.push(Seg { start: s, end: i, joiner: matches!(c, '、' | '，').then_some(c) });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        segs.push(Seg { start: s, end: line.len(), joiner: None });
    }
    segs
}

/// Items cut to fit a template.
struct Fit {
    items: Vec<Vec<char>>,
    template: (usize, usize),
    /// Characters kept at the end of the first segment and at the start of the last.
    kept_first: usize,
    kept_last: usize,
}

/// Find the longest parallel runs in a chain of segments.
fn series_in_chain<'a>(line: &'a str, chain: &[Seg], cut_ok: &dyn Fn(usize) -> bool, out: &mut Vec<Series<'a>>) {
    let chars: Vec<Vec<char>> = chain.iter().map(|s| line[s.start..s.end].chars().collect()).collect();
    let bytes = |cs: &[char]| cs.iter().map(|c| c.len_utf8()).sum::<usize>();
    let mut a = 0;
    while a + 1 < chain.len() {
        let fits = |b: usize| {
            // where the first item may start (kept characters) and the last may end
            let first_ok = |kept: usize| cut_ok(chain[a].end - bytes(&chars[a][chars[a].len() - kept..]));
            let last_ok = |kept: usize| cut_ok(chain[b].start + bytes(&chars[b][..kept]));
            fit(&chars[a..=b], &first_ok, &last_ok).map(|f| (b, f))
        };
        // the longest run first; a run is at most MAX_SERIES_ITEMS long, which also keeps a
        // chain of thousands of segments (one enormous 排比) linear
        let Some((b, fit)) = (a + 1..chain.len().min(a + MAX_SERIES_ITEMS)).rev().find_map(fits) else {
            a += 1;
            continue;
        };
        let start = chain[a].end - bytes(&chars[a][chars[a].len() - fit.kept_first..]);
        let end = chain[b].start + bytes(&chars[b][..fit.kept_last]);
        let items: Vec<&str> = chain[a..=b]
            .iter()
            .enumerate()
            .map(|(k, seg)| {
                let from = if k == 0 { start } else { seg.start };
                let to = if k == b - a { end } else { seg.end };
                &line[from..to]
            })
            .collect();
        let (p, s) = fit.template;
        let first = &fit.items[0];
        let front: String = first[..p].iter().collect();
        let back: String = first[first.len() - s..].iter().collect();
        out.push(Series { text: &line[start..end], items, template: format!("{front}X{back}") });
        a = b + 1;
    }
}

/// Fit a run of segments to a template, keeping the end of the first segment and the start of
/// the last (so 坚持以学铸魂 gives 以学铸魂). Among the cuts that fit, the one whose edge items are
/// closest in length to the others wins.
fn fit(segs: &[Vec<char>], first_ok: &dyn Fn(usize) -> bool, last_ok: &dyn Fn(usize) -> bool) -> Option<Fit> {
    let n = segs.len();
    if n < 2 {
        return None;
    }
    let (first, last) = (&segs[0], &segs[n - 1]);
    if n == 2 {
        // two short items; a long first one may be cut to the length of the second
        // (增强纪律意识、规矩意识 → 纪律意识、规矩意识)
        if last.len() > MAX_SHORT_ITEM_CHARS || first.len() < 2 {
            return None;
        }
        let kept = if first.len() <= MAX_SHORT_ITEM_CHARS { first.len() } else { last.len().min(first.len()) };
        let items = vec![first[first.len() - kept..].to_vec(), last.clone()];
        return template(&items).filter(|t| kept == first.len() || first_ok(kept) || t.0 > 0).map(|template| Fit {
            items,
            template,
            kept_first: kept,
            kept_last: last.len(),
        });
    }
    let inner = &segs[1..n - 1];
    let mut best: Option<(usize, Fit)> = None;
    for kf in 2..=first.len().min(MAX_ITEM_CHARS) {
        for kl in 2..=last.len().min(MAX_ITEM_CHARS) {
            let mut items = vec![first[first.len() - kf..].to_vec()];
            items.extend(inner.iter().cloned());
            items.push(last[..kl].to_vec());
            // an edge item cut shorter than every inner item is a fragment, unless the first one
            // is cut just after a lead word (对共产党执政规律 → 共产党执政规律)
            let shortest = inner.iter().map(Vec::len).min().unwrap_or(0);
            let after_lead = kf < first.len() && LEADS.contains(&first[first.len() - kf - 1]);
            if (kf < shortest && !(after_lead && kf + 2 >= shortest)) || kl < shortest {
                continue;
            }
            let Some(template) = template(&items) else { continue };
            // a cut falls between two words, or where the shared prefix (suffix) of the items
            // anchors it: 党的基本理论 → 基本理论 in 基本理论、基本路线、基本纲领
            let first_cut_ok = kf == first.len() || first_ok(kf) || template.0 > 1;
            let last_cut_ok = kl == last.len() || last_ok(kl) || template.1 > 1;
            if !first_cut_ok || !last_cut_ok {
                continue;
            }
            let target = inner[inner.len() / 2].len();
            // an edge item carrying what the inner items lack (面临的执政考验, 对共产党执政规律)
            // has kept words of the sentence around the series
            let foreign = |item: &[char]| {
                let has_de = item.contains(&'的') && !inner.iter().any(|i| i.contains(&'的'));
                let lead =
                    item.first().is_some_and(|c| LEADS.contains(c) && !inner.iter().all(|i| i.first() == Some(c)));
                3 * (usize::from(has_de) + usize::from(lead))
            };
            let cost =
                kf.abs_diff(target) + kl.abs_diff(target) + foreign(&items[0]) + foreign(&items[items.len() - 1]);
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, Fit { items, template, kept_first: kf, kept_last: kl }));
            }
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        find_series(text).into_iter().map(|s| (s.text.to_string(), s.template)).collect()
    }

    #[test]
    fn templates_of_known_series() {
        let cases = [
            ("“以学铸魂、以学增智、以学正风、以学促干”根本任务", "以学铸魂、以学增智、以学正风、以学促干", "以学X"),
            ("采取边学习、边对照、边检视、边整改的方式", "边学习、边对照、边检视、边整改", "边X"),
            ("不断提高政治判断力、政治领悟力、政治执行力，", "政治判断力、政治领悟力、政治执行力", "政治X力"),
            ("要牢固树立政治意识、大局意识、核心意识、看齐意识。", "政治意识、大局意识、核心意识、看齐意识", "X意识"),
            ("稳就业、稳企业、稳市场、稳预期", "稳就业、稳企业、稳市场、稳预期", "稳X"),
        ];
        for (text, series, tpl) in cases {
            assert_eq!(found(text), [(series.to_string(), tpl.to_string())], "{text}");
        }
    }

    #[test]
    fn items_are_spans_of_the_text() {
        let s = &find_series("做到全面学、重点学、及时学相结合")[0];
        assert_eq!(s.items, ["全面学", "重点学", "及时学"]);
        assert_eq!(s.template, "X学");
    }

    #[test]
    fn cuts_fall_between_words() {
        let text = "实现更高质量、更有效率、更加公平、更可持续的发展";
        let seg = crate::segment::Segmenter::new(&crate::resources::Resources::builtin().unwrap()).segment(text);
        let found: Vec<&str> = find_series_in_words(text, Some(&seg)).iter().map(|s| s.text).collect();
        assert_eq!(found, ["更高质量、更有效率、更加公平、更可持续"]);
    }

    #[test]
    fn lead_words_stay_outside() {
        assert_eq!(
            found("深化了对共产党执政规律、社会主义建设规律、人类社会发展规律的认识"),
            [("共产党执政规律、社会主义建设规律、人类社会发展规律".to_string(), "X规律".to_string())]
        );
        assert_eq!(
            found("党面临的执政考验、改革开放考验、市场经济考验、外部环境考验是长期的"),
            [("执政考验、改革开放考验、市场经济考验、外部环境考验".to_string(), "X考验".to_string())]
        );
    }

    #[test]
    fn lists_without_a_template_are_not_series() {
        assert!(found("图书馆、博物馆").is_empty());
        assert!(found("十九届三中、四中、五中全会").is_empty(), "{:?}", found("十九届三中、四中、五中全会"));
        assert!(!found("工业化、信息化、城镇化").is_empty());
        assert!(found("学思想、强党性、重实践、建新功").is_empty());
        assert!(found("北京、天津、河北").is_empty());
        assert!(found("集中学习、专题研讨等形式").is_empty());
        // a long clause joined by ， is not an item
        assert!(found("要坚定扛牢政治责任，高标准抓好任务落实").is_empty());
        assert_eq!(found("纪律意识、规矩意识"), [("纪律意识、规矩意识".to_string(), "X意识".to_string())]);
        assert_eq!(found("干部增强纪律意识、规矩意识。"), [("纪律意识、规矩意识".to_string(), "X意识".to_string())]);
    }
}
