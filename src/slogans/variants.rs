//! Variant grouping: spellings of one slogan become one row. Two spellings are variants when
//! they differ only by quotes inside them (“三个代表”重要思想 / 三个代表重要思想), by 、 or ， between
//! items (不忘初心、牢记使命 / 不忘初心，牢记使命), or by a formula's measure word (十四条坚持 /
//! 十四个坚持). Obfuscated spellings folded by `variants.tsv` (主T教育) are listed too.

use std::collections::BTreeSet;

use super::formula;

/// The spelling-independent key of a slogan.
pub fn key(s: &str) -> String {
    if let Some(k) = formula::spelling_key(s) {
        return k;
    }
    s.chars().filter(|c| !matches!(c, '“' | '”' | '‘' | '’')).map(|c| if c == '，' { '、' } else { c }).collect()
}

/// Raw spellings that `variants.tsv` folded into `slogan` and that occurred in the raw text.
pub fn folded_spellings(slogan: &str, variants: &[(String, String)], seen: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = variants
        .iter()
        .filter(|(from, to)| seen.contains(from) && slogan.contains(to.as_str()))
        .map(|(from, to)| slogan.replace(to.as_str(), from))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_group_spellings() {
        assert_eq!(key("十四条坚持"), key("十四个坚持"));
        assert_eq!(key("“三个代表”重要思想"), key("三个代表重要思想"));
        assert_eq!(key("不忘初心、牢记使命"), key("不忘初心，牢记使命"));
        assert_ne!(key("四个意识"), key("四个自信"));
    }

    #[test]
    fn folded_spellings_listed_when_seen() {
        let variants = vec![("主T教育".to_string(), "主题教育".to_string())];
        let seen: BTreeSet<String> = ["主T教育".to_string()].into();
        assert_eq!(folded_spellings("主题教育工作", &variants, &seen), ["主T教育工作"]);
        assert!(folded_spellings("主题教育", &variants, &BTreeSet::new()).is_empty());
    }
}
