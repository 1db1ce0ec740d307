//! The `tifa` binary: parse arguments, run the library, show progress and errors.

mod cli;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tifa::ingest::Skipped;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's option setter (the library is linked by the `mimalloc` crate).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (libmimalloc-sys 0.1.49, pinned in
/// Cargo.lock): how long freed memory stays committed before it goes back to the system.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Return freed memory at once (but while reading, cleaning and segmenting: [`purge_delay`]): a
/// stage's peak then does not sit on the last stage's garbage.
/// And use small pages only: memory is taken and given back stage after stage, and a
/// transparent huge page costs more to fault in and clear than the small pages of it that are
/// used before it goes back (on xwlb, 6 s of system time instead of 14, and a peak 50 MB
/// lower; see BENCHMARKS.md).
fn tune_allocator() {
    // SAFETY: called first thing in `main`, before any other thread exists.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    // SAFETY: prctl with an integer option and integer arguments; a failure (an old kernel)
    // leaves the pages as they were.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

use cli::{Cli, Command};

/// A progress bar on stderr (hidden when stderr is not a terminal or with --quiet).
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar { bar }
    }
}

/// How long freed memory stays committed (ms) while stage `name` runs. Reading, cleaning and
/// segmenting allocate and free small strings document after document, far below the run's
/// peak: there a 10 ms delay lets freed pages be used again instead of being given back and
/// faulted in anew (on xwlb cleaning takes 1.5 → 0.9 s, segmenting 1.7 → 1.4 s). Every other
/// stage gives memory back at once, as `tune_allocator` set it.
fn purge_delay(stage: &str) -> std::ffi::c_long {
    match stage {
        "read" | "clean" | "segment" => 10,
        _ => 0,
    }
}

impl tifa::Observer for Bar {
    fn stage(&self, name: &'static str, total: u64) {
        // SAFETY: writes one aligned word of mimalloc's option table (set first in
        // `tune_allocator`); a purge on another thread reads the old delay or the new one.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, purge_delay(name)) }
        self.bar.reset();
        if total > 0 {
            self.bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:8} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            self.bar.set_length(total);
        } else {
            self.bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:8} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            self.bar.unset_length();
        }
        self.bar.set_message(name);
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }

    fn skipped(&self, s: &Skipped) {
        self.bar.suspend(|| eprintln!("tifa: skipped {}: {}", s.path, s.reason));
    }

    fn reports_not_read(&self, folders: &[std::path::PathBuf]) {
        let list: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
        let what = if list.len() == 1 { "a folder that holds" } else { "folders that hold" };
        self.bar.suspend(|| eprintln!("tifa: not reading {what} tifa reports: {}", list.join(", ")));
    }
}

/// Exit status when `--strict` is given and some input was skipped.
const SKIPPED_STRICT: u8 = 1;

/// The exit status of a finished run: 0, or 1 under `--strict` when inputs were skipped.
fn finished(s: &tifa::Summary, strict: bool) -> u8 {
    if strict && s.counts.skipped > 0 { SKIPPED_STRICT } else { 0 }
}

