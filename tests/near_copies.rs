//! Near-copies: hand-written documents whose aligned spans are known, and a benchmark of edited
//! copies of Government Work Report paragraphs (place words swapped, common words replaced by
//! synonyms, clauses dropped, phrases inserted) measured against its own truth.

use std::path::Path;

use tifa::reuse::{AlignOptions, Reuse, ReuseOptions, find_reuse};

fn reuse(docs: &[String], align: AlignOptions) -> Reuse {
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    find_reuse(&refs, ReuseOptions { align, ..ReuseOptions::default() })
}

/// Characters of each document inside an aligned passage, as flags.
fn covered(docs: &[String], r: &Reuse) -> Vec<Vec<bool>> {
    let mut cover: Vec<Vec<bool>> = docs.iter().map(|d| vec![false; d.chars().count()]).collect();
    for x in &r.alignments {
        cover[x.a as usize][x.a_start as usize..x.a_end as usize].iter_mut().for_each(|c| *c = true);
        cover[x.b as usize][x.b_start as usize..x.b_end as usize].iter_mut().for_each(|c| *c = true);
    }
    cover
}

const PARAGRAPH: &str = "过去一年，我省坚持稳中求进工作总基调，统筹疫情防控和经济社会发展，全省地区生产总值增长百分之五点八，城镇新增就业六十二万人，居民人均可支配收入增长百分之六点一，粮食总产量连续八年稳定在一千万吨以上。";

#[test]
fn a_lightly_edited_copy_is_one_aligned_passage() {
    // 我省 → 我市, 全省 → 全市, 稳定 → 保持: three substitutions, 104 characters on each side
    let copy = PARAGRAPH.replace("我省", "我市").replace("全省", "全市").replace("稳定", "保持");
    let docs = vec![
        format!("省政府工作报告\n{PARAGRAPH}\n下一步，我们将继续努力。"),
        format!("市里的材料\n{copy}"),
        "一篇毫不相干的文章，讲的是春天的花开得正好，大家都去公园散步。".to_string(),
    ];
    let r = reuse(&docs, AlignOptions::default());
    assert_eq!(r.alignments.len(), 1, "{:?}", r.alignments);
    let x = &r.alignments[0];
    let n = PARAGRAPH.chars().count() as u32;
    assert_eq!((x.a, x.b), (0, 1));
    // the passage runs from the paragraph's first character to its last on both sides
    assert_eq!((x.a_start, x.a_end, x.b_start, x.b_end), (8, 8 + n, 6, 6 + n));
    // 全省 and 全市 differ in one character, 我省/我市 in one, 稳定/保持 in two
    assert_eq!((x.matched, x.edits), (n - 4, 4));
    assert!((x.similarity() - (n - 4) as f64 / n as f64).abs() < 1e-12);
    let (a, b) = x.texts(&docs[0], &docs[1]);
    assert_eq!((a.as_str(), b.as_str()), (PARAGRAPH, copy.as_str()));
    // the document that shares nothing has nothing aligned
    assert_eq!(r.copied_chars[2], 0);
    assert_eq!(r.copied_chars[1], n as usize);
    let pair = r.pairs.iter().find(|p| (p.a, p.b) == (0, 1)).unwrap();
    assert_eq!((pair.aligned_a, pair.aligned_b), (n as usize, n as usize));
}

