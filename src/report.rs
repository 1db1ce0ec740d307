//! Report: write tables as CSV and Parquet, charts, clean texts and `run.json` into the output
//! directory, all or nothing. Files are first written into a hidden staging folder inside it and
//! moved into place only when the run has written everything, so an interrupted run leaves the
//! previous report as it was; files of the previous report that the new one does not have are
//! then removed.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result, TableContext};

/// Prefix of the staging folder inside the output directory.
const STAGING: &str = ".tifa-staging-";

/// How CSV files are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvStyle {
    /// Start with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Write text cells exactly, even those a spreadsheet would run as a formula.
    pub raw: bool,
}

impl CsvStyle {
    /// What a CSV file starts with.
    fn head(self) -> &'static [u8] {
        if self.bom { "\u{feff}".as_bytes() } else { b"" }
    }

    /// The cells of `df` as the CSV file shows them.
    fn shown(self, df: &DataFrame) -> PolarsResult<DataFrame> {
        if self.raw { Ok(df.clone()) } else { spreadsheet_safe(df) }
    }
}

/// The output directory, the staging folder and what has been written into it.
#[derive(Debug)]
pub struct ReportDir {
    dir: PathBuf,
    stage: tempfile::TempDir,
    csv: CsvStyle,
    written: Vec<String>,
}

/// Whether `dir` may receive a report: it does not exist, is empty, holds a tifa report
/// (`run.json` written by tifa), or holds only hidden files, READMEs and folders with tifa
/// reports. Anything else needs `force`, so that `-o` pointed at the wrong folder harms nothing.
pub fn check_target(dir: &Path, force: bool) -> Result<()> {
    if force || !dir.exists() || is_report(dir) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for e in entries {
        let e = e.map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
        let name = e.file_name().to_string_lossy().into_owned();
        let harmless =
            name.starts_with('.') || name.starts_with("README") || (e.path().is_dir() && is_report(&e.path()));
        if !harmless {
            return Err(Error::NotReportDir { dir: dir.to_path_buf(), example: name });
        }
    }
    Ok(())
}

/// A folder with a `run.json` that tifa wrote.
fn is_report(dir: &Path) -> bool {
    previous_outputs(dir).is_some()
}

/// A folder with a `run.json` that tifa wrote: a report, a partial or a merge.
pub(crate) fn holds_tifa_run(dir: &Path) -> bool {
    tifa_run_json(dir).is_some()
}

/// The `run.json` in `dir`, if tifa wrote it.
fn tifa_run_json(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("run.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    (json.get("tool")?.as_str()? == "tifa").then_some(json)
}

/// The files the report in `dir` lists in its `run.json`, if it has one tifa wrote.
fn previous_outputs(dir: &Path) -> Option<Vec<String>> {
    let json = tifa_run_json(dir)?;
    Some(json.get("outputs")?.as_array()?.iter().filter_map(|v| v.as_str().map(String::from)).collect())
}

/// A name a report may write: relative, `/`-separated, without `..`.
fn safe_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('/') && name.split('/').all(|p| !p.is_empty() && p != "." && p != "..")
}