fn run() -> anyhow::Result<u8> {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) if args.partial.is_some() => {
            let opts = args.to_options();
            let shards = args.shards as usize;
            let s = run_with_bar(&opts, args.corpus.report.quiet, |o, b| tifa::analyze_partial(o, shards, b))?;
            if !args.corpus.report.quiet {
                let found = format!("{} tokens, {} distinct n-grams", s.counts.tokens, s.counts.ngrams);
                eprintln!("{}", summary_line(&s, &found));
            }
            Ok(finished(&s, args.corpus.report.strict))
        }
        Command::Merge(args) => {
            let opts = args.to_options();
            set_threads(&opts);
            let bar = Bar::new(args.report.quiet);
            let sums = args.sums.as_deref().map(|dir| tifa::Sums {
                dir,
                words: &args.words,
                windows: args.windows.as_deref(),
            });
            let result = tifa::merge(&opts.inputs, sums, &opts, &bar);
            bar.bar.finish_and_clear();
            let s = result.with_context(|| format!("merging {}", describe(&opts.inputs)))?;
            if !args.report.quiet {
                let found = format!("{} slogans, {} shared passages", s.counts.slogans, s.counts.reuse_passages);
                eprintln!("{}", summary_line(&s, &found));
            }
            print_explained(&s)?;
            Ok(finished(&s, args.report.strict))
        }
        Command::Analyze(args) => {
            let opts = args.to_options();
            let s = run_with_bar(&opts, args.corpus.report.quiet, tifa::analyze)?;
            if !args.corpus.report.quiet {
                let found = format!("{} slogans, {} shared passages", s.counts.slogans, s.counts.reuse_passages);
                eprintln!("{}", summary_line(&s, &found));
            }
            print_explained(&s)?;
            Ok(finished(&s, args.corpus.report.strict))
        }
        Command::Reuse(args) => {
            let opts = args.corpus.to_options(&args.reuse);
            if let Some(doc) = &args.show {
                set_threads(&opts);
                let bar = Bar::new(args.corpus.report.quiet);
                let result = tifa::document_reuse(&opts, doc, &bar);
                bar.bar.finish_and_clear();
                let report = result.with_context(|| format!("finding the reuse in {}", describe(&opts.inputs)))?;
                print_ignoring_broken_pipe(|out| print_document_reuse(out, &report, opts.common_docs))?;
                return Ok(0);
            }
            let s = run_with_bar(&opts, args.corpus.report.quiet, tifa::reuse_only)?;
            if !args.corpus.report.quiet {
                let found = format!(
                    "{} shared passages, {} document pairs, {} aligned passages",
                    s.counts.reuse_passages, s.counts.reuse_pairs, s.counts.reuse_alignments
                );
                eprintln!("{}", summary_line(&s, &found));
            }
            Ok(finished(&s, args.corpus.report.strict))
        }
        Command::Kwic(args) => {
            let opts = args.to_options();
            let bar = Bar::new(true);
            let (hits, docs) = tifa::kwic(&opts, &args.phrase, args.width, &bar)
                .with_context(|| format!("searching {}", describe(&opts.inputs)))?;
            print_ignoring_broken_pipe(|out| print_kwic(out, &hits, docs, args.width, args.format, args.csv_raw))?;
            Ok(0)
        }
        Command::SharedNgrams(args) => {
            let done = tifa::shared_ngrams(&args.partial, &args.keys, &args.output, args.flags.force)
                .with_context(|| format!("keeping the shared n-grams of {}", args.partial.display()))?;
            if !args.flags.quiet {
                eprintln!(
                    "tifa: {} of {} n-gram rows kept ({:.1} %) → {}",
                    done.kept,
                    done.rows,
                    100.0 * done.kept as f64 / done.rows.max(1) as f64,
                    args.output.display()
                );
            }
            Ok(0)
        }
        Command::Phrases(args) => {
            let settings = tifa::slogans::Settings { min_docs: args.min_docs, ..Default::default() };
            let done = tifa::phrases_of_range(
                &args.partials,
                args.range,
                args.ranges as usize,
                settings,
                &args.output,
                args.flags.force,
            )
            .with_context(|| format!("finding the phrases of range {} of {}", args.range, args.ranges))?;
            if !args.flags.quiet {
                eprintln!(
                    "tifa: range {} of {}: {} suffixes, {} phrases → {}",
                    args.range,
                    done.ranges,
                    done.suffixes,
                    done.phrases,
                    args.output.display()
                );
            }
            Ok(0)
        }
        Command::Measure(args) => {
            let done = tifa::measure_strings(&args.partial, &args.strings, &args.output, args.flags.force)
                .with_context(|| {
                    format!("measuring the strings of {} in {}", args.strings.display(), args.partial.display())
                })?;
            if !args.flags.quiet {
                eprintln!("tifa: {} strings measured, {} rows → {}", done.strings, done.rows, args.output.display());
            }
            Ok(0)
        }
        Command::Finish(args) => {
            let n = tifa::finish_measured(&args.measured, &args.output, args.flags.force)
                .with_context(|| format!("finishing the statistics of {} measuring tasks", args.measured.len()))?;
            if !args.flags.quiet {
                eprintln!("tifa: {n} strings finished → {}", args.output.display());
            }
            Ok(0)
        }
        Command::Ask(args) => {
            let (settings, track) = (args.slogans.settings(), args.slogans.track());
            let from = tifa::AskFrom { partials: &args.partials, phrases: &args.phrases, finished: &args.finished };
            let done = tifa::ask(from, args.data.as_deref(), settings, &track, &args.output)
                .with_context(|| format!("asking the finished measures of {} rounds", args.finished.len()))?;
            if !args.quiet {
                eprintln!(
                    "tifa: {} candidates asked about, {} strings to measure → {}",
                    done.candidates,
                    done.missing,
                    args.output.display()
                );
            }
            Ok(0)
        }
        Command::AddTables(args) => {
            tifa::keybits::add_up(&args.tables)
                .and_then(|sum| tifa::keybits::write(&sum, &args.output))
                .with_context(|| format!("adding up {} tables", args.tables.len()))?;
            Ok(0)
        }
        Command::Evaluate(args) => evaluate(&args).map(|()| 0),
    }
}

