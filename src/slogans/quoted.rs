//! Quoted detector: phrases written inside “…” (and ‘…’ nested in a quotation) that can be
//! slogans. Book and document titles (《…》), single characters, sentences and quoted speech
//! longer than a slogan are left out.

/// Longest quoted phrase taken as a slogan; longer quotations are speech, not slogans.
pub const MAX_CHARS: usize = 30;

/// True when the inside of a quotation can be a slogan.
pub fn sloganlike(inner: &str) -> bool {
    let n = inner.chars().count();
    (2..=MAX_CHARS).contains(&n)
        && inner.trim() == inner
        && !inner.contains(['。', '！', '？', '：', '《', '》', '“', '”', '!', '?', '\n'])
        && inner.chars().any(crate::clean::is_han)
        && !inner.ends_with(['，', '、', '；'])
}

/// The slogan-like phrases quoted in `text`, in the order their quotes close (a nested ‘…’
/// before the quotation around it). Quotes are matched within a line.
pub fn quoted_phrases(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    // open quotes: (opening character, byte offset after it)
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '“' | '‘' => open.push((c, i + c.len_utf8())),
            '”' | '’' => {
                let want = if c == '”' { '“' } else { '‘' };
                // close the innermost matching quote; quotes opened inside it and left open are dropped
                if let Some(k) = open.iter().rposition(|&(q, _)| q == want) {
                    let inner = &text[open[k].1..i];
                    open.truncate(k);
                    if sloganlike(inner) {
                        out.push(inner);
                    }
                }
            }
            '\n' => open.clear(),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_slogans_and_leaves_out_the_rest() {
        let text = "总要求是“学思想、强党性、重实践、建新功”，增强“四个意识”，读《习近平谈治国理政》和“《论语》”，“一”字，\
                    他说：“这是一句很长的话。”";
        assert_eq!(quoted_phrases(text), ["学思想、强党性、重实践、建新功", "四个意识"]);
    }

    #[test]
    fn nested_quotes_are_kept() {
        let text = "指出：“新时代中国特色社会主义思想，是对马克思列宁主义、毛泽东思想、邓小平理论、‘三个代表’重要思想、科学发展观的继承和发展。”";
        assert_eq!(quoted_phrases(text), ["三个代表"]);
        let text = "坚持“‘两个确立’的决定性意义”";
        assert_eq!(quoted_phrases(text), ["两个确立", "‘两个确立’的决定性意义"]);
    }

    #[test]
    fn unmatched_quotes_do_not_leak_across_lines() {
        assert_eq!(quoted_phrases("他说“没有结束\n下一行”四个意识“"), Vec::<&str>::new());
    }
}
