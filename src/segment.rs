//! Segment: cut clean text into words with jieba-rs (its dictionary plus tifa's lexicon), clause
//! by clause. Punctuation, spaces and symbols are boundaries, never tokens; sentences end at
//! 。！？；!?; and line ends.

use jieba_rs::Jieba;

use crate::resources::Resources;

/// A document's words as byte spans into its clean text, grouped into clauses (runs of text
/// between punctuation). N-grams never cross a clause boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// `(start, end)` byte offsets of each token.
    pub tokens: Vec<(u32, u32)>,
    /// Index into `tokens` where each clause after the first begins.
    pub clause_starts: Vec<u32>,
}

impl Segmented {
    /// The clauses, each as a slice of token spans.
    pub fn clauses(&self) -> impl Iterator<Item = &[(u32, u32)]> {
        let mut bounds = Vec::with_capacity(self.clause_starts.len() + 2);
        bounds.push(0usize);
        bounds.extend(self.clause_starts.iter().map(|&i| i as usize));
        bounds.push(self.tokens.len());
        (0..bounds.len() - 1).map(move |k| &self.tokens[bounds[k]..bounds[k + 1]])
    }

    /// The token strings of `text`.
    pub fn words<'s, 't>(&'s self, text: &'t str) -> impl Iterator<Item = &'t str> + use<'s, 't> {
        self.tokens.iter().map(move |&(s, e)| &text[s as usize..e as usize])
    }
}

/// jieba-rs with tifa's terms and known slogans added.
pub struct Segmenter {
    jieba: Jieba,
    /// For each word added from tifa's terms and lexicon: how many words jieba's own
    /// dictionary cuts it into (营商环境 → 营商/环境: 2).
    added_pieces: std::collections::HashMap<String, usize>,
}

/// Least dictionary frequency of a common word, for telling a three-character name from a
/// common word and a suffix (安全观); see [`Segmenter::tags`].
const COMMON_WORD: usize = 1000;

/// True for characters that make up words; everything else separates clauses.
pub fn is_word_char(c: char) -> bool {
    // the CJK Unified Ideographs block is all letters, and the punctuation Chinese text is full
    // of (one character in twelve of xwlb) none: both answered without the Unicode tables' search
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '，' | '。' | '、' | '“' | '”' | '：' | '；' | '！' | '？' | '（' | '）' | '《' | '》' => false,
        _ => c.is_alphanumeric(),
    }
}

/// True for characters that end a sentence.
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Byte ranges of the sentences of `text`, each including its closing punctuation.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if is_sentence_end(c) {
            let end = i + c.len_utf8();
            if text[start..i].chars().any(is_word_char) {
                out.push((start, end));
            }
            start = end;
        }
    }
    if text[start..].chars().any(is_word_char) {
        out.push((start, text.len()));
    }
    out
}

impl Segmenter {
    /// jieba's default dictionary plus `terms` and every known slogan without punctuation.
    pub fn new(res: &Resources) -> Self {
        let mut jieba = Jieba::new();
        let added: Vec<&str> = res
            .terms
            .iter()
            .map(|(w, _)| w.as_str())
            .chain(res.slogans.iter().map(String::as_str).filter(|s| s.chars().all(is_word_char)))
            .collect();
        let added_pieces = added.iter().map(|w| (w.to_string(), jieba.cut(w, false).len())).collect();
        for (word, freq) in &res.terms {
            jieba.add_word(word, *freq, None);
        }
        for s in &res.slogans {
            if s.chars().all(is_word_char) {
                jieba.add_word(s, None, None);
            }
        }
        Segmenter { jieba, added_pieces }
    }

    /// How many words `word` is to jieba's own dictionary: a word tifa's terms or lexicon added
    /// counts as the pieces the dictionary would cut it into, any other as one.
    pub fn dictionary_words(&self, word: &str) -> usize {
        self.added_pieces.get(word).copied().unwrap_or(1)
    }