/// The closing line of a run: documents, skipped files, characters, what was found, time.
fn summary_line(s: &tifa::Summary, found: &str) -> String {
    let mb = s.counts.input_bytes as f64 / 1e6;
    let found = match s.counts.repairs() {
        Some(r) => format!("{found}, {r}"),
        None => found.to_string(),
    };
    format!(
        "tifa: {} documents from {} files, {} skipped, {} characters ({mb:.1} MB), {found}, {:.2} s ({:.1} MB/s) → {}",
        s.counts.documents,
        s.counts.files,
        s.counts.skipped,
        s.counts.chars,
        s.seconds,
        mb / s.seconds.max(1e-9),
        s.output.display()
    )
}

/// Tell polars how many threads it may use (before any thread exists).
fn set_threads(opts: &tifa::Options) {
    if let Some(n) = opts.threads {
        // SAFETY: set before any other thread exists; polars reads it when its pool starts.
        unsafe { std::env::set_var("POLARS_MAX_THREADS", n.to_string()) };
    }
}

/// Run a pipeline with a progress bar and name the inputs in its error.
fn run_with_bar(
    opts: &tifa::Options,
    quiet: bool,
    pipeline: impl FnOnce(&tifa::Options, &dyn tifa::Observer) -> tifa::Result<tifa::Summary>,
) -> anyhow::Result<tifa::Summary> {
    set_threads(opts);
    let bar = Bar::new(quiet);
    let result = pipeline(opts, &bar);
    bar.bar.finish_and_clear();
    result.with_context(|| format!("analysing {}", describe(&opts.inputs)))
}

/// Write to stdout; a closed pipe (`| head`) ends the output quietly.
/// The explanations `--explain` asked for, one block each, on standard output.
fn print_explained(s: &tifa::Summary) -> anyhow::Result<()> {
    if s.explained.is_empty() {
        return Ok(());
    }
    print_ignoring_broken_pipe(|out| {
        for x in &s.explained {
            writeln!(out, "{x}\n")?;
        }
        Ok(())
    })
}

fn print_ignoring_broken_pipe(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}

/// Occurrences in context: aligned text with a total, or CSV.
fn print_kwic(
    out: &mut dyn Write,
    hits: &[tifa::KwicHit],
    docs: usize,
    width: usize,
    format: cli::KwicFormat,
    csv_raw: bool,
) -> std::io::Result<()> {
    match format {
        cli::KwicFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["doc_id", "date", "left", "match", "right"])?;
            let cell =
                |s: &str| if !csv_raw && tifa::report::formula_like(s) { format!("'{s}") } else { s.to_string() };
            for h in hits {
                let date = h.date.as_deref().unwrap_or("");
                w.write_record([h.doc_id.as_str(), date, &h.left, &h.matched, &h.right].map(cell))?;
            }
            w.flush()?;
        }
        cli::KwicFormat::Text => {
            let one_line = |s: &str| s.replace('\n', " ");
            for h in hits {
                let left = one_line(&h.left);
                // pad with ideographic spaces so that matches line up in a terminal
                let pad = "\u{3000}".repeat(width.saturating_sub(left.chars().count()));
                writeln!(
                    out,
                    "{}  {:<10}  {pad}{left}【{}】{}",
                    h.doc_id,
                    h.date.as_deref().unwrap_or("-"),
                    h.matched,
                    one_line(&h.right)
                )?;
            }
            writeln!(out, "{} occurrences in {} documents", hits.len(), docs)?;
        }
    }
    Ok(())
}

