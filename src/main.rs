//! The `tifa` binary: parse arguments, run the library, show progress and errors.

mod cli;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tifa::ingest::Skipped;

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

impl tifa::Observer for Bar {
    fn stage(&self, name: &'static str, total: u64) {
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
}

fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => {
            let opts = args.to_options();
            if let Some(n) = opts.threads {
                // SAFETY: set before any other thread exists; polars reads it when its pool starts.
                unsafe { std::env::set_var("POLARS_MAX_THREADS", n.to_string()) };
            }
            let bar = Bar::new(args.quiet);
            let result = tifa::analyze(&opts, &bar);
            bar.bar.finish_and_clear();
            let s = result.with_context(|| format!("analysing {}", describe(&opts.inputs)))?;
            if !args.quiet {
                eprintln!(
                    "tifa: {} documents from {} files, {} skipped, {} characters ({:.1} MB), {} slogans, {:.2} s ({:.1} MB/s) → {}",
                    s.counts.documents,
                    s.counts.files,
                    s.counts.skipped,
                    s.counts.chars,
                    s.counts.input_bytes as f64 / 1e6,
                    s.counts.slogans,
                    s.seconds,
                    s.counts.input_bytes as f64 / 1e6 / s.seconds.max(1e-9),
                    s.output.display()
                );
            }
            Ok(())
        }
        Command::Evaluate(args) => evaluate(&args),
    }
}

fn evaluate(args: &cli::EvaluateArgs) -> anyhow::Result<()> {
    let labels =
        tifa::evaluate::Labels::read(&args.labels).with_context(|| format!("reading {}", args.labels.display()))?;
    let path = args.report.join("slogans.parquet");
    let ev = tifa::evaluate::evaluate_file(&path, &labels, &args.top)?;
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("slogans reported: {} ({})", ev.rows, path.display());
    println!("recall (recurring): {}/{} = {:.1}%", ev.recall.0, ev.recall.1, pct(ev.recall.0, ev.recall.1));
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
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tifa: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