    /// The words of a short text with their part-of-speech tags (jieba's tag set: n noun,
    /// v verb, p preposition, uj 的, f locative …; words added from the lexicon are tagged x).
    /// A word jieba's dictionary tags as a personal name (nr) that cannot be one takes the tag
    /// of its last piece instead: see [`Segmenter::name_tag`].
    pub fn tags<'t>(&self, text: &'t str) -> Vec<(&'t str, String)> {
        self.jieba
            .tag(text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(is_word_char))
            .map(|t| {
                let start = t.word.as_ptr() as usize - text.as_ptr() as usize;
                let tag = if t.tag == "nr" { self.name_tag(t.word) } else { t.tag.to_string() };
                (&text[start..start + t.word.len()], tag)
            })
            .collect()
    }

    /// The tag of a word jieba tags nr (personal name). jieba's dictionary gives that tag to
    /// many coined terms and phrases as well (从严治党, 安全观, 明显提高, 毛泽东思想). Such a word is
    /// told from a name by its parts, and takes the tag of its longest proper ending that is a
    /// word (治党 → n, 思想 → n, 提高 → v):
    /// - one of four or more characters is no name when it is two words of two or more
    ///   characters each, the second not a name (从严 + 治党, 毛泽东 + 思想; not 安倍晋三);
    /// - one of three characters is no name when its first two are a common word (at least
    ///   [`COMMON_WORD`] in the dictionary) that is not a name (安全 + 观, 幸福 + 感; not
    ///   温家宝, 王沪宁).
    fn name_tag(&self, word: &str) -> String {
        let bounds: Vec<usize> = word.char_indices().map(|(b, _)| b).chain([word.len()]).collect();
        let chars = bounds.len() - 1;
        let tag_of = |w: &str| self.jieba.tag(w, false).into_iter().next().map(|t| t.tag.to_string());
        let plain_word = |w: &str| self.jieba.has_word(w) && tag_of(w).is_some_and(|t| !t.starts_with("nr"));
        let no_name = match chars {
            0..=2 => false,
            3 => plain_word(&word[..bounds[2]]) && self.dictionary_freq(&word[..bounds[2]]) >= COMMON_WORD,
            _ => (2..=chars - 2).any(|k| self.jieba.has_word(&word[..bounds[k]]) && plain_word(&word[bounds[k]..])),
        };
        if !no_name {
            return "nr".to_string();
        }
        let ending =
            bounds[1..chars].iter().map(|&b| &word[b..]).find(|w| w.chars().count() == 1 || self.jieba.has_word(w));
        match ending.and_then(tag_of) {
            Some(t) if t.starts_with("nr") => "n".to_string(),
            Some(t) => t,
            None => "n".to_string(),
        }
    }

    /// True when jieba's dictionary (with tifa's terms and lexicon) holds `word` as one word.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// The dictionary frequency of `word` (0 when the dictionary does not hold it), read back
    /// through jieba's `suggest_freq`: for a word the dictionary keeps whole it returns the
    /// frequency plus one, for a word it would cut, the frequency itself.
    pub fn dictionary_freq(&self, word: &str) -> usize {
        if !self.jieba.has_word(word) {
            return 0;
        }
        let suggested = self.jieba.suggest_freq(word);
        if self.jieba.cut(word, false).len() == 1 { suggested - 1 } else { suggested }
    }

    /// How many pieces jieba's dictionary alone (no HMM for unknown words) cuts `text` into.
    pub fn dictionary_pieces(&self, text: &str) -> usize {
        self.jieba.cut(text, false).len()
    }

    /// Segment a clean text.
    pub fn segment(&self, text: &str) -> Segmented {
        let mut out = Segmented::default();
        let mut clause_start: Option<usize> = None;
        let push_clause = |out: &mut Segmented, from: usize, to: usize| {
            if !out.tokens.is_empty() {
                out.clause_starts.push(out.tokens.len() as u32);
            }
            for t in self.jieba.cut(&text[from..to], true) {
                if t.word.chars().any(is_word_char) {
                    let s = (from + t.byte_start) as u32;
                    out.tokens.push((s, s + t.word.len() as u32));
                }
            }
        };
        for (i, c) in text.char_indices() {
            match (is_word_char(c), clause_start) {
                (true, None) => clause_start = Some(i),
                (false, Some(s)) => {
                    push_clause(&mut out, s, i);
                    clause_start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = clause_start {
            push_clause(&mut out, s, text.len());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_are_the_alphanumeric_ones() {
        let shortcuts = "，。、“”：；！？（）《》一丁龥鿿";
        let around = ('\u{3000}'..='\u{303F}').chain('\u{FF00}'..='\u{FF65}').chain('\u{2010}'..='\u{2027}');
        for c in shortcuts.chars().chain(around).chain(['a', 'Z', '7', '〇', '々', '．']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    fn seg() -> Segmenter {
        Segmenter::new(&Resources::builtin().unwrap())
    }

    #[test]
    fn word_chars_are_the_alphanumeric_ones() {
        // the fast path for CJK ideographs answers as the Unicode tables do, for every character
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn lexicon_keeps_official_terms_whole() {
        let text = "深入学习贯彻习近平新时代中国特色社会主义思想，增强“四个意识”。";
        let s = seg().segment(text);
        let words: Vec<&str> = s.words(text).collect();
        assert!(words.contains(&"习近平新时代中国特色社会主义思想"), "{words:?}");
        assert!(words.contains(&"四个意识"), "{words:?}");
    }

    #[test]
    fn coined_terms_the_dictionary_tags_as_names_are_not_names() {
        let s = seg();
        let last = |t: &str| s.tags(t).last().map(|(w, tag)| (w.to_string(), tag.clone())).unwrap();
        // jieba's dictionary tags these nr; they are a word and a suffix, or two words
        for (text, word) in [
            ("新的安全观", "安全观"),
            ("群众幸福感", "幸福感"),
            ("坚持从严治党", "从严治党"),
            ("马列主义、毛泽东思想", "毛泽东思想"),
        ] {
            let (w, tag) = last(text);
            assert!(w == word && tag != "nr", "{text}: {:?}", s.tags(text));
        }
        // … and take the tag of their last word: a phrase that ends in a verb is tagged v
        assert_eq!(last("水平明显提高"), ("明显提高".to_string(), "v".to_string()));
        // names keep their tag, Chinese (two or three characters) and foreign
        for (text, word) in [
            ("国务院总理温家宝", "温家宝"),
            ("常委王沪宁", "王沪宁"),
            ("首相安倍晋三", "安倍晋三"),
            ("总统卢卡申科", "卢卡申科"),
        ] {
            assert_eq!(last(text), (word.to_string(), "nr".to_string()), "{text}: {:?}", s.tags(text));
        }
    }

    #[test]
    fn punctuation_is_a_boundary_not_a_token() {
        let text = "学思想、强党性、重实践、建新功";
        let s = seg().segment(text);
        let words: Vec<&str> = s.words(text).collect();
        assert_eq!(words, ["学思想", "强党性", "重实践", "建新功"]);
        let clauses: Vec<usize> = s.clauses().map(|c| c.len()).collect();
        assert_eq!(clauses, [1, 1, 1, 1]);
        assert!(seg().segment("，。“”、×——").tokens.is_empty());
    }

    #[test]
    fn sentence_ranges() {
        let text = "第一句。第二句，还是第二句！\n第三句";
        let got: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["第一句。", "第二句，还是第二句！", "第三句"]);
    }
}
