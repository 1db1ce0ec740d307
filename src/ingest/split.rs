//! Cut a file that holds several speeches into parts, using the markers in `rules/split.tsv`:
//! numbered parts (篇1, 篇2), headings (## title), and speech titles followed by a salutation
//! (同志们：) or standing alone between blank lines. Every line ends up in exactly one part.

use regex::Regex;

use crate::resources::SplitRules;

/// One document's share of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's heading: its first line, or the file's title for a bare marker such as 篇2.
    pub title: String,
    /// The part's lines, joined by `\n`.
    pub text: String,
}

/// A part with fewer body characters than this (titles and markers excluded) is not a speech of
/// its own: a file's title page joins the part after it, any other short part the one before it.
/// News items started by a heading are exempt.
const MIN_PART_CHARS: usize = 200;

fn any(res: &[Regex], line: &str) -> bool {
    res.iter().any(|r| r.is_match(line))
}

/// The number a part marker carries (篇1 → "1"), if the line is one.
fn part_number<'a>(rules: &SplitRules, line: &'a str) -> Option<&'a str> {
    rules.part.iter().find_map(|r| r.captures(line).map(|c| c.get(1).or_else(|| c.get(0)).map_or("", |m| m.as_str())))
}

fn is_title(rules: &SplitRules, line: &str) -> bool {
    any(&rules.title, line) && !any(&rules.not_title, line)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    File,
    Part,
    Heading,
    Title,
}

/// Split `text` into parts. A text without markers is one part titled by its first line.
pub fn split(text: &str, rules: &SplitRules) -> Vec<Part> {
    let lines: Vec<&str> = text.split('\n').collect();
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    let next_content = |i: usize| lines[i + 1..].iter().find(|l| !l.trim().is_empty()).copied();

    let mut starts: Vec<(usize, Start)> = Vec::new();
    let mut current_part: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let kind = if let Some(n) = part_number(rules, line) {
            let new = current_part != Some(n);
            current_part = Some(n);
            new.then_some(Start::Part)
        } else if any(&rules.heading, line) {
            Some(Start::Heading)
        } else if is_title(rules, line) {
            let saluted = next_content(i).is_some_and(|l| any(&rules.salutation, l.trim()));
            let alone = (i == 0 || blank(i - 1)) && blank(i + 1);
            (saluted || alone).then_some(Start::Title)
        } else {
            None
        };
        if let Some(kind) = kind {
            starts.push((i, kind));
        }
    }
    if starts.first().is_none_or(|&(s, _)| s != 0) {
        starts.insert(0, (0, Start::File));
    }

    // Body characters of a part: its lines minus titles and part markers.
    let body_chars = |from: usize, to: usize| -> usize {
        lines[from..to]
            .iter()
            .map(|l| l.trim())
            .filter(|l| !is_title(rules, l) && part_number(rules, l).is_none())
            .map(|l| l.chars().count())
            .sum()
    };
    let end_of = |starts: &[(usize, Start)], k: usize| starts.get(k + 1).map_or(lines.len(), |s| s.0);
    // A short first part (a title page) takes in the part after it ...
    while starts.len() > 1 && starts[0].1 != Start::Heading && body_chars(0, end_of(&starts, 0)) < MIN_PART_CHARS {
        let absorbed = starts.remove(1);
        if absorbed.1 == Start::Heading {
            break;
        }
    }
    // ... and any other short part (not a news item) goes back to the part before it.
    let mut k = 1;
    while k < starts.len() {
        if starts[k].1 != Start::Heading && body_chars(starts[k].0, end_of(&starts, k)) < MIN_PART_CHARS {
            starts.remove(k);
        } else {
            k += 1;
        }
    }

    let file_title = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
    (0..starts.len())
        .map(|k| {
            let body = &lines[starts[k].0..end_of(&starts, k)];
            let first = body.iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
            let title = match part_number(rules, first) {
                Some(n) if k > 0 => format!("{file_title}（篇{n}）"),
                _ => heading_text(first),
            };
            Part { title, text: body.join("\n") }
        })
        .collect()
}