#[test]
fn a_dropped_clause_and_an_inserted_phrase_are_bridged() {
    // drop 统筹疫情防控和经济社会发展， (15) and insert 认真贯彻中央部署， (9)
    let copy = PARAGRAPH.replace("统筹疫情防控和经济社会发展，", "").replace("城镇新增", "认真贯彻中央部署，城镇新增");
    let docs = vec![PARAGRAPH.to_string(), copy.clone()];
    let r = reuse(&docs, AlignOptions { max_gap: 40, ..AlignOptions::default() });
    assert_eq!(r.alignments.len(), 1, "{:?}", r.alignments);
    let x = &r.alignments[0];
    let (na, nb) = (PARAGRAPH.chars().count(), copy.chars().count());
    assert_eq!((x.chars_a(), x.chars_b()), (na, nb));
    // the edit distance: 15 deleted and 9 inserted, less one, since the inserted phrase ends
    // with the ， the dropped clause ended with, a character both keep
    assert_eq!((x.edits, x.matched as usize), (23, na - 14));
    // with gaps shorter than the dropped clause (characters 19..34), no passage bridges it
    let r = reuse(&docs, AlignOptions { max_gap: 10, min_chars: 20, ..AlignOptions::default() });
    assert!(
        !r.alignments.is_empty() && r.alignments.iter().all(|x| x.a_start >= 19 || x.a_end <= 34),
        "{:?}",
        r.alignments
    );
}

#[test]
fn a_phrase_inserted_before_the_last_words_is_aligned_to_the_line_end() {
    // 11 characters inserted 7 before the paragraph's end: more than a widening bridges, so the
    // rest of both lines, which end with the same 一千万吨以上。, is aligned to their ends
    let insert = "，在省委的坚强领导下，";
    let copy = PARAGRAPH.replace("一千万吨以上。", &format!("{insert}一千万吨以上。"));
    let docs = vec![format!("{PARAGRAPH}\n下一步，我们将继续努力。"), format!("市里的材料\n{copy}\n完")];
    let r = reuse(&docs, AlignOptions::default());
    assert_eq!(r.alignments.len(), 1, "{:?}", r.alignments);
    let x = &r.alignments[0];
    let (n, m) = (PARAGRAPH.chars().count() as u32, copy.chars().count() as u32);
    assert_eq!((x.a_start, x.a_end, x.b_start, x.b_end), (0, n, 6, 6 + m));
    assert_eq!((x.matched, x.edits), (n, 11));
    // the start of the line is where the passage starts already: nothing moves there; a line
    // that ends otherwise is not carried to its end
    let other = PARAGRAPH.replace("一千万吨以上。", &format!("{insert}一千万吨左右，"));
    let r = reuse(&[PARAGRAPH.to_string(), other], AlignOptions::default());
    assert_eq!(r.alignments.len(), 1, "{:?}", r.alignments);
    assert!(r.alignments[0].a_end < n - 3, "{:?}", r.alignments);
}

#[test]
fn pieces_a_long_dropped_clause_cuts_apart_are_both_kept() {
    // a clause of 46 characters, longer than the widest gap, is dropped from the copy: the 33
    // characters before it are shorter than a passage must be, but they lie next to the
    // passage after it, so the copy is aligned whole, in two passages
    let head = "过去一年，我省坚持稳中求进工作总基调，统筹疫情防控和经济社会发展，";
    let clause = "全省上下团结一心、攻坚克难，有效应对了多年少有的严重洪涝灾害和复杂严峻的外部环境带来的冲击，";
    let tail = "全省地区生产总值增长百分之五点八，城镇新增就业六十二万人，居民人均可支配收入增长百分之六点一，粮食总产量连续八年稳定在一千万吨以上。";
    let n = |s: &str| s.chars().count() as u32;
    assert_eq!((n(head), n(clause)), (33, 46));
    let docs = vec![format!("{head}{clause}{tail}"), format!("市里的材料\n{head}{tail}")];
    let r = reuse(&docs, AlignOptions::default());
    let spans: Vec<_> = r.alignments.iter().map(|x| (x.a_start, x.a_end, x.b_start, x.b_end)).collect();
    let (h, c, t) = (n(head), n(clause), n(tail));
    // the head is widened by the 全省 that the clause and the tail both begin with, the tail
    // back by the ， that the head and the clause both end with
    assert_eq!(spans, [(0, h + 2, 6, 6 + h + 2), (h + c - 1, h + c + t, 6 + h - 1, 6 + h + t)], "{:?}", r.alignments);
    assert_eq!(r.copied_chars[1], (h + t) as usize);
    // alone, the head is too short to be a passage
    let r = reuse(&[head.to_string(), format!("另一份：{head}")], AlignOptions::default());
    assert!(r.alignments.is_empty(), "{:?}", r.alignments);
}

