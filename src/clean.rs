//! Clean: drop noise (paywall markers, adverts, site chrome, tables of contents) by the rules in
//! `data/rules/noise.tsv`, then normalise what is left (full-width letters and digits, ASCII
//! punctuation inside Chinese text, quote styles, obfuscated variants, placeholders). Invisible
//! characters that web pages and PDF extraction leave (zero-width spaces and joiners, word
//! joiners, byte-order marks) are removed first, and Unicode spaces (no-break, ideographic, thin)
//! between two Chinese characters or punctuation marks are removed, elsewhere made plain spaces.
//! Last, lines a hard wrap broke inside a sentence are joined ([`wrap`]).
//! The result is the only text tifa counts; what was removed is recorded.

pub mod wrap;

use serde::Serialize;

use crate::resources::{NoiseKind, Placeholders, Resources};

/// One piece of text removed by a noise rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// 1-based line of the document's raw text.
    pub line: usize,
    /// `noise.tsv:<line>` of the rule that removed it.
    pub rule: String,
    pub text: String,
}

/// A document's clean text and what cleaning removed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Non-empty, trimmed lines joined by `\n`.
    pub text: String,
    /// Characters removed by noise rules (normalisation does not count).
    pub noise_chars: usize,
    /// Invisible characters (zero-width spaces, joiners, byte-order marks) and Unicode spaces
    /// between Chinese characters that were removed.
    pub invisible_chars: usize,
    /// Lines joined to the line before them because a hard wrap broke a sentence there.
    pub joined_lines: usize,
    pub removed: Vec<Removal>,
    /// Variant spellings (the `from` side of `variants.tsv`) that were folded, sorted.
    pub folded: Vec<String>,
}

/// Clean one document's raw text.
pub fn clean(raw: &str, res: &Resources) -> Cleaned {
    // the lines left after the noise rules, before normalisation
    let mut kept = String::with_capacity(raw.len());
    let mut widths = Vec::new();
    let mut invisible_chars = 0;
    let mut removed = Vec::new();
    let mut folded = Vec::new();
    let mut block_end: Option<(&regex::Regex, &str)> = None;
    for (i, raw_line) in raw.split('\n').enumerate() {
        let n = i + 1;
        let shown = visible(raw_line);
        if let std::borrow::Cow::Owned(v) = &shown {
            invisible_chars += raw_line.chars().count() - v.chars().count();
        }
        let width = wrap::LineWidth::of(&shown);
        let mut line = half_width(&shown);
        if let Some((end, rule)) = block_end {
            if end.is_match(&line) {
                block_end = None;
            }
            removed.push(Removal { line: n, rule: rule.to_string(), text: line });
            continue;
        }
        let mut dropped = false;
        for rule in &res.noise {
            match &rule.kind {
                NoiseKind::Block(start, end) if start.is_match(&line) => {
                    if !end.is_match(&line) {
                        block_end = Some((end, rule.id.as_str()));
                    }
                }
                NoiseKind::Line(re) if re.is_match(&line) => {}
                NoiseKind::Marker(re) => {
                    if re.is_match(&line) {
                        for m in re.find_iter(&line) {
                            removed.push(Removal { line: n, rule: rule.id.clone(), text: m.as_str().to_string() });
                        }
                        line = re.replace_all(&line, "").into_owned();
                    }
                    continue;
                }
                _ => continue,
            }
            removed.push(Removal { line: n, rule: rule.id.clone(), text: std::mem::take(&mut line) });
            dropped = true;
            break;
        }
        if dropped {
            continue;
        }
        if !line.trim().is_empty() {
            if !widths.is_empty() {
                kept.push('\n');
            }
            kept.push_str(&line);
            widths.push(width);
        }
    }
    // a hard wrap is undone before variants and placeholders are folded: 主T / 教育 is 主T教育
    let (kept, joined_lines) = wrap::join(kept, &widths, &res.wrap);
    let mut out = String::with_capacity(kept.len());
    for line in kept.split('\n') {
        let line = normalise_line(line, res, &mut folded);
        let line = line.trim();
        if !line.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
        }
    }
    let noise_chars = removed.iter().map(|r| r.text.chars().count()).sum();
    folded.sort();
    folded.dedup();
    Cleaned { text: out, noise_chars, invisible_chars, joined_lines, removed, folded }
}

