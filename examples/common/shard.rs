//! A partial's clean texts, source numbers and words, for the examples that read partials.

use std::collections::HashMap;
use std::path::Path;

use tifa::segment::Segmented;

/// A shard's clean texts, source numbers and words, read from its partial.
pub struct Shard {
    pub texts: Vec<String>,
    pub sources: Vec<u32>,
    pub segs: Vec<Segmented>,
    /// The year of each document's date, where it has one.
    #[allow(dead_code)] // not every example that reads partials dates the documents
    pub years: Vec<Option<u32>>,
}

impl Shard {
    pub fn read(dir: &Path) -> tifa::error::Result<Shard> {
        let s = tifa::partial::read(dir)?;
        let texts: Vec<String> = s.docs.iter().map(|(_, c)| c.text.clone()).collect();
        let mut numbers = HashMap::new();
        let sources = s
            .docs
            .iter()
            .map(|(m, _)| {
                let n = numbers.len() as u32;
                *numbers.entry(m.source.clone()).or_insert(n)
            })
            .collect();
        let year = |d: &str| tifa::trends::Period::Year.of(d)?.parse().ok();
        let years = s.docs.iter().map(|(m, _)| m.date.as_deref().and_then(year)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let place = s.docs.iter().enumerate().map(|(i, (m, _))| (m.doc_id.as_str(), i)).collect();
        let mut segs = vec![Segmented::default(); refs.len()];
        tifa::partial::read_words(dir, &place, &refs, &mut segs)?;
        Ok(Shard { texts, sources, segs, years })
    }

    #[allow(dead_code)] // not every example that reads partials wants the texts as slices
    pub fn refs(&self) -> Vec<&str> {
        self.texts.iter().map(String::as_str).collect()
    }
}