#[test]
fn text_only_a_formula_shares_is_not_a_near_copy() {
    // every document has the same formula (in more documents than a pair's limit): no pair
    let formula = "高举中国特色社会主义伟大旗帜，全面贯彻新时代中国特色社会主义思想";
    let places = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东南西北春夏秋冬";
    let docs: Vec<String> = places.chars().map(|c| format!("{c}市文件。{formula}，{c}市做好工作安排。")).collect();
    let r = reuse(&docs, AlignOptions::default());
    assert!(r.alignments.is_empty(), "{:?}", r.alignments.first());
}

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Word swaps a provincial copy makes: place words, then common words and their synonyms.
const SWAPS: &[(&str, &str)] = &[
    ("我国", "我省"),
    ("全国", "全省"),
    ("国务院", "省政府"),
    ("中央", "省委"),
    ("加强", "强化"),
    ("发展", "进步"),
    ("推进", "推动"),
    ("提高", "提升"),
    ("积极", "主动"),
    ("全面", "全力"),
    ("坚持", "坚定"),
    ("进一步", "更好地"),
    ("重点", "关键"),
    ("支持", "扶持"),
];

const INSERTS: &[&str] = &["，结合本地实际，", "认真", "切实", "，在省委的坚强领导下，", "各级", "大力"];

/// An edited copy of `p`: one clause dropped, then every 15–20 characters one edit — a word of
/// [`SWAPS`] starting there swapped, else a phrase inserted or one or two characters changed
/// or deleted.
fn edited(p: &str, g: &mut Lcg) -> String {
    let mut chars: Vec<char> = p.chars().collect();
    // drop one clause (between two commas) of a paragraph with several
    let commas: Vec<usize> = chars.iter().enumerate().filter(|(_, c)| **c == '，').map(|(i, _)| i).collect();
    if commas.len() >= 3 {
        let k = g.next(commas.len() - 1);
        chars.drain(commas[k] + 1..=commas[k + 1]);
    }
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 16);
    let mut next_edit = 15 + g.next(6);
    let mut i = 0;
    while i < chars.len() {
        if i < next_edit {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // a swap word starting within the next few characters, else another edit here
        let swap = (i..(i + 6).min(chars.len())).find_map(|at| {
            let rest: String = chars[at..].iter().take(3).collect();
            SWAPS.iter().find(|(from, _)| rest.starts_with(from)).map(|&(from, to)| (at, from, to))
        });
        match swap {
            Some((at, from, to)) => {
                out.extend(&chars[i..at]);
                out.extend(to.chars());
                i = at + from.chars().count();
            }
            None => match g.next(3) {
                0 => out.extend(INSERTS[g.next(INSERTS.len())].chars()),
                1 => {
                    let n = 1 + g.next(2);
                    out.extend("改动".chars().take(n));
                    i += n;
                }
                _ => i += 1 + g.next(2),
            },
        }
        next_edit = i + 15 + g.next(6);
    }
    out.into_iter().collect()
}

/// Paragraphs of 80–400 characters from the Government Work Reports, each report's in order.
fn report_paragraphs(dir: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| (80..=400).contains(&l.chars().count()) && l.matches('，').count() >= 3)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|ps| ps.len() >= 12)
        .collect()
}