/// Zero-width spaces, non-joiners and joiners, the word joiner and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Unicode spaces other than the plain space: no-break, the en/em/thin family, narrow no-break,
/// medium mathematical and ideographic spaces.
fn is_other_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// A Chinese character or a full-width punctuation mark: no space belongs between two of them.
pub(crate) fn is_cjk(c: char) -> bool {
    is_han(c) || "，。、；：？！“”‘’（）《》【】…—".contains(c)
}

/// `s` without its invisible characters.
pub fn without_invisible(s: &str) -> String {
    s.chars().filter(|&c| !is_invisible(c)).collect()
}

/// `line` without invisible characters, and with every run of Unicode spaces removed between two
/// Chinese characters or marks (a typesetting artefact: 习　近　平, 两个\u{a0}维护) and made one
/// plain space per character elsewhere. Plain spaces are left as they are: between Chinese words
/// they separate the halves of a headline (科学发展 成就辉煌).
fn visible(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.chars().any(|c| is_invisible(c) || is_other_space(c)) {
        return std::borrow::Cow::Borrowed(line);
    }
    let shown = without_invisible(line);
    std::borrow::Cow::Owned(replace_space_runs(&shown, is_other_space, |before, run, after, out| {
        if !(before.is_some_and(is_cjk) && after.is_some_and(is_cjk)) {
            out.extend(std::iter::repeat_n(' ', run.len()));
        }
    }))
}

/// `s` with each run of characters that `is_space` accepts replaced by what `replace` writes,
/// given the character written just before the run, the run, and the character after it.
/// Cleaning, web pages and PDFs each decide this way which spaces next to Chinese text stay.
pub(crate) fn replace_space_runs(
    s: &str,
    is_space: impl Fn(char) -> bool,
    replace: impl Fn(Option<char>, &[char], Option<char>, &mut String),
) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_space(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_space(chars[i]) {
            i += 1;
        }
        let before = out.chars().next_back();
        replace(before, &chars[start..i], chars.get(i).copied(), &mut out);
    }
    out
}

/// A document's title after cleaning: the first clean line (at most 60 characters) when the
/// title was removed as noise or is nothing but invisible characters and spaces, otherwise the
/// title without invisible characters.
pub fn title_after_clean(title: &str, cleaned: &Cleaned) -> String {
    let shown = without_invisible(title);
    let blank = shown.chars().all(|c| c.is_whitespace());
    let dropped = cleaned.removed.iter().any(|r| r.text.trim() == half_width(&visible(title)).trim());
    if !dropped && !blank {
        return shown;
    }
    let first = cleaned.text.lines().next().unwrap_or("");
    let mut t: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        t.push('…');
    }
    t
}

/// Variants, quotes, punctuation and placeholders, in that order.
fn normalise_line(line: &str, res: &Resources, folded: &mut Vec<String>) -> String {
    let mut s = line.to_string();
    for (from, to) in &res.variants {
        if s.contains(from.as_str()) {
            s = s.replace(from.as_str(), to);
            folded.push(from.clone());
        }
    }
    let s = unify_quotes(&s);
    let s = chinese_punctuation(&s);
    fold_placeholders(&s, &res.placeholders)
}

/// Full-width Latin letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) to ASCII; punctuation is left alone.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// CJK ideographs (basic, extension A, compatibility, supplementary planes) and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3007)
}

fn is_cjk_context(c: char) -> bool {
    is_han(c) || matches!(c, '“' | '”' | '‘' | '’' | '》' | '）' | '、' | '，' | '。' | '：' | '；')
}

