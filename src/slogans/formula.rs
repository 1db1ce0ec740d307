//! Formula detector: numbered formulas — a Chinese numeral, an optional measure word and a head
//! (四个意识, 两个维护, 十四条坚持, 三严三实, 十查十看, 四下基层, 五个必须) — whether quoted or not,
//! and the items a corpus spells out for them (四个意识 → 政治意识、大局意识、核心意识、看齐意识).

use crate::clean::is_han;

/// Measure words that may stand between the numeral and the head.
pub const MEASURES: &[char] = &['个', '条', '项', '大', '种', '点', '张', '支', '位', '步', '类', '句', '字'];

/// Heads that make an ordinary word, not a formula: 一些, 一直, 十分, 百年, 三月, 两国, 五年 …
const NOT_HEAD: &[char] = &[
    '些', '直', '起', '切', '定', '般', '致', '旦', '同', '共', '样', '边', '再', '向', '道', '律', '贯', '度', '线',
    '年', '月', '日', '天', '时', '分', '秒', '岁', '倍', '成', '元', '亿', '万', '千', '百', '多', '余', '家', '国',
    '人', '名', '届', '次', '批', '轮', '场', '周', '季', '层', '楼', '号', '期', '代', '生', '举', '流', '手', '体',
    '部', '块', '份', '片', '行', '路', '米', '斤', '吨', '里', '公', '亩', '平', '方', '段', '股', '篇', '首', '岸',
    '世', '线',
];

/// A parsed formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    /// The numeral's value (两 = 2, 十四 = 14).
    pub number: u32,
    pub measure: Option<char>,
    /// What is counted: 意识 in 四个意识, 严三实 in 三严三实.
    pub head: String,
}

impl Formula {
    /// Shaped numeral, character, numeral, character (三严三实, 一国两制).
    pub fn paired(&self) -> bool {
        let head: Vec<char> = self.head.chars().collect();
        self.measure.is_none() && head.len() >= 3 && (digit(head[1]).is_some() || head[1] == '十')
    }
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A numeral at the start of `chars` (一 … 九十九; 两 only alone): its value and length.
pub fn numeral(chars: &[char]) -> Option<(u32, usize)> {
    let d0 = chars.first().copied().and_then(digit);
    let ten = |i: usize| chars.get(i) == Some(&'十');
    match (chars.first(), d0) {
        (Some('两'), _) => Some((2, 1)),
        (Some('十'), _) => match chars.get(1).copied().and_then(digit).filter(|_| chars[1] != '两') {
            Some(d) => Some((10 + d, 2)),
            None => Some((10, 1)),
        },
        (_, Some(d)) if ten(1) => match chars.get(2).copied().and_then(digit).filter(|_| chars[2] != '两') {
            Some(u) => Some((d * 10 + u, 3)),
            None => Some((d * 10, 2)),
        },
        (_, Some(d)) => Some((d, 1)),
        _ => None,
    }
}

/// Parse `s` as a formula: all Chinese characters, 2–10 of them, a numeral first, then an
/// optional measure word and a head of 1–6 characters that does not make an ordinary word.
/// A formula on 一 needs a second numeral (一带一路, 一国两制) or a measure word (一个中国).
pub fn parse(s: &str) -> Option<Formula> {
    let chars: Vec<char> = s.chars().collect();
    if !(2..=10).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
        return None;
    }
    let (number, n) = numeral(&chars)?;
    let rest = &chars[n..];
    let (measure, head) = match rest.first() {
        Some(&m) if MEASURES.contains(&m) && rest.len() > 1 => (Some(m), &rest[1..]),
        _ => (None, rest),
    };
    if head.is_empty() || head.len() > 6 || digit(head[0]).is_some() || MEASURES.contains(&head[0]) {
        return None;
    }
    let is_num = |c: char| digit(c).is_some() || c == '十';
    if is_num(head[head.len() - 1]) {
        return None;
    }
    // 三严三实, 一国两制, 三去一降一补: numeral, character, numeral, character …
    let paired = measure.is_none() && head.len() >= 3 && is_num(head[1]);
    if !paired && (NOT_HEAD.contains(&head[0]) || number == 1 && measure.is_none()) {
        return None;
    }
    Some(Formula { number, measure, head: head.iter().collect() })
}

