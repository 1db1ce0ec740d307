//! Slogans in two passes: each shard's detectors propose candidates, the proposals are joined
//! into one, every shard measures the joined list ([`super::stats`]), and the sums judge the
//! phrases again as one index of the whole corpus would before [`super::decide`] decides.
//!
//! Counts of quotes, formula shapes and series add up. The phrase detector sees only its
//! shard: a shard proposes every phrase that recurs in it (in one document or more), and the
//! sums then hold it to `min_docs` documents and to its freedom in the whole corpus. What the
//! joined proposals can lack is a phrase that recurs in no single shard, or that goes on the
//! same way within every shard and differently across them (it has an interval of its own in
//! the whole corpus only).

use std::collections::{BTreeMap, BTreeSet};

use super::phrase::Freedom;
use super::stats::Summed;
use super::{Candidate, Kind, MIN_ENTROPY, Proposed, Settings, setphrase};

/// The settings of a shard's detectors: every phrase that recurs in it, in one document or
/// more, is proposed.
pub fn shard_settings(settings: Settings) -> Settings {
    Settings { min_docs: 1, shard: true, ..settings }
}

/// The proposals of the shards, joined: to be measured by every shard, then judged.
pub struct Joined {
    /// The candidates by text, with the counts of their detectors added up; found by the phrase
    /// detector or not is left to [`Joined::judge`].
    cands: Vec<Candidate>,
    /// Candidates some shard's phrase detector found too.
    phrase_found: BTreeSet<String>,
    /// Strings only the phrase detector found, by text.
    phrases: Vec<String>,
    series: BTreeSet<(String, String)>,
}