/// ASCII , ; : ! ? ( ) written inside Chinese text become ，；：！？（）.
fn chinese_punctuation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = chars[..i].iter().rev().find(|c| **c != ' ').copied();
        let next = chars.get(i + 1).copied();
        let cjk_prev = prev.is_some_and(is_cjk_context);
        let cjk_next = next.is_some_and(is_han);
        let folded = match c {
            ',' | ';' | ':' | '!' | '?' if cjk_prev => Some(match c {
                ',' => '，',
                ';' => '；',
                ':' => '：',
                '!' => '！',
                _ => '？',
            }),
            '(' if cjk_prev || cjk_next => Some('（'),
            ')' if cjk_prev || out.ends_with(|c: char| is_han(c)) => Some('）'),
            _ => None,
        };
        out.push(folded.unwrap_or(c));
    }
    out
}

/// "…", ＂…＂, 「…」 and 〝…〞 become “…”; 『…』 becomes ‘…’. Straight quotes pair up within a line.
fn unify_quotes(s: &str) -> String {
    if !s.contains(['"', '＂', '「', '」', '『', '』', '〝', '〞']) {
        return s.to_string();
    }
    let has_han = s.chars().any(is_han);
    let mut open = false;
    s.chars()
        .map(|c| match c {
            '"' | '＂' if has_han => {
                open = !open;
                if open { '“' } else { '”' }
            }
            '「' | '〝' => '“',
            '」' | '〞' => '”',
            '『' => '‘',
            '』' => '’',
            _ => c,
        })
        .collect()
}

