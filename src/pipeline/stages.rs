//! The stages that make tables and charts of their own: reuse, counting, trends and formula
//! families. Each takes the corpus and what the stages before it found, writes its tables and
//! charts into the report, and returns what later stages read.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashSet;

use super::shards;
use super::write::Report;
use crate::corpus::Corpus;
use crate::count::{Vocab, count_ngrams, intern, ngram_table, token_table};
use crate::error::{Error, Result};
use crate::keybits::KeyBits;
use crate::partial;
use crate::plot::charts;
use crate::reuse::{DocRef, Reuse, find_reuse, find_reuse_with};
use crate::run::{Counts, Observer, Options};
use crate::slogans::Slogans;
use crate::trends::PeriodTotals;
use crate::{families, keyness, page, trends};

/// Near-copies shown side by side on the index page.
const NEAR_COPIES: usize = 10;

/// Families in `families.png` and values in each.
const FAMILY_CHART: usize = 6;
const FAMILY_VALUES: usize = 8;

/// Reuse detection and its tables and charts. `windows`: a merge's window table of its
/// partials added up (see [`find_reuse_with`]).
pub(super) fn reuse_stage(
    corpus: &Corpus,
    windows: Option<&Path>,
    opts: &Options,
    obs: &dyn Observer,
    report: &mut Report,
    counts: &mut Counts,
) -> Result<Reuse> {
    obs.stage("reuse", 0);
    let texts = corpus.texts();
    let ropts = opts.reuse_options();
    let mut reuse = match windows {
        // with reuse's passages shorter than its anchors, the table is not of their windows
        Some(path) if opts.min_chars >= ropts.align.anchor_chars => {
            let table = KeyBits::read(path)?;
            if table.window() != ropts.align.anchor_chars {
                return Err(Error::Partials(format!(
                    "{} is a table of {}, where reuse needs one of {}-character windows",
                    path.display(),
                    table.kind(),
                    ropts.align.anchor_chars
                )));
            }
            find_reuse_with(&texts, ropts, table).ok_or_else(|| {
                Error::Partials(format!(
                    "the window table {} was not added up from these partials' own {}",
                    path.display(),
                    partial::WINDOWS
                ))
            })?
        }
        _ => find_reuse(&texts, ropts),
    };
    let refs = DocRef::all(&corpus.docs);
    let titles: Vec<&str> = corpus.docs.iter().map(|m| m.title.as_str()).collect();
    // the charts are drawn while the tables are made
    let (tables, pngs) = rayon::join(
        || -> Result<_> {
            Ok((reuse.passages_table(&refs)?, reuse.pairs_table(&refs)?, reuse.alignments_table(&refs, &texts)?))
        },
        || -> Result<_> {
            Ok((
                charts::boilerplate_png(&reuse, &titles, opts.min_chars, opts.chart_rows)?,
                charts::reuse_heatmap_png(&reuse, &titles, opts.heatmap_rows)?,
            ))
        },
    );
    let (passages, pairs, alignments) = tables?;
    (counts.reuse_passages, counts.reuse_pairs) = (passages.height(), pairs.height());
    report.table("reuse_passages", passages)?;
    report.table("reuse_pairs", pairs)?;
    counts.reuse_alignments = alignments.height();
    report.table("reuse_alignments", alignments)?;
    report.near_copies = page::near_copies(&reuse, &corpus.docs, &texts, NEAR_COPIES);
    let (boilerplate, heatmap) = pngs?;
    report.png("boilerplate.png", boilerplate);
    report.png("reuse_heatmap.png", heatmap);
    // the tables and charts hold what is reported; the occurrences can go
    reuse.passages = Vec::new();
    reuse.pairs = Vec::new();
    reuse.alignments = Vec::new();
    Ok(reuse)
}