/// Join the proposals of the shards, given in the order of their documents.
pub fn join(parts: Vec<Proposed>) -> Joined {
    let mut cands: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut phrase_found = BTreeSet::new();
    let mut phrases = BTreeSet::new();
    let mut series = BTreeSet::new();
    for part in parts {
        for mut c in part.cands {
            if c.found_by.remove(&Kind::Phrase) || c.framed_freedom.is_some() {
                phrase_found.insert(c.text.clone());
            }
            let Some(j) = cands.get_mut(&c.text) else {
                (c.freedom, c.framed_freedom) = (None, None);
                if c.found_by.is_empty() {
                    phrases.insert(c.text);
                } else {
                    cands.insert(c.text.clone(), c);
                }
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
        phrases.extend(part.phrases.into_iter().map(|p| p.0));
        series.extend(part.series);
    }
    // a string only the phrase detector found in one shard is a candidate in another
    let phrases: Vec<String> = phrases
        .into_iter()
        .filter(|t| {
            let cand = cands.contains_key(t);
            if cand {
                phrase_found.insert(t.clone());
            }
            !cand
        })
        .collect();
    Joined { cands: cands.into_values().collect(), phrase_found, phrases, series }
}

/// The shards' proposals of their document detectors ([`super::propose_in_documents`], given in
/// the order of their documents) with the whole corpus's `phrases`, sorted by text (found range
/// by range, [`super::index::Symbols::sorted_range`]): what one run's detectors propose.
pub fn join_with_phrases(parts: Vec<Proposed>, phrases: Vec<(String, Freedom)>) -> Proposed {
    assert!(parts.iter().all(|p| p.phrases.is_empty()), "the shards propose no phrases of their own");
    let joined = join(parts);
    super::with_phrases(joined.cands, phrases, joined.series)
}

impl Joined {
    /// Every string the shards measure: the candidates, the phrases and the tracked phrases,
    /// by text.
    pub fn texts(&self, track: &[String]) -> Vec<String> {
        let mut all: Vec<String> = self.cands.iter().map(|c| c.text.clone()).collect();
        all.extend(self.phrases.iter().cloned());
        all.extend(track.iter().filter(|t| !t.is_empty()).cloned());
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The proposals as the detectors leave them in one run, the phrases judged by `summed`:
    /// in at least `min_docs` documents, and free (or of a set phrase's usage).
    pub fn judge(self, summed: &Summed, settings: Settings) -> Proposed {
        let min_docs = settings.min_docs as usize;
        let judged = |t: &str| -> Option<Freedom> {
            let s = summed.stats.get(t).filter(|s| s.occurrences > 0)?;
            let f = Freedom { listed: s.listed(), ..s.freedom(t, min_docs) };
            // on word boundaries in at least half of its occurrences, not copied between two
            // documents of one file, in `min_docs` documents, free or of a set phrase's usage
            let copied = f.docs == 2 && f.sources == 1 && s.copied;
            let words = 2 * s.aligned >= s.occurrences;
            (words && !copied && f.docs as usize >= min_docs && (f.free(MIN_ENTROPY) || f.set.is_some())).then_some(f)
        };
        let mut cands = self.cands;
        for c in cands.iter_mut().filter(|c| self.phrase_found.contains(&c.text)) {
            match judged(&c.text) {
                Some(f) if f.free(MIN_ENTROPY) => {
                    c.found_by.insert(Kind::Phrase);
                    c.freedom = Some(f);
                }
                f => c.framed_freedom = f,
            }
        }
        let phrases = self.phrases.into_iter().filter_map(|t| judged(&t).map(|f| (t, f))).collect();
        let families = setphrase::Families::from_items(self.series.iter().map(|(t, i)| (t.as_str(), i.as_str())));
        Proposed { cands, phrases, families, series: self.series }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slogans::index::{Index, Symbols};
    use crate::slogans::phrase::find_phrases;
    use crate::slogans::{Slogans, detect, phrase_limits, propose_in_documents};
    use crate::testgen::SampleRun;
    use crate::slogans::stats::{Asking, Stats, Totals};

    /// Slogans in two passes, exactly: pass 1, each shard (`ranks[k]..ranks[k + 1]`, whole
    /// source files) proposes what its documents show and the whole corpus's phrases are found
    /// `parts` ranges of first characters at a time; pass 2, the shards measure what the
    /// decisions ask and the sums do not hold yet, round after round until they hold all of it.
    /// Returns the slogans and the strings measured in each round.
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
        let mut summed = Summed::default();
        for (&(a, b), shard) in shards.iter().zip(&indexes) {
            summed.totals.add(&Totals::of(shard, &years[a..b]));
        }
        let eras = summed.totals.eras();
        let mut measured = Vec::new();
        loop {
            let asking = Asking::new(&summed);
            let slogans = run.decide(proposed.clone(), &asking, &eras);
            let missing = asking.missing();
            if missing.is_empty() {
                return (slogans, measured);
            }
            measured.push(missing.len());
            for (&(a, b), shard) in shards.iter().zip(&indexes) {
                for t in &missing {
                    summed.stats.entry(t.clone()).or_default().add(&Stats::of(shard, t, &years[a..b]));
                }
            }
        }
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

    #[test]
    fn the_shards_proposals_judged_by_the_sums_find_one_runs_slogans() {
        let run = SampleRun::new();
        let (refs, sources, years, segs) = (run.refs(), &run.sources, &run.years, &run.segs);
        let (res, settings, track) = (&run.res, run.settings, &run.track);
        let one = run.one_run();

        // pass 1: each shard of whole files proposes; pass 2: each measures the joined list
        let cut = |f: u32| sources.partition_point(|&s| s < f);
        let shards = [(0, cut(2)), (cut(2), cut(3)), (cut(3), refs.len())];
        let index = |(a, b): (usize, usize)| Index::build_with_words(&refs[a..b], &segs[a..b], &sources[a..b]);
        let parts = shards
            .iter()
            .map(|&(a, b)| {
                let texts = &refs[a..b];
                detect(texts, segs[a..b].to_vec(), &sources[a..b], &res.slogans, shard_settings(settings)).0
            })
            .collect();
        let joined = join(parts);
        let asked = joined.texts(track);
        let mut summed = Summed::default();
        for &(a, b) in &shards {
            let shard = index((a, b));
            summed.totals.add(&Totals::of(&shard, &years[a..b]));
            for t in &asked {
                summed.stats.entry(t.clone()).or_default().add(&Stats::of(&shard, t, &years[a..b]));
            }
        }
        let proposed = joined.judge(&summed, settings);
        let eras = summed.totals.eras();
        let two = run.decide(proposed, summed, &eras);

        let rows = |s: &crate::slogans::Slogans| -> BTreeMap<String, (u64, u64)> {
            s.list.iter().map(|x| (x.text.clone(), (x.count, x.doc_count))).collect()
        };
        let (a, b) = (rows(&one), rows(&two));
        let only_one: Vec<&String> = a.keys().filter(|t| !b.contains_key(*t)).collect();
        let only_two: Vec<&String> = b.keys().filter(|t| !a.contains_key(*t)).collect();
        // the slogans found both ways are counted the same
        for (t, x) in &a {
            if let Some(y) = b.get(t) {
                assert_eq!(x, y, "{t}");
            }
        }
        // what one way finds alone is a phrase or set phrase here (the other detectors' counts
        // add up exactly; in other corpora a series can go with a longer phrase that holds it),
        // and what one run finds alone mostly recurs in no single shard
        let kind = |s: &crate::slogans::Slogans, t: &str| s.list.iter().find(|x| x.text == t).map(|x| x.kind);
        for (s, alone) in [(&one, &only_one), (&two, &only_two)] {
            for t in alone.iter() {
                assert!(matches!(kind(s, t), Some(Kind::Phrase | Kind::SetPhrase)), "{t}: {:?}", kind(s, t));
            }
        }
        let recurs_in_a_shard = |t: &str| shards.iter().any(|&s| index(s).count(t) >= 2);
        let structural: Vec<&&String> = only_one.iter().filter(|t| recurs_in_a_shard(t)).collect();
        eprintln!(
            "{} slogans in one run, {} in two passes, {} in both; one run alone: {} that recur in no single shard, and {structural:?}; two passes alone: {only_two:?}",
            a.len(),
            b.len(),
            a.keys().filter(|t| b.contains_key(*t)).count(),
            only_one.len() - structural.len(),
        );
        assert!(2 * structural.len() < only_one.len(), "{structural:?}");
    }
}