/// Formula-shaped strings written in `text` without quotes: at each numeral that starts a run of
/// Chinese characters or follows a non-numeral, the numeral with its measure word and heads of
/// 2–4 characters (四个意识, 十四条坚持, 三严三实). Whether they are formulas is decided by how
/// often they recur and how freely they stand (see the slogans table).
pub fn formula_shapes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let idx: Vec<(usize, char)> = text.char_indices().collect();
    let chars: Vec<char> = idx.iter().map(|&(_, c)| c).collect();
    for i in 0..chars.len() {
        if digit(chars[i]).is_none() && chars[i] != '十' {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if prev.is_some_and(|p| digit(p).is_some() || p == '十' || p == '第' || p == '每' || p == '前' || p == '后')
        {
            continue;
        }
        let Some((_, n)) = numeral(&chars[i..]) else { continue };
        let m = usize::from(chars.get(i + n).is_some_and(|c| MEASURES.contains(c)));
        for head in 2..=4 {
            let end = i + n + m + head;
            if end > chars.len() || !chars[i..end].iter().all(|&c| is_han(c)) {
                break;
            }
            let s = &text[idx[i].0..idx.get(end).map_or(text.len(), |x| x.0)];
            if parse(s).is_some() {
                out.push(s);
            }
        }
    }
    out
}

/// For a formula, the series from `series` that spells out its items: as many items as the
/// formula's number, sharing the head (四个意识 → 政治意识、大局意识、核心意识、看齐意识). The most
/// frequent such series wins; ties go to the first in text order.
pub fn items<'a>(formula: &Formula, series: &'a [(String, Vec<String>, u64)]) -> Option<&'a str> {
    let key: String = formula.head.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
    let mut best: Option<(&str, u64)> = None;
    for (text, its, count) in series {
        if its.len() as u32 == formula.number
            && its.iter().all(|it| it.contains(key.as_str()))
            && best.is_none_or(|(_, c)| *count > c)
        {
            best = Some((text.as_str(), *count));
        }
    }
    best.map(|b| b.0)
}

/// Group formula spellings that differ only in their measure word (十四条坚持 / 十四个坚持).
pub fn spelling_key(s: &str) -> Option<String> {
    parse(s).map(|f| format!("{}#{}", f.number, f.head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let n = |s: &str| numeral(&s.chars().collect::<Vec<_>>());
        assert_eq!(n("四个"), Some((4, 1)));
        assert_eq!(n("两个"), Some((2, 1)));
        assert_eq!(n("十四条"), Some((14, 2)));
        assert_eq!(n("十条"), Some((10, 1)));
        assert_eq!(n("二十四字"), Some((24, 3)));
        assert_eq!(n("三十"), Some((30, 2)));
        assert_eq!(n("个"), None);
    }

    #[test]
    fn formulas_parse() {
        for (s, number, head) in [
            ("四个意识", 4, "意识"),
            ("两个维护", 2, "维护"),
            ("十四条坚持", 14, "坚持"),
            ("三严三实", 3, "严三实"),
            ("十查十看", 10, "查十看"),
            ("四下基层", 4, "下基层"),
            ("五个必须", 5, "必须"),
            ("八项规定", 8, "规定"),
            ("一带一路", 1, "带一路"),
            ("一个中国", 1, "中国"),
            ("三大攻坚战", 3, "攻坚战"),
        ] {
            let f = parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((f.number, f.head.as_str()), (number, head), "{s}");
        }
        assert_eq!(parse("十四条坚持").unwrap().measure, Some('条'));
    }

    #[test]
    fn ordinary_words_are_not_formulas() {
        for s in [
            "一些",
            "一直",
            "十分",
            "百年",
            "三月",
            "两国",
            "五年",
            "一定要",
            "一方面",
            "十年来",
            "主题教育",
            "四个",
            "一心",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn shapes_in_running_text() {
        let shapes = formula_shapes("坚决做到两个维护，增强四个意识和十四条坚持，第三个问题");
        assert!(shapes.contains(&"两个维护") && shapes.contains(&"四个意识"), "{shapes:?}");
        assert!(shapes.contains(&"十四条坚持"), "{shapes:?}");
        assert!(!shapes.iter().any(|s| s.starts_with("三个")), "ordinals are not formulas: {shapes:?}");
        assert!(!shapes.iter().any(|s| s.starts_with("四条")), "no numeral inside a numeral: {shapes:?}");
    }

    #[test]
    fn items_are_linked() {
        let series = vec![
            (
                "政治意识、大局意识、核心意识、看齐意识".to_string(),
                vec!["政治意识".into(), "大局意识".into(), "核心意识".into(), "看齐意识".into()],
                3,
            ),
            (
                "道路自信、理论自信、制度自信、文化自信".to_string(),
                vec!["道路自信".into(), "理论自信".into(), "制度自信".into(), "文化自信".into()],
                2,
            ),
        ];
        let f = parse("四个意识").unwrap();
        assert_eq!(items(&f, &series), Some("政治意识、大局意识、核心意识、看齐意识"));
        assert_eq!(items(&parse("四个自信").unwrap(), &series), Some("道路自信、理论自信、制度自信、文化自信"));
        assert_eq!(items(&parse("两个维护").unwrap(), &series), None);
        assert_eq!(spelling_key("十四条坚持"), spelling_key("十四个坚持"));
    }
}