/// The benchmark corpus: 6 source documents with 5 paragraphs each from 6 reports, 5 copies
/// holding an edited copy of 6 of those 30 paragraphs each (in another order, between lines of
/// their own), and 10 documents of paragraphs from other reports that nothing copies. Returns
/// the documents, the character ranges of the copied paragraphs in the copies, and the numbers
/// of the documents nothing copies.
#[allow(clippy::type_complexity)]
fn benchmark(reports: &[Vec<String>]) -> (Vec<String>, Vec<(usize, usize, usize)>, Vec<usize>) {
    let mut g = Lcg(2026);
    let step = reports.len() / 16;
    let mut docs: Vec<String> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for k in 0..6 {
        let ps = &reports[k * step];
        let start = g.next(ps.len() - 5);
        let chosen: Vec<String> = ps[start..start + 5].to_vec();
        docs.push(chosen.join("\n"));
        sources.extend(chosen);
    }
    let mut spans = Vec::new();
    for c in 0..5 {
        let d = docs.len();
        let mut lines: Vec<String> = vec![format!("第{c}份市级材料")];
        let mut at = lines[0].chars().count() + 1;
        for k in 0..6 {
            let copy = edited(&sources[(k * 5 + c * 7) % 30], &mut g);
            let n = copy.chars().count();
            spans.push((d, at, at + n));
            lines.push(copy);
            at += n + 1;
            let own = format!("本市第{k}项工作由相关部门负责落实。");
            at += own.chars().count() + 1;
            lines.push(own);
        }
        docs.push(lines.join("\n"));
    }
    let mut untouched = Vec::new();
    for k in 0..10 {
        let ps = &reports[6 * step + k * step];
        let start = g.next(ps.len() - 5);
        untouched.push(docs.len());
        docs.push(ps[start..start + 5].join("\n"));
    }
    (docs, spans, untouched)
}

#[test]
fn edited_copies_of_report_paragraphs_are_aligned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gov-reports/gwr");
    if !dir.is_dir() {
        eprintln!("skipping: {} is not present", dir.display());
        return;
    }
    let reports = report_paragraphs(&dir);
    assert!(reports.len() >= 16, "{} reports with enough paragraphs", reports.len());
    let (docs, spans, untouched) = benchmark(&reports);
    // the settings around the defaults, for choosing them; the defaults must meet the targets
    println!(
        "anchor max_gap min_chars min_sim | copied covered (least paragraph, paragraphs ≥ 90 %) | untouched covered"
    );
    for (anchor, gap, min_chars, sim) in [
        (8, 40, 40, 0.75),
        (10, 40, 40, 0.75),
        (12, 40, 40, 0.75),
        (10, 20, 40, 0.75),
        (10, 40, 30, 0.75),
        (10, 40, 40, 0.7),
        (10, 40, 40, 0.8),
        (10, 40, 40, 0.9),
    ] {
        let opts = AlignOptions { anchor_chars: anchor, max_gap: gap, min_chars, min_similarity: sim };
        let cover = covered(&docs, &reuse(&docs, opts));
        let share = |d: usize, s: usize, e: usize| cover[d][s..e].iter().filter(|c| **c).count();
        let copied: usize = spans.iter().map(|&(d, s, e)| share(d, s, e)).sum();
        let total: usize = spans.iter().map(|&(_, s, e)| e - s).sum();
        let shares: Vec<f64> = spans.iter().map(|&(d, s, e)| share(d, s, e) as f64 / (e - s) as f64).collect();
        let least = shares.iter().copied().fold(1.0, f64::min);
        let most_of = shares.iter().filter(|&&x| x >= 0.9).count();
        let false_chars: usize = untouched.iter().map(|&d| share(d, 0, cover[d].len())).sum();
        let untouched_chars: usize = untouched.iter().map(|&d| cover[d].len()).sum();
        let (copied_share, false_share) = (copied as f64 / total as f64, false_chars as f64 / untouched_chars as f64);
        println!(
            "{anchor:6} {gap:7} {min_chars:9} {sim:7} | {:6.1} % ({:5.1} %, {most_of}/{}) | {:6.1} %",
            copied_share * 100.0,
            least * 100.0,
            shares.len(),
            false_share * 100.0
        );
        let d = AlignOptions::default();
        if (anchor, gap, min_chars, sim) == (d.anchor_chars, d.max_gap, d.min_chars, d.min_similarity) {
            assert!(copied_share >= 0.9, "copied paragraphs: {:.1} % aligned", copied_share * 100.0);
            assert!(least >= 0.9, "a copied paragraph only {:.1} % aligned", least * 100.0);
            assert!(false_share <= 0.05, "documents nothing copies: {:.1} % aligned", false_share * 100.0);
        }
    }
}