/// Count tokens and n-grams (a merge adds up the shards' counts) and write their tables; the
/// words as ids go once the n-grams are counted and the `--group-by` groups have taken their
/// token counts, before the n-gram table is made. A merge counts from the shards' counts alone
/// when it reads the words after (see [`shards::words_after_counting`]). Returns the groups and the n-gram chart.
pub(super) fn count_stage(
    opts: &Options,
    corpus: &Corpus,
    merged: Option<shards::Merged>,
    stopwords: &FxHashSet<String>,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<(Option<keyness::Groups>, Vec<u8>)> {
    let (vocab, tokens, ngrams, groups) = match merged {
        // the words of the shards' sums, in the order of the `tokens` table (n-grams are
        // ordered by their words' bytes, whatever their ids)
        Some(mut m) if shards::words_after_counting(opts) => {
            counts.tokens = m.partial_tokens;
            let tokens = m.token_table()?;
            let words = crate::frame::strs(&tokens, "token", "tokens")?.into_iter().map(String::from).collect();
            let vocab = Vocab { words };
            let ngrams = m.ngram_counts(&vocab, opts.min_count)?;
            (vocab, tokens, ngrams, None)
        }
        merged => {
            let (vocab, per_doc) = intern(&corpus.texts(), &corpus.segs);
            let doc_tokens: Vec<u64> = per_doc.iter().map(|d| d.ids.len() as u64).collect();
            counts.tokens = doc_tokens.iter().sum();
            report.doc_tokens = Some(doc_tokens);
            let groups = match &opts.group_by {
                Some(column) => {
                    Some(keyness::Groups::of_tokens(column, corpus, opts.period, &vocab, &per_doc, stopwords)?)
                }
                None => None,
            };
            // the words as ids go before the n-gram table is made, its largest moment
            let (tokens, ngrams) = match merged {
                Some(mut m) => {
                    drop(per_doc);
                    shards::check_words(m.partial_tokens, counts.tokens)?;
                    (m.token_table()?, m.ngram_counts(&vocab, opts.min_count)?)
                }
                None => {
                    let tokens = token_table(&vocab, &per_doc, stopwords)?;
                    let counted = count_ngrams(&vocab, &per_doc, 2..=4, opts.min_count);
                    drop(per_doc);
                    (tokens, counted)
                }
            };
            (vocab, tokens, ngrams, groups)
        }
    };
    counts.distinct_tokens = vocab.words.len();
    report.table("tokens", tokens)?;
    // the n-gram table is the largest: made, written and drawn a row group at a time, the rows
    // the chart shows kept from each until it has enough
    let empty = ngram_table(&vocab, &[], 2..=4, 1, stopwords)?;
    let mut shown = charts::NgramsShown::new(&empty, opts.chart_rows);
    counts.ngrams = report.table_in_slices("ngrams", &empty, |write| {
        ngrams.table_in_slices(&vocab, stopwords, crate::report::ROW_GROUP, |slice| {
            shown.add(&slice)?;
            write(slice)
        })
    })?;
    let ngrams_png = charts::ngrams_png(&shown.rows, corpus.len(), opts.chart_rows)?;
    Ok((groups, ngrams_png))
}

/// Trends and first/last appearance, where documents have dates; returns the periods with
/// documents.
pub(super) fn trends_stage(
    opts: &Options,
    corpus: &Corpus,
    found: &mut Slogans,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<BTreeMap<String, PeriodTotals>> {
    let dates: Vec<Option<&str>> = corpus.docs.iter().map(|m| m.date.as_deref()).collect();
    let rows: Vec<Vec<u32>> = found.list.iter().map(|s| s.patterns.clone()).collect();
    let names: Vec<&str> = found.list.iter().map(|s| s.text.as_str()).collect();
    let tracked: Vec<bool> = found.list.iter().map(|s| s.tracked).collect();
    let t = trends::trends(opts.period, &dates, &corpus.chars, &found.occurrences, &rows, &names, &tracked)?;
    counts.periods = t.periods.len();
    if !t.periods.is_empty() {
        report.png("trends.png", charts::trends_png(&t, opts.period, &names, &tracked, opts.chart_rows.min(8))?);
    }
    drop((rows, names));
    for (s, (first, last)) in found.list.iter_mut().zip(t.first_seen.into_iter().zip(t.last_seen)) {
        (s.first_seen, s.last_seen) = (first, last);
    }
    if !t.periods.is_empty() {
        report.table("trends", t.table)?;
    }
    Ok(t.periods)
}

/// Formula families: frames of the slogans around a numeral or word slot, every value counted.
pub(super) fn families_stage(
    opts: &Options,
    corpus: &Corpus,
    found: &Slogans,
    periods: &BTreeMap<String, PeriodTotals>,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<()> {
    let counted = families::counted(found);
    let (frames, words) = (families::frames(&counted), families::word_frames(&counted));
    let doc_periods: Vec<Option<String>> =
        corpus.docs.iter().map(|m| m.date.as_deref().and_then(|d| opts.period.of(d))).collect();
    let with_docs: Vec<String> = periods.keys().cloned().collect();
    let fam =
        families::find(&frames, &words, &found.occurrences, &corpus.texts(), &doc_periods, &with_docs, opts.min_docs)?;
    counts.families = fam.groups().len();
    if !periods.is_empty() {
        report.png("families.png", charts::families_png(&fam, periods, opts.period, FAMILY_CHART, FAMILY_VALUES)?);
    }
    report.families = page::families(&fam, FAMILY_CHART * 2, FAMILY_VALUES * 2);
    report.table("families", fam.table()?)?;
    Ok(())
}