/// Runs of placeholder characters (XX, ×××, ***) and lone X/× between Chinese characters become
/// one symbol. A run touching a Latin letter or digit (Exxon, 3×4) is left alone.
pub fn fold_placeholders(s: &str, p: &Placeholders) -> String {
    if !s.contains(p.chars.as_slice()) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !p.chars.contains(&chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && p.chars.contains(&chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let alnum = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let free = !alnum(start.checked_sub(1).and_then(|j| chars.get(j))) && !alnum(chars.get(i));
        let placeholder = free && (run.len() >= p.min_run || (run.len() == 1 && p.single.contains(&run[0])));
        if placeholder {
            out.push_str(&p.symbol);
        } else {
            out.extend(run);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> Resources {
        Resources::builtin().unwrap()
    }

    #[test]
    fn noise_lines_and_markers_go_and_are_counted() {
        let raw = "##paidbegin##一方面，我们要学习。\n【公众号：哒哒君】，最新最全党建资料库\n领取福利\n221381\n微信扫码分享\n发言完毕。\n##paidend##";
        let c = clean(raw, &res());
        assert_eq!(c.text, "一方面，我们要学习。\n发言完毕。");
        let removed: usize = [
            "##paidbegin##",
            "【公众号：哒哒君】，最新最全党建资料库",
            "领取福利",
            "221381",
            "微信扫码分享",
            "##paidend##",
        ]
        .iter()
        .map(|s| s.chars().count())
        .sum();
        assert_eq!(c.noise_chars, removed);
        assert_eq!(c.removed.len(), 6);
        assert_eq!(c.removed[1].line, 2);
    }

    #[test]
    fn real_text_mentioning_a_public_account_stays() {
        let raw = "充分利用云岭先锋APP、群、公众号等新媒体手段，灵活运用线上线下学习平台。";
        assert_eq!(clean(raw, &res()).text, raw);
    }

    #[test]
    fn table_of_contents_block_is_removed() {
        let raw = "篇1 目录\n一、背景\n二、案例\n篇1正文\n尊敬的领导：\n正文。";
        let c = clean(raw, &res());
        assert_eq!(c.text, "尊敬的领导：\n正文。");
        assert_eq!(c.removed.len(), 4);
    }

    #[test]
    fn title_replaced_only_when_dropped_as_noise() {
        let raw = "文库◆记住我\n加入收藏 预计阅读时长3分钟\n为民“入行”，在“干”上做文章。";
        let c = clean(raw, &res());
        assert_eq!(title_after_clean("文库◆记住我", &c), "为民“入行”，在“干”上做文章。");
        let c = clean("讲话提纲\n同志们：", &res());
        assert_eq!(title_after_clean("讲话提纲", &c), "讲话提纲");
    }

    #[test]
    fn invisible_characters_and_unicode_spaces() {
        let c = clean("\u{3000}\u{3000}做到两个\u{a0}维护，主题\u{200b}教育\u{feff}。\n李\u{3000}强", &res());
        assert_eq!(c.text, "做到两个维护，主题教育。\n李强");
        assert_eq!(c.noise_chars, 0);
        // elsewhere a Unicode space is a plain space; plain spaces stay
        assert_eq!(clean("APP\u{a0}2023 版", &res()).text, "APP 2023 版");
        assert_eq!(clean("科学发展 成就辉煌", &res()).text, "科学发展 成就辉煌");
        assert_eq!(clean("“四个意识”\u{3000}，", &res()).text, "“四个意识”，");
        let c = clean("\u{200b}\n关于政府工作报告的决议", &res());
        assert_eq!(c.text, "关于政府工作报告的决议");
        assert_eq!(title_after_clean("\u{200b}", &c), "关于政府工作报告的决议");
        assert_eq!(title_after_clean("决议\u{200b}", &c), "决议");
    }

    #[test]
    fn hard_wrapped_lines_are_joined_by_their_width_in_the_source() {
        // wrapped every 20 characters; a paywall marker and a placeholder shorten two lines
        let raw = "##paidbegin##作为党员领导干\n部，首先要发挥示范带动作用，在理论武装上\n下功夫，真正学深悟透原文、原理、原话，推\n动“××××”建设走深走实，坚持学思想、\n强党性、重实践、建新功，以学铸魂、以学增\n智、以学正风、以学促干。";
        let c = clean(raw, &res());
        assert_eq!(
            c.text,
            "作为党员领导干部，首先要发挥示范带动作用，在理论武装上下功夫，真正学深悟透原文、原理、原话，推动“×”建设走深走实，坚持学思想、强党性、重实践、建新功，以学铸魂、以学增智、以学正风、以学促干。"
        );
        assert_eq!((c.joined_lines, c.invisible_chars), (5, 0));
        // a page number between two pages of a PDF is dropped, and the sentence joined across it
        let pages = format!(
            "{}\n— 2 —\n{}",
            raw.lines().take(3).collect::<Vec<_>>().join("\n"),
            raw.lines().skip(3).collect::<Vec<_>>().join("\n")
        );
        let c = clean(&pages, &res());
        assert!(c.text.contains("推动“×”建设") && !c.text.contains('\n') && c.noise_chars > 0, "{}", c.text);
        let c = clean("两个\u{200b}维护\u{feff}", &res());
        assert_eq!((c.text.as_str(), c.joined_lines, c.invisible_chars), ("两个维护", 0, 2));
    }

    #[test]
    fn variants_are_folded() {
        let c = clean("开展主T教育，贯彻党的=+大精神。", &res());
        assert_eq!(c.text, "开展主题教育，贯彻党的二十大精神。");
        assert_eq!(c.noise_chars, 0);
        assert_eq!(c.folded, ["=+大", "主T教育"]);
    }

    #[test]
    fn widths_punctuation_and_quotes() {
        assert_eq!(half_width("２０２３年ＡＰＰ，（一）"), "2023年APP，（一）");
        let c = clean("总要求是\"学思想、强党性、重实践、建新功\",因此:要做到「两个维护」", &res());
        assert_eq!(c.text, "总要求是“学思想、强党性、重实践、建新功”，因此：要做到“两个维护”");
        // ASCII punctuation between digits or Latin text is left alone
        assert_eq!(clean("时间 19:12:02, ok", &res()).text, "时间 19:12:02, ok");
    }

    #[test]
    fn placeholders_fold_to_one_symbol() {
        let p = res().placeholders;
        assert_eq!(fold_placeholders("XX镇、×××同志、***表示、xx县", &p), "×镇、×同志、×表示、×县");
        assert_eq!(fold_placeholders("，X立即召开", &p), "，×立即召开");
        assert_eq!(fold_placeholders("Exxon 3×4", &p), "Exxon 3×4");
    }
}
