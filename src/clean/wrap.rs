//! Hard-wrapped text: find the wrap width of a document whose lines were broken at a fixed width
//! (PDF extraction, editors that wrap at N characters) and join the lines broken inside a
//! sentence, by the rules in `data/rules/wrap.tsv`. Text that is not hard-wrapped is left as it is.

use regex::Regex;

/// When a document counts as hard-wrapped and which of its line ends are joined.
#[derive(Debug, Clone)]
pub struct WrapRules {
    /// Characters that end a sentence: a line ending in one is never joined.
    pub sentence_end: Vec<char>,
    /// Closing quotes and brackets that may follow a sentence end (“……。”).
    pub closing: Vec<char>,
    /// Lines narrower than this do not vote for the wrap width.
    pub min_width: usize,
    /// Fewest full lines a hard-wrapped document has.
    pub min_lines: usize,
    /// Smallest share of a document's lines that are full.
    pub min_share: f64,
    /// Largest share of a document's lines that are wider than full.
    pub max_wider: f64,
    /// Smallest share of the full lines that do not end a sentence.
    pub min_open: f64,
    /// How far (in characters) a full line may fall short of, or exceed, the wrap width.
    pub slack: usize,
    /// How far (in characters) a line of a hard-wrapped document may fall short of the wrap
    /// width and still be joined to the next (typesetting pushes a character or two to the next
    /// line where a line may not start with it).
    pub join_slack: usize,
    /// A line that starts a numbered heading is never joined to the line before it.
    pub next_heading: Vec<Regex>,
}

/// How wide a line was as the source wrapped it (before noise markers, variants and
/// placeholders changed its length), in characters and in display columns counted in halves
/// (a Latin letter, digit or ASCII mark is one half, anything else two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineWidth {
    chars: usize,
    halves: usize,
}

impl LineWidth {
    pub fn of(line: &str) -> Self {
        line.trim_end().chars().fold(LineWidth { chars: 0, halves: 0 }, |w, c| LineWidth {
            chars: w.chars + 1,
            halves: w.halves + if c.is_ascii() { 1 } else { 2 },
        })
    }
}

/// The two ways of measuring a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Chars,
    Columns,
}

impl Measure {
    /// A line's width, in half-characters so both measures compare on one scale.
    fn width(self, w: LineWidth) -> usize {
        match self {
            Measure::Chars => 2 * w.chars,
            Measure::Columns => w.halves,
        }
    }
}

/// True when a line `w` half-characters wide is full at wrap width `width`.
fn is_full(w: usize, width: usize, rules: &WrapRules) -> bool {
    w + 2 * rules.slack >= width && w <= width + 2 * rules.slack
}

/// The wrap width of lines of these widths under one measure (in half-characters) and how
/// many lines are full at that width; `None` when too few lines are wide enough to vote.
fn wrap_width(line_widths: &[LineWidth], measure: Measure, rules: &WrapRules) -> Option<(usize, usize)> {
    let mut votes: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for w in line_widths.iter().map(|&w| measure.width(w)).filter(|&w| w >= 2 * rules.min_width) {
        *votes.entry(w).or_insert(0) += 1;
    }
    // the most common width; among equals the widest
    let (&mode, _) = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))?;
    let full = line_widths.iter().filter(|&&w| is_full(measure.width(w), mode, rules)).count();
    Some((mode, full))
}

/// True when `line` ends a sentence: its last character, after any closing quotes and
/// brackets, is a sentence end. A line that is nothing but closing marks ends one too.
fn ends_sentence(line: &str, rules: &WrapRules) -> bool {
    let body = line.trim_end().trim_end_matches(rules.closing.as_slice());
    body.chars().next_back().is_none_or(|c| rules.sentence_end.contains(&c))
}

