//! Script: tell a document in traditional characters (a Hong Kong, Taiwan or older source) from
//! one in simplified characters, and fold traditional text to simplified with OpenCC's t2s
//! conversion (characters and phrases, through ferrous-opencc), so that 兩個維護 counts as 两个维护.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// The script a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Simplified,
    Traditional,
    /// No Chinese characters at all.
    None,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Script> {
        [Script::Simplified, Script::Traditional, Script::None].into_iter().find(|x| x.as_str() == s)
    }
}

/// A text is traditional when at least this share of its Chinese characters exist only in
/// traditional writing (simplified text uses a few of them too: 著, 乾, 瞭).
const TRADITIONAL_SHARE: f64 = 0.05;

fn converter() -> &'static OpenCC {
    static T2S: OnceLock<OpenCC> = OnceLock::new();
    T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).expect("the built-in t2s conversion loads"))
}

/// The basic CJK block and extension A, where the characters t2s changes live.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

/// One bit per character from `FIRST` to `LAST`: set where t2s changes the character alone.
fn traditional_chars() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let t2s = converter();
        let mut bits = vec![0u64; ((LAST - FIRST) as usize + 64) / 64];
        let mut buf = [0u8; 4];
        for cp in FIRST..=LAST {
            let Some(c) = char::from_u32(cp) else { continue };
            let s: &str = c.encode_utf8(&mut buf);
            if t2s.convert(s) != s {
                let i = (cp - FIRST) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    })
}

fn is_traditional_only(c: char, bits: &[u64]) -> bool {
    let cp = c as u32;
    (FIRST..=LAST).contains(&cp) && {
        let i = (cp - FIRST) as usize;
        bits[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The script of `text`.
pub fn detect(text: &str) -> Script {
    let bits = traditional_chars();
    let (mut han, mut traditional) = (0usize, 0usize);
    for c in text.chars().filter(|&c| crate::clean::is_han(c)) {
        han += 1;
        traditional += usize::from(is_traditional_only(c, bits));
    }
    match han {
        0 => Script::None,
        _ if traditional >= 2 && traditional as f64 >= TRADITIONAL_SHARE * han as f64 => Script::Traditional,
        _ => Script::Simplified,
    }
}

/// `text` in simplified characters.
pub fn to_simplified(text: &str) -> String {
    converter().convert(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_told_apart_and_traditional_is_folded() {
        let traditional = "同志們：要增強「四個意識」、堅定「四個自信」、做到「兩個維護」，推動主題教育走深走實。";
        assert_eq!(detect(traditional), Script::Traditional);
        assert_eq!(
            to_simplified(traditional),
            "同志们：要增强「四个意识」、坚定「四个自信」、做到「两个维护」，推动主题教育走深走实。"
        );
        let simplified = "习近平新时代中国特色社会主义思想是显著的理论著作，乾坤朗朗。";
        assert_eq!(detect(simplified), Script::Simplified);
        assert_eq!(detect("No Chinese here."), Script::None);
        assert_eq!(Script::parse("traditional"), Some(Script::Traditional));
    }
}
