//! Slogans in two passes. Pass 1: each shard proposes what its documents show (quotes, formula
//! shapes, series and the lexicon; [`super::propose_in_documents`]), and the phrases of the
//! whole corpus are found a range of the suffixes' first characters at a time
//! ([`super::index::Symbols::sorted_range`]); joined, they are what one run's detectors
//! propose. Pass 2: the decisions ask the sums of the shards' statistics
//! ([`super::stats::Asking`]), and the shards measure what the sums do not hold yet, round after
//! round, until the sums hold every answer: the slogans are then one run's.
//!
//! Counts of quotes, formula shapes and series add up, since every document is in one shard.

use std::collections::{BTreeMap, BTreeSet};

use super::phrase::Freedom;
use super::stats::{Asking, Held};
use super::{Candidate, Proposed};

/// The shards' proposals of their document detectors ([`super::propose_in_documents`], given in
/// the order of their documents) with the whole corpus's `phrases`, sorted by text: what one
/// run's detectors propose.
pub fn join_with_phrases(parts: Vec<Proposed>, phrases: Vec<(String, Freedom)>) -> Proposed {
    let mut cands: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut series = BTreeSet::new();
    for part in parts {
        assert!(part.phrases.is_empty(), "the shards propose no phrases of their own");
        for c in part.cands {
            let Some(j) = cands.get_mut(&c.text) else {
                cands.insert(c.text.clone(), c);
                continue;
            };
            j.found_by.extend(c.found_by);
            j.quoted += c.quoted;
            j.shaped += c.shaped;
            j.shaped_docs += c.shaped_docs;
            j.series_seen += c.series_seen;
            // the last series seen names the template, as in one run
            if c.template.is_some() {
                (j.template, j.series_items) = (c.template, c.series_items);
            }
        }
        series.extend(part.series);
    }
    super::with_phrases(cands.into_values().collect(), phrases, series)
}

/// Pass 2: `decide` with the sums, and while it asks about strings they do not hold, have
/// `measure` add every shard's statistics of those strings to them and decide again. Returns
/// the last decision, made from answers the sums held and so one run's, and how many strings
/// each round measured.
pub fn decide_in_rounds<S: Held, T, E>(
    summed: &mut S,
    mut decide: impl FnMut(&Asking) -> Result<T, E>,
    mut measure: impl FnMut(&[String], &mut S) -> Result<(), E>,
) -> Result<(T, Vec<usize>), E> {
    let mut measured = Vec::new();
    loop {
        let asking = Asking::new(summed);
        let decided = decide(&asking)?;
        let missing = asking.missing();
        if missing.is_empty() {
            return Ok((decided, measured));
        }
        measured.push(missing.len());
        measure(&missing, summed)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slogans::index::{Index, Symbols};
    use crate::slogans::phrase::find_phrases;
    use crate::slogans::stats::{Finished, FinishedSums, Stats, Totals};
    use crate::slogans::{Kind, Slogans, detect, phrase_limits, propose_in_documents};
    use crate::testgen::SampleRun;

    /// Slogans in two passes, exactly: pass 1, each shard (`ranks[k]..ranks[k + 1]`, whole
    /// source files) proposes what its documents show and the whole corpus's phrases are found
    /// `parts` ranges of first characters at a time; pass 2, the shards measure what the
    /// decisions ask and the sums do not hold yet, round after round until they hold all of it,
    /// each string's statistics finished where they are summed. Returns the slogans and the
    /// strings measured in each round.
    fn two_passes(run: &SampleRun, ranks: &[usize], parts: usize) -> (Slogans, Vec<usize>) {
        let (refs, sources, years, segs) = (run.refs(), &run.sources, &run.years, &run.segs);
        let (res, settings) = (&run.res, run.settings);
        let shards: Vec<(usize, usize)> = ranks.windows(2).map(|w| (w[0], w[1])).collect();
        let proposals =
            shards.iter().map(|&(a, b)| propose_in_documents(&refs[a..b], &segs[a..b], &res.slogans)).collect();
        let mut symbols = Symbols::of(&refs, segs, sources);
        let mut phrases = Vec::new();
        for r in symbols.first_symbol_ranges(parts) {
            let index = symbols.sorted_range(r);
            phrases.extend(find_phrases(&index, phrase_limits(settings)));
            symbols = index.into_symbols();
        }
        phrases.sort_by(|a, b| a.0.cmp(&b.0));
        let proposed = join_with_phrases(proposals, phrases);
        // the same proposals as one run's detectors make
        let (whole, _) = detect(&refs, segs.clone(), sources, &res.slogans, settings);
        assert_eq!(format!("{:?}", proposed.cands), format!("{:?}", whole.cands));
        assert_eq!(proposed.phrases, whole.phrases);
        assert_eq!(proposed.series, whole.series);

        let indexes: Vec<Index> =
            shards.iter().map(|&(a, b)| Index::build_with_words(&refs[a..b], &segs[a..b], &sources[a..b])).collect();
        let mut totals = Totals::default();
        for (&(a, b), shard) in shards.iter().zip(&indexes) {
            totals.add(&Totals::of(shard, &years[a..b]));
        }
        let eras = totals.eras();
        // each string's statistics summed over the shards and finished where they are summed
        let mut finished = FinishedSums { eras: eras.clone(), ..Default::default() };
        let measure = |missing: &[String], finished: &mut FinishedSums| {
            for t in missing {
                let mut summed = Stats::default();
                for (&(a, b), shard) in shards.iter().zip(&indexes) {
                    summed.add(&Stats::of(shard, t, &years[a..b]));
                }
                finished.measures.insert(t.clone(), Finished::of(&summed, t, &totals, &eras));
            }
            Ok::<_, ()>(())
        };
        decide_in_rounds(&mut finished, |asking| Ok(run.decide(proposed.clone(), asking, &eras)), measure).unwrap()
    }

    #[test]
    fn the_whole_corpuss_phrases_range_by_range_and_sums_asked_until_they_hold_every_answer_are_one_run() {
        let run = SampleRun::new();
        let one = run.one_run();
        let cut = |f: u32| run.sources.partition_point(|&s| s < f);
        let (two, measured) = two_passes(&run, &[0, cut(2), cut(3), run.texts.len()], 3);
        eprintln!("data/sample: {} slogans; strings measured in each round: {measured:?}", two.list.len());
        assert!(!measured.is_empty());
        assert_eq!(two.list, one.list);
        assert_eq!(two.patterns, one.patterns);
        let kind = |k: Kind| one.list.iter().any(|s| s.kind == k);
        assert!(kind(Kind::Phrase) && kind(Kind::SetPhrase) && kind(Kind::Enumeration));
        // generated corpora: documents copied whole, dated over 30 years, three to a file
        for seed in [1, 2, 3, 4] {
            let (texts, sources, years) = crate::testgen::slogan_corpus(seed);
            let run = SampleRun::of(texts, sources, years);
            let one = run.one_run();
            for parts in [1, 4] {
                let (two, measured) = two_passes(&run, &[0, 15, 30, 48, run.texts.len()], parts);
                assert_eq!(two.list, one.list, "seed {seed}, {parts} parts, rounds {measured:?}");
                assert_eq!(two.patterns, one.patterns);
            }
            assert!(!one.list.is_empty(), "seed {seed}");
        }
    }
}