/// One document's shared passages, for a person to read.
fn print_document_reuse(out: &mut dyn Write, r: &tifa::DocumentReuse, common_docs: usize) -> std::io::Result<()> {
    writeln!(out, "{}  {}", r.doc_id, r.title)?;
    writeln!(
        out,
        "{} characters: {:.1}% shared with other documents, {:.1}% with {} or more, {:.1}% in aligned passages",
        r.chars,
        r.boilerplate_ratio * 100.0,
        r.common_ratio * 100.0,
        common_docs,
        r.copied_ratio * 100.0
    )?;
    if r.passages.is_empty() {
        writeln!(out, "no passage of this document appears in another one")?;
    }
    for p in &r.passages {
        let shown: String = if p.text.chars().count() > 80 {
            p.text.chars().take(79).chain(std::iter::once('…')).collect()
        } else {
            p.text.clone()
        };
        let others = if p.others.len() > 5 {
            format!("{} and {} more", p.others[..5].join(", "), p.others.len() - 5)
        } else {
            p.others.join(", ")
        };
        writeln!(out)?;
        writeln!(
            out,
            "  characters {}–{} ({} chars), also in {} other document(s): {}",
            p.start,
            p.start + p.chars,
            p.chars,
            p.others.len(),
            others
        )?;
        writeln!(out, "    {}", shown.replace('\n', " ⏎ "))?;
    }
    print_aligned(out, &r.aligned)
}

/// Each aligned passage of a document with the other document's text beneath, and the two
/// merged with the differences marked: [-only this document-]{+only the other+}.
fn print_aligned(out: &mut dyn Write, aligned: &[tifa::AlignedPassage]) -> std::io::Result<()> {
    if aligned.is_empty() {
        return Ok(());
    }
    writeln!(out, "\naligned passages (near-copies and copies of at least the aligned length):")?;
    for p in aligned {
        let x = &p.alignment;
        writeln!(out)?;
        writeln!(
            out,
            "  characters {}–{} ({} chars) ~ {} characters {}–{} ({} chars): {:.1}% the same, {} edits",
            x.a_start,
            x.a_end,
            x.chars_a(),
            p.other,
            x.b_start,
            x.b_end,
            x.chars_b(),
            x.similarity() * 100.0,
            x.edits
        )?;
        let (mut mine, mut theirs, mut merged) = (String::new(), String::new(), String::new());
        for piece in &p.pieces {
            match piece {
                tifa::Piece::Same(t) => {
                    mine.push_str(t);
                    theirs.push_str(t);
                    merged.push_str(t);
                }
                tifa::Piece::Differ(a, b) => {
                    mine.push_str(a);
                    theirs.push_str(b);
                    if !a.is_empty() {
                        merged.push_str(&format!("[-{a}-]"));
                    }
                    if !b.is_empty() {
                        merged.push_str(&format!("{{+{b}+}}"));
                    }
                }
            }
        }
        for (label, text) in [("this ", &mine), ("other", &theirs), ("diff ", &merged)] {
            writeln!(out, "    {label} {}", text.replace('\n', " ⏎ "))?;
        }
    }
    Ok(())
}

fn evaluate(args: &cli::EvaluateArgs) -> anyhow::Result<()> {
    let labels =
        tifa::evaluate::Labels::read(&args.labels).with_context(|| format!("reading {}", args.labels.display()))?;
    let res = match &args.data {
        Some(dir) => tifa::resources::Resources::from_dir(dir).with_context(|| format!("reading {}", dir.display()))?,
        None => tifa::resources::Resources::builtin()?,
    };
    let path = args.report.join("slogans.parquet");
    let ev = tifa::evaluate::evaluate_file(&path, &labels, &args.top, &res.slogans)?;
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("slogans reported: {} ({})", ev.rows, path.display());
    println!("recall (recurring): {}/{} = {:.1}%", ev.recall.0, ev.recall.1, pct(ev.recall.0, ev.recall.1));
    let (found, outside) = ev.recall_outside_lexicon;
    println!("recall outside the lexicon (labels no entry of it): {found}/{outside} = {:.1}%", pct(found, outside));
    for (k, right, n) in &ev.precision {
        println!("precision@{k}: {right}/{n} = {:.1}%", pct(*right, *n));
    }
    if args.verbose {
        println!("missed: {}", ev.missed.join("  "));
        println!("wrong (labelled not): {}", ev.wrong.join("  "));
        println!("unlabelled (counted wrong): {}", ev.unlabelled.join("  "));
    }
    Ok(())
}

fn describe(inputs: &[std::path::PathBuf]) -> String {
    inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn main() -> ExitCode {
    tune_allocator();
    match run() {
        Ok(status) => ExitCode::from(status),
        Err(err) => {
            eprintln!("tifa: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