impl ReportDir {
    /// Check `dir` (see [`check_target`]), create it if needed and open a staging folder in it.
    pub fn create(dir: &Path, csv: CsvStyle, force: bool) -> Result<Self> {
        check_target(dir, force)?;
        let err = |source| Error::Write { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(err)?;
        // staging folders left by runs that were killed
        for e in std::fs::read_dir(dir).map_err(err)?.flatten() {
            if e.file_name().to_string_lossy().starts_with(STAGING) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        let stage = tempfile::Builder::new().prefix(STAGING).tempdir_in(dir).map_err(err)?;
        Ok(ReportDir { dir: dir.to_path_buf(), stage, csv, written: Vec::new() })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Names of the files written so far, relative to the directory, in order.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// List the files written so far in the order of `key` (a stable sort): a run that writes
    /// a large table as soon as it is made still reports its files in one fixed order.
    pub fn order_written_by<K: Ord>(&mut self, key: impl Fn(&str) -> K) {
        self.written.sort_by_cached_key(|name| key(name));
    }

    /// Stage `bytes` as `name` (relative, `/`-separated).
    pub fn file(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.stream(name, |f| f.write_all(bytes))
    }

    /// Stage `name` (relative, `/`-separated) with what `write` writes into it, so that a large
    /// table goes to disk without a copy of its bytes in memory.
    pub(crate) fn stream(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        stage_file(self.stage.path(), &self.dir, name, |f| write(f))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Stage a table made a slice at a time as [`ReportDir::table`] stages a whole one: `make`
    /// hands each slice to the writer it is given, which appends it to `<name>.csv` and writes it
    /// as a row group of `<name>.parquet`. Slices of [`ROW_GROUP`] rows give the same files as
    /// the whole table. The schema is that of `empty`, the table with no rows.
    pub fn table_in_slices(
        &mut self,
        name: &'static str,
        empty: &DataFrame,
        make: impl FnOnce(&mut dyn FnMut(DataFrame) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let (csv, parquet) = (format!("{name}.csv"), format!("{name}.parquet"));
        let (stage, dir, style) = (self.stage.path(), &self.dir, self.csv);
        let mut made = Ok(());
        write_frame(stage, dir, &csv, name, style.head(), |f| {
            let mut header = true;
            made = write_in_slices(stage, dir, &parquet, name, empty, |write| {
                // each slice's row group is written on a thread of its own while the next slice
                // is made and its CSV rows written; the channel holds one slice
                std::thread::scope(|scope| {
                    let (slices, written) = std::sync::mpsc::sync_channel::<DataFrame>(1);
                    let parquet = scope.spawn(move || written.into_iter().try_for_each(&mut *write));
                    let made = make(&mut |slice: DataFrame| {
                        let mut shown = style.shown(&slice).table(name)?;
                        CsvWriter::new(&mut *f).include_header(header).finish(&mut shown).table(name)?;
                        header = false;
                        // a closed channel is a failed writer, whose error is the one reported
                        slices.send(slice).map_err(|_| Error::Internal {
                            stage: "write",
                            message: format!("the writer of {name}.parquet stopped"),
                        })
                    });
                    drop(slices);
                    let wrote = parquet.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    wrote.and(made)
                })
            });
            // an empty table is its header
            if made.is_ok() && header {
                let mut shown = empty.clone();
                CsvWriter::new(f).include_header(true).finish(&mut shown)?;
            }
            Ok(())
        })?;
        made?;
        self.written.extend([csv, parquet]);
        Ok(())
    }

    /// Stage `df` as `<name>.csv` (UTF-8, header, optional BOM, text cells made safe for
    /// spreadsheets unless `raw`) and `<name>.parquet` (exact), the two files written at the
    /// same time.
    pub fn table(&mut self, name: &'static str, df: &mut DataFrame) -> Result<()> {
        let mut shown = self.csv.shown(df).table(name)?;
        let (csv, parquet) = (format!("{name}.csv"), format!("{name}.parquet"));
        let (stage, dir, head) = (self.stage.path(), &self.dir, self.csv.head());
        let (wrote_csv, wrote_parquet) = rayon::join(
            || write_frame(stage, dir, &csv, name, head, |f| CsvWriter::new(f).include_header(true).finish(&mut shown)),
            || write_parquet(stage, dir, &parquet, name, df),
        );
        wrote_csv?;
        wrote_parquet?;
        self.written.extend([csv, parquet]);
        Ok(())
    }

    /// Stage `<name>.parquet` from a table made a slice at a time: `make` hands each slice to
    /// the writer it is given, which writes it as a row group of its own (counts signed, as
    /// [`write_parquet`] writes them). The schema is that of `empty`, the table with no rows.
    pub fn parquet_in_slices(
        &mut self,
        name: &'static str,
        empty: &DataFrame,
        make: impl FnOnce(&mut dyn FnMut(DataFrame) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let file = format!("{name}.parquet");
        write_in_slices(self.stage.path(), &self.dir, &file, name, empty, |write| make(write))?;
        self.written.push(file);
        Ok(())
    }

    /// Stage `df` as `<name>.parquet` only.
    pub fn parquet(&mut self, name: &'static str, df: &mut DataFrame) -> Result<()> {
        let file = format!("{name}.parquet");
        write_parquet(self.stage.path(), &self.dir, &file, name, df)?;
        self.written.push(file);
        Ok(())
    }

    /// Move every staged file into the directory (in the order written, so `run.json`, written
    /// last, lands last) and remove the files of the previous report that this one did not write.
    pub fn commit(self) -> Result<Vec<String>> {
        let old = previous_outputs(&self.dir).unwrap_or_default();
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        for name in &self.written {
            let (from, to) = (self.stage.path().join(name), self.dir.join(name));
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(err(parent))?;
            }
            std::fs::rename(&from, &to).map_err(err(&to))?;
        }
        let now: std::collections::HashSet<&str> = self.written.iter().map(String::as_str).collect();
        for stale in old.iter().filter(|n| safe_name(n) && !now.contains(n.as_str())) {
            let _ = std::fs::remove_file(self.dir.join(stale));
        }
        // folders (clean/) the stale files leave empty
        let _ = std::fs::remove_dir(self.dir.join("clean"));
        Ok(self.written)
    }
}

/// Write `file` (relative, `/`-separated) into the staging folder `stage` of the report folder
/// `dir` with what `write` writes into it, buffered, so that a large table goes to disk without
/// a copy of its bytes in memory.
fn stage_file(
    stage: &Path,
    dir: &Path,
    file: &str,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<()> {
    assert!(safe_name(file), "report file name {file:?}");
    let target = stage.join(file);
    let err = |source| Error::Write { path: dir.join(file), source };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&target).map_err(err)?);
    write(&mut f).and_then(|()| f.flush()).map_err(err)
}

/// [`stage_file`] for a writer of table `name` that can fail as polars does (its error is the
/// table's, an I/O error the file's), after the bytes `head`.
fn write_frame(
    stage: &Path,
    dir: &Path,
    file: &str,
    name: &'static str,
    head: &[u8],
    write: impl FnOnce(&mut (dyn Write + Send)) -> PolarsResult<()>,
) -> Result<()> {
    let mut failed = None;
    stage_file(stage, dir, file, |f| {
        f.write_all(head)?;
        write(f).or_else(|e| {
            failed = Some(e);
            Ok(())
        })
    })?;
    match failed {
        Some(e) => Err(e).table(name),
        None => Ok(()),
    }
}

/// Write `df` as Parquet, its unsigned 64-bit columns as signed ones: Spark reads Parquet's
/// unsigned 64-bit integers as Decimal(20,0), and no count comes near 2^63.
fn write_parquet(stage: &Path, dir: &Path, file: &str, name: &'static str, df: &mut DataFrame) -> Result<()> {
    if !df.columns().iter().any(|c| c.dtype() == &DataType::UInt64) {
        return write_frame(stage, dir, file, name, b"", |f| ParquetWriter::new(f).finish(df).map(|_| ()));
    }
    // one row group at a time, so that no signed copy of a whole large table is held
    write_in_slices(stage, dir, file, name, &df.slice(0, 0), |write| {
        (0..df.height()).step_by(ROW_GROUP).try_for_each(|start| write(df.slice(start as i64, ROW_GROUP)))
    })
}

/// Stage a Parquet file of the slices `make` hands to the writer it is given, each made signed
/// (see [`signed`]) and written as a row group of its own; the schema is that of `empty`.
fn write_in_slices(
    stage: &Path,
    dir: &Path,
    file: &str,
    name: &'static str,
    empty: &DataFrame,
    make: impl FnOnce(&mut (dyn FnMut(DataFrame) -> Result<()> + Send)) -> Result<()>,
) -> Result<()> {
    let mut made = Ok(());
    write_frame(stage, dir, file, name, b"", |f| {
        let mut writer = ParquetWriter::new(f).batched(&signed(empty.clone())?.schema().as_ref().clone())?;
        made = make(&mut |slice: DataFrame| signed(slice).and_then(|s| writer.write_batch(&s)).table(name));
        // a failed table is not finished: the staged file is dropped with the error below
        if made.is_ok() { writer.finish().map(|_| ()) } else { Ok(()) }
    })?;
    made
}

/// `part` with its unsigned 64-bit columns made signed, in one chunk (one row group).
fn signed(mut part: DataFrame) -> PolarsResult<DataFrame> {
    let unsigned: Vec<PlSmallStr> =
        part.columns().iter().filter(|c| c.dtype() == &DataType::UInt64).map(|c| c.name().clone()).collect();
    for c in &unsigned {
        let col = part.column(c)?.strict_cast(&DataType::Int64)?;
        part.with_column(col)?;
    }
    part.rechunk_mut();
    Ok(part)
}

/// Rows of a Parquet row group (polars' default).
pub const ROW_GROUP: usize = 512 * 512;

/// A copy of `df` whose text cells that begin with = + - @ or a tab or carriage return start with
/// an apostrophe, so that Excel, LibreOffice and Google Sheets show them as text instead of running
/// them as formulas.
pub fn spreadsheet_safe(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let col = df.column(&name)?;
        if col.dtype() != &DataType::String {
            continue;
        }
        let ca = col.str()?;
        if !ca.iter().flatten().any(formula_like) {
            continue;
        }
        let safe: StringChunked =
            ca.iter().map(|v| v.map(|s| if formula_like(s) { format!("'{s}") } else { s.to_string() })).collect();
        out.with_column(safe.with_name(name).into_column())?;
    }
    Ok(out)
}

/// A text a spreadsheet would read as a formula.
pub fn formula_like(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn writes_csv_with_optional_bom_and_parquet_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut df = df!("slogan" => ["四个意识", "=+大"], "count" => [3u64, 5]).unwrap();
        let mut r = ReportDir::create(&out, CsvStyle { bom: true, raw: false }, false).unwrap();
        r.table("slogans", &mut df).unwrap();
        // nothing visible before the commit
        assert!(names(&out).iter().all(|n| n.starts_with(STAGING)), "{:?}", names(&out));
        assert_eq!(r.commit().unwrap(), ["slogans.csv", "slogans.parquet"]);
        let csv = std::fs::read_to_string(out.join("slogans.csv")).unwrap();
        assert_eq!(csv, "\u{feff}slogan,count\n四个意识,3\n'=+大,5\n");
        let back = ParquetReader::new(std::fs::File::open(out.join("slogans.parquet")).unwrap()).finish().unwrap();
        assert!(back.equals(&df), "parquet keeps the exact text");
        assert_eq!(names(&out), ["slogans.csv", "slogans.parquet"]);
    }

    #[test]
    fn a_table_written_a_row_group_at_a_time_is_the_whole_tables_bytes() {
        // more than two row groups, formula-like cells and nulls among them; and no rows at all
        let h = 2 * ROW_GROUP + 1000;
        let text: Vec<Option<String>> = (0..h)
            .map(|i| (i % 7 != 3).then(|| if i % 5 == 0 { format!("={i}") } else { format!("提法{i}") }))
            .collect();
        let full = df!(
            "text" => text,
            "n" => (0..h).map(|i| (i % 3) as u32 + 2).collect::<Vec<_>>(),
            "count" => (0..h).map(|i| (h - i) as u64).collect::<Vec<_>>(),
            "edge" => (0..h).map(|i| i % 2 == 0).collect::<Vec<_>>(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (style, rows) in [((false, false), h), ((true, false), h), ((false, true), h), ((false, false), 0)] {
            let df = full.head(Some(rows));
            let csv = CsvStyle { bom: style.0, raw: style.1 };
            let (a, b) = (dir.path().join("whole"), dir.path().join("slices"));
            let mut r = ReportDir::create(&a, csv, true).unwrap();
            r.table("t", &mut df.clone()).unwrap();
            r.commit().unwrap();
            let mut r = ReportDir::create(&b, csv, true).unwrap();
            r.table_in_slices("t", &df.slice(0, 0), |write| {
                (0..df.height()).step_by(ROW_GROUP).try_for_each(|at| write(df.slice(at as i64, ROW_GROUP)))
            })
            .unwrap();
            assert_eq!(r.commit().unwrap(), ["t.csv", "t.parquet"]);
            for f in ["t.csv", "t.parquet"] {
                let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
                assert!(x == y, "{f} differs ({style:?}, {rows} rows)");
            }
        }
    }

    #[test]
    fn a_row_group_that_cannot_be_written_fails_the_table_with_its_own_error() {
        // the second slice's columns are not the table's: its Parquet row group fails on the
        // writer's thread, and that failure, not the closed channel, is the table's error
        let good = df!("text" => ["提法"], "count" => [1u64]).unwrap();
        let bad = df!("text" => ["提法"], "other" => [true]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut r = ReportDir::create(&dir.path().join("out"), CsvStyle::default(), true).unwrap();
        let err = r
            .table_in_slices("t", &good.slice(0, 0), |write| {
                for slice in [&good, &bad, &good, &good] {
                    write(slice.clone())?;
                }
                Ok(())
            })
            .unwrap_err();
        assert!(!err.to_string().contains("stopped"), "{err}");
        assert!(matches!(err, Error::Table { .. }), "{err:?}");
        assert!(r.commit().unwrap().is_empty());
    }

    #[test]
    fn spreadsheet_safety_marks_only_formula_like_text() {
        let df = df!("t" => [Some("=SUM(A1)"), Some("+1"), Some("-x"), Some("@a"), Some("\tx"), Some("两个维护"), None, Some("a=b")])
            .unwrap();
        let safe = spreadsheet_safe(&df).unwrap();
        let got: Vec<Option<&str>> = safe.column("t").unwrap().str().unwrap().iter().collect();
        assert_eq!(
            got,
            [
                Some("'=SUM(A1)"),
                Some("'+1"),
                Some("'-x"),
                Some("'@a"),
                Some("'\tx"),
                Some("两个维护"),
                None,
                Some("a=b")
            ]
        );
        let raw = dir_with_table(CsvStyle { bom: false, raw: true });
        assert!(std::fs::read_to_string(raw.path().join("out/t.csv")).unwrap().contains("\n=+大\n"));
    }

    fn dir_with_table(csv: CsvStyle) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut r = ReportDir::create(&dir.path().join("out"), csv, false).unwrap();
        r.table("t", &mut df!("t" => ["=+大"]).unwrap()).unwrap();
        r.commit().unwrap();
        dir
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_report_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mine");
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(out.join("thesis.docx"), "x").unwrap();
        let e = ReportDir::create(&out, CsvStyle::default(), false).unwrap_err();
        assert!(matches!(e, Error::NotReportDir { .. }), "{e}");
        assert!(e.to_string().contains("--force"));
        ReportDir::create(&out, CsvStyle::default(), true).unwrap().commit().unwrap();
        assert!(out.join("thesis.docx").exists(), "--force removes nothing of the user's");
        // hidden files, READMEs and folders of reports are fine
        let ok = dir.path().join("reports");
        std::fs::create_dir_all(ok.join("gov")).unwrap();
        std::fs::write(ok.join("README.md"), "x").unwrap();
        std::fs::write(ok.join(".gitkeep"), "").unwrap();
        std::fs::write(ok.join("gov/run.json"), r#"{"tool":"tifa","outputs":[]}"#).unwrap();
        check_target(&ok, false).unwrap();
        std::fs::write(ok.join("gov/run.json"), r#"{"tool":"other"}"#).unwrap();
        assert!(check_target(&ok, false).is_err());
    }

    #[test]
    fn stale_files_of_the_previous_report_go_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut r = ReportDir::create(&out, CsvStyle::default(), false).unwrap();
        r.file("keyness.csv", b"old").unwrap();
        r.file("clean/a.txt", b"old").unwrap();
        r.file("run.json", br#"{"tool":"tifa","outputs":["keyness.csv","clean/a.txt","run.json"]}"#).unwrap();
        r.commit().unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let mut r = ReportDir::create(&out, CsvStyle::default(), true).unwrap();
        r.file("run.json", br#"{"tool":"tifa","outputs":["run.json"]}"#).unwrap();
        r.commit().unwrap();
        assert_eq!(names(&out), ["notes.txt", "run.json"]);
    }
}
