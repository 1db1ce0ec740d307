//! Any text, cut into up to four documents: cleaning, segmentation, slogan discovery and the
//! reuse detector never panic, and every slogan count is the plain substring count.
#![no_main]

use std::collections::BTreeSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tifa::resources::Resources;
use tifa::segment::Segmenter;

static RES: LazyLock<Resources> = LazyLock::new(|| Resources::builtin().unwrap());
static SEG: LazyLock<Segmenter> = LazyLock::new(|| Segmenter::new(&RES));

fuzz_target!(|text: &str| {
    let cleaned: Vec<String> = text.split('\u{1}').take(4).map(|t| tifa::clean::clean(t, &RES).text).collect();
    let texts: Vec<&str> = cleaned.iter().map(String::as_str).collect();
    let segs: Vec<_> = texts.iter().map(|t| SEG.segment(t)).collect();
    let sources: Vec<u32> = (0..texts.len() as u32).collect();
    let corpus = tifa::slogans::Corpus { texts: &texts, segs: &segs, sources: &sources };
    let settings = tifa::slogans::Settings { min_docs: 1, ..Default::default() };
    let found = tifa::slogans::discover(corpus, &RES, &SEG, settings, &BTreeSet::new(), &[], &[]).unwrap();
    for s in &found.list {
        let spellings: Vec<&str> = s.spellings().filter(|v| !v.is_empty()).collect();
        let plain: usize = texts.iter().map(|t| spellings.iter().map(|s| t.matches(s).count()).sum::<usize>()).sum();
        assert_eq!(s.count as usize, plain, "{:?}", spellings);
    }
    let _ = tifa::reuse::find_reuse(&texts, tifa::reuse::ReuseOptions { min_chars: 4, ..Default::default() });
});