/// `text` (lines joined by `\n`) with the line breaks of a hard wrap removed, and how many lines
/// were joined to the line before them; `widths` are the lines' widths in the source, one per
/// line. A text that is not hard-wrapped comes back unchanged.
pub fn join(text: String, widths: &[LineWidth], rules: &WrapRules) -> (String, usize) {
    if widths.len() < rules.min_lines {
        return (text, 0);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    debug_assert_eq!(lines.len(), widths.len(), "one width per line");
    let best = [Measure::Chars, Measure::Columns]
        .into_iter()
        .filter_map(|m| wrap_width(widths, m, rules).map(|(w, full)| (m, w, full)))
        // on a tie, characters
        .max_by(|a, b| a.2.cmp(&b.2).then((a.0 == Measure::Chars).cmp(&(b.0 == Measure::Chars))));
    let Some((measure, width, full)) = best else {
        return (text, 0);
    };
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    let w = |i: usize| measure.width(widths[i]);
    let wider = (0..lines.len()).filter(|&i| w(i) > width + 2 * rules.slack).count();
    let open = (0..lines.len()).filter(|&i| is_full(w(i), width, rules) && !ends_sentence(lines[i], rules)).count();
    let wrapped = full >= rules.min_lines
        && share(full, lines.len()) >= rules.min_share
        && share(wider, lines.len()) <= rules.max_wider
        && share(open, full) >= rules.min_open;
    if !wrapped {
        return (text, 0);
    }
    let join_slack = 2 * rules.join_slack.max(rules.slack);
    let mut out = String::with_capacity(text.len());
    let mut joined = 0;
    // whether the line last written broke at the wrap width inside a sentence
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        let continues = open && !rules.next_heading.iter().any(|r| r.is_match(line.trim_start()));
        if continues {
            out.truncate(out.trim_end().len());
            let line = line.trim_start();
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(out.chars().next_back()) && latin(line.chars().next()) {
                out.push(' ');
            }
            out.push_str(line);
            joined += 1;
        } else {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line);
        }
        open = w(i) + join_slack >= width && !ends_sentence(line, rules);
    }
    (out, joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> WrapRules {
        crate::resources::Resources::builtin().unwrap().wrap
    }

    /// `join` for a text whose lines are as wide as in the source.
    fn join(text: String, rules: &WrapRules) -> (String, usize) {
        let widths: Vec<LineWidth> = text.split('\n').map(LineWidth::of).collect();
        super::join(text, &widths, rules)
    }

    /// `text` with every line cut into pieces of `width` characters.
    fn wrap(text: &str, width: usize) -> String {
        text.lines()
            .flat_map(|l| {
                let chars: Vec<char> = l.chars().collect();
                chars.chunks(width).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    const SPEECH: &str = "一、在学深悟透上下功夫\n作为党员领导干部，首先要发挥示范带动作用，在理论武装上下功夫，真正学深悟透原文、原理、原话，坚持学思想、强党性、重实践、建新功。\n只有这样，才能“解其言，知其意，明其理”，把党的创新理论转化为坚定理想、锤炼党性和指导实践、推动工作的强大力量，做到“两个维护”。\n二、在真抓实干上下功夫\n要以学铸魂、以学增智、以学正风、以学促干，推动主题教育走深走实，用扎扎实实的成效检验主题教育的成果，让人民群众感受到主题教育带来的获得感、幸福感、安全感。\n（一）坚持问题导向\n要把调查研究贯穿主题教育全过程，建立“问题清单”、形成“任务账单”、确立“行动指南”，一项一项抓整改，一个一个改到位，一条一条见实效。";

    #[test]
    fn a_text_wrapped_at_a_fixed_width_is_joined_back() {
        for width in [16, 20, 33] {
            let wrapped = wrap(SPEECH, width);
            let (joined, n) = join(wrapped.clone(), &rules());
            assert_eq!(joined, SPEECH, "width {width}");
            assert_eq!(n, wrapped.lines().count() - SPEECH.lines().count());
        }
    }

    #[test]
    fn text_that_is_not_wrapped_is_left_alone() {
        assert_eq!(join(SPEECH.to_string(), &rules()), (SPEECH.to_string(), 0));
        // equal lines that are all sentences are not joined, and few lines are not a wrap
        let verses: Vec<String> = (0..8).map(|i| format!("第{i}句：坚持以人民为中心的发展思想不动摇。")).collect();
        let verses = verses.join("\n");
        assert_eq!(join(verses.clone(), &rules()), (verses, 0));
        let few: Vec<String> = wrap(SPEECH, 33).lines().take(4).map(String::from).collect();
        let few = few.join("\n");
        assert_eq!(join(few.clone(), &rules()), (few, 0));
        assert_eq!(join(String::new(), &rules()), (String::new(), 0));
        // a numbered list of headlines under a news lead (新闻联播, 2020-12-28)
        let list = "中央广播电视总台发布2020国内十大新闻 国际十大新闻\n央视网消息（新闻联播）：今天（12月28日），中央广播电视总台发布2020国内十大新闻、国际十大新闻。\n2020国内十大新闻是：\n1.全国抗击新冠肺炎疫情斗争取得重大战略成果\n2.党的十九届五中全会擘画“十四五”和2035宏伟蓝图\n3.新时代脱贫攻坚目标任务如期完成\n4.风雨兼程 勇毅前行 中国成为全球唯一实现经济正增长的主要经济体\n5.隆重庆祝深圳经济特区建立40周年 浦东开发开放30周年 中国实现更高水平对外开放\n6.新中国首部民法典诞生\n7.全国28省份遭遇严重汛情 防汛抗洪救灾夺取重大胜利\n8.国家隆重纪念中国人民志愿军抗美援朝出国作战70周年\n9.科技领域频传捷报 屡获突破 创新成果举国振奋 举世瞩目\n10.全国人大常委会通过香港特别行政区维护国家安全法";
        assert_eq!(join(list.to_string(), &rules()).1, 0);
    }

    #[test]
    fn display_columns_when_latin_letters_and_digits_vary_the_character_count() {
        // a justified PDF page: the lines are 23 columns wide (give or take one), digits take
        // half a column, so their character counts run from 23 to 30
        let lines: Vec<String> = [
            "在2023年的主题教育中，各级党组织都认真学习贯彻",
            "习近平新时代中国特色社会主义思想，坚持学思想、",
            "强党性、重实践、建新功的总要求，从2023年10月到",
            "2024年1月31日共开展专题调研20190次，解决各类问题",
            "各项工作扎实推进，主题教育走深走实，取得实效，",
            "让人民群众感受到实实在在的变化。",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (joined, n) = join(lines.join("\n"), &rules());
        assert_eq!((joined, n), (lines.concat(), 5));
        // English words broken at a line end keep a space
        let mut latin = lines;
        latin[0] = "在2023年的主题教育中，各级党组织都认真学习APP".into();
        latin[1] = "Store新时代中国特色社会主义思想，坚持学思想、".into();
        assert!(join(latin.join("\n"), &rules()).0.contains("APP Store"));
    }

    #[test]
    fn sentence_ends_and_numbered_headings_keep_their_line_breaks() {
        let r = rules();
        assert!(ends_sentence("做到“两个维护”。”", &r));
        assert!(ends_sentence("主要有以下几个方面：", &r));
        assert!(!ends_sentence("增强“四个意识”", &r));
        assert!(!ends_sentence("学思想、", &r));
        let wrapped = wrap(SPEECH, 20);
        let mut lines: Vec<&str> = wrapped.lines().collect();
        // a heading that happens to follow a full line stays a line of its own
        let at = lines.iter().position(|l| *l == "（一）坚持问题导向").unwrap();
        lines[at - 1] = "让人民群众感受到主题教育带来的获得感幸福";
        assert!(join(lines.join("\n"), &r).0.contains("\n（一）坚持问题导向\n"));
    }

    #[test]
    fn joining_only_removes_line_breaks_on_generated_texts() {
        // random paragraphs hard-wrapped at random widths, with headings and list items between
        let alphabet: Vec<char> =
            "主题教育学思想强党性重实践建新功两个维护四个意识以人民为中心APP2023、，。：“”".chars().collect();
        let mut g = crate::testgen::Lcg(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| g.next(n);
        let r = rules();
        let mut wrapped_docs = 0;
        for _ in 0..300 {
            let width = 16 + next(30);
            let mut lines: Vec<String> = Vec::new();
            for _ in 0..1 + next(8) {
                if next(4) == 0 {
                    lines.push(format!("（{}）坚持问题导向", "一二三四五".chars().nth(next(5)).unwrap()));
                }
                let len = 1 + next(6 * width);
                let para: Vec<char> = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                lines.extend(para.chunks(width).map(|c| c.iter().collect::<String>()));
            }
            let text = lines.join("\n");
            let (out, joined) = join(text.clone(), &r);
            let strip = |s: &str| s.chars().filter(|c| *c != '\n' && *c != ' ').collect::<String>();
            assert_eq!(strip(&out), strip(&text), "only line breaks (and spaces at joins) change");
            assert_eq!(out.matches('\n').count() + joined, lines.len() - 1);
            if joined == 0 {
                assert_eq!(out, text);
            } else {
                wrapped_docs += 1;
                // a heading never ends up inside a line
                assert!(out.lines().all(|l| !l.contains("（一）坚持") || l.starts_with("（一）")), "{out}");
            }
        }
        assert!(wrapped_docs > 100, "{wrapped_docs} of 300 generated texts were joined");
    }
}