/// True when a first line can stand as a title: short, not a sentence, not a numbered heading,
/// not a salutation (同志们：).
pub fn title_like(line: &str, rules: &SplitRules) -> bool {
    let n = line.chars().count();
    (1..=40).contains(&n)
        && !line.contains(['。', '，', '；', '！', '？'])
        && !any(&rules.not_title, line)
        && !any(&rules.salutation, line)
}

/// A heading line without its markdown marks.
fn heading_text(line: &str) -> String {
    line.trim_start_matches('#').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resources;

    fn rules() -> SplitRules {
        Resources::builtin().unwrap().split
    }

    fn body(n: usize) -> String {
        "我们要深入学习贯彻习近平新时代中国特色社会主义思想。".repeat(n)
    }

    #[test]
    fn title_followed_by_salutation_starts_a_speech() {
        let text = format!(
            "2023年主题教育研讨交流发言材料四篇\n同志们：\n{}\n2023年主题教育学习研讨交流发言材料\n同志们：\n{}\n",
            body(10),
            body(12)
        );
        let parts = split(&text, &rules());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].title, "2023年主题教育研讨交流发言材料四篇");
        assert_eq!(parts[1].title, "2023年主题教育学习研讨交流发言材料");
        assert!(parts[1].text.starts_with("2023年主题教育学习研讨交流发言材料\n同志们："));
        // nothing lost
        let joined: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.join("\n"), text);
    }

    #[test]
    fn numbered_parts_and_short_preamble() {
        let text = format!(
            "2023主题教育正面反面案例交流发言稿\n篇1 目录\n一、背景\n篇1正文\n{}\n篇2 目录\n一、背景\n篇2正文\n{}",
            body(10),
            body(10)
        );
        let parts = split(&text, &rules());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].title, "2023主题教育正面反面案例交流发言稿");
        assert_eq!(parts[1].title, "2023主题教育正面反面案例交流发言稿（篇2）");
        assert!(parts[1].text.starts_with("篇2 目录"));
    }

    #[test]
    fn numbered_title_lines_split_and_title_page_merges() {
        let text = format!(
            "关于学习贯彻主题教育工作会议上的讲话提纲\n（2篇）\n关于学习贯彻主题教育工作会议上的讲话提纲1\n同志们：\n{}\n在全市主题教育工作会议上的讲话提纲2\n同志们：\n{}",
            body(10),
            body(10)
        );
        let parts = split(&text, &rules());
        assert_eq!(parts.len(), 2, "{parts:#?}");
        assert_eq!(parts[1].title, "在全市主题教育工作会议上的讲话提纲2");
    }

    #[test]
    fn lone_title_between_blank_lines() {
        let text = format!("{}\n\n镇党委书记参加主题教育座谈会发言材料\n\n{}", body(10), body(10));
        let parts = split(&text, &rules());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].title, "镇党委书记参加主题教育座谈会发言材料");
    }

    #[test]
    fn news_headings() {
        let text = "## 新年戏曲晚会在京举行\n2020-01-01 19:12:02\n央视网消息（新闻联播）：晚会举行。\n## 国内联播快讯\n2020-01-01 19:20:00\n央视网消息：快讯。";
        let parts = split(text, &rules());
        // short news items are still separate documents: headings always split
        assert_eq!(
            parts.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
            ["新年戏曲晚会在京举行", "国内联播快讯"]
        );
    }

    #[test]
    fn report_with_repeated_address_is_one_document() {
        let text =
            format!("政府工作报告\n\n各位代表：\n{}\n三、2008年工作总体部署\n各位代表：\n{}", body(10), body(10));
        assert_eq!(split(&text, &rules()).len(), 1);
    }
}
