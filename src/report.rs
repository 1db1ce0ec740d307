//! Report: write tables as CSV and Parquet, charts, clean texts and `run.json` into the output
//! directory. Every file is written to a temporary name beside its target and then renamed, so
//! a reader never sees half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result, TableContext};

/// The output directory and what has been written into it.
#[derive(Debug)]
pub struct ReportDir {
    dir: PathBuf,
    csv_bom: bool,
    written: Vec<String>,
}

impl ReportDir {
    /// Create `dir` (and its parents) if needed.
    pub fn create(dir: &Path, csv_bom: bool) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
        Ok(ReportDir { dir: dir.to_path_buf(), csv_bom, written: Vec::new() })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Names of the files written so far, relative to the directory, in order.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Write `bytes` to `name` (relative, `/`-separated) atomically.
    pub fn file(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.atomic(name, |f| f.write_all(bytes))
    }

    /// Write `df` as `<name>.csv` (UTF-8, header, optional BOM) and `<name>.parquet`.
    pub fn table(&mut self, name: &'static str, df: &mut DataFrame) -> Result<()> {
        let mut csv = Vec::new();
        if self.csv_bom {
            csv.extend_from_slice("\u{feff}".as_bytes());
        }
        CsvWriter::new(&mut csv).include_header(true).finish(df).table(name)?;
        self.file(&format!("{name}.csv"), &csv)?;
        let mut parquet = Vec::new();
        ParquetWriter::new(&mut parquet).finish(df).table(name)?;
        self.file(&format!("{name}.parquet"), &parquet)
    }

    fn atomic(&mut self, name: &str, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> Result<()> {
        let target = self.dir.join(name);
        let parent = target.parent().unwrap_or(&self.dir).to_path_buf();
        let err = |source| Error::Write { path: target.clone(), source };
        std::fs::create_dir_all(&parent).map_err(err)?;
        let mut tmp = tempfile::Builder::new().prefix(".tifa-").suffix(".tmp").tempfile_in(&parent).map_err(err)?;
        write(tmp.as_file_mut()).map_err(err)?;
        tmp.as_file_mut().flush().map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(err)?;
        }
        tmp.persist(&target).map_err(|e| err(e.error))?;
        self.written.push(name.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_csv_with_optional_bom_and_parquet() {
        let dir = tempfile::tempdir().unwrap();
        let mut df = df!("slogan" => ["四个意识"], "count" => [3u64]).unwrap();
        let mut r = ReportDir::create(&dir.path().join("out"), true).unwrap();
        r.table("slogans", &mut df).unwrap();
        let csv = std::fs::read_to_string(dir.path().join("out/slogans.csv")).unwrap();
        assert_eq!(csv, "\u{feff}slogan,count\n四个意识,3\n");
        let back =
            ParquetReader::new(std::fs::File::open(dir.path().join("out/slogans.parquet")).unwrap()).finish().unwrap();
        assert!(back.equals(&df));
        assert_eq!(r.written(), ["slogans.csv", "slogans.parquet"]);
        // no temporary files left behind
        let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with(".tifa-")), "{names:?}");
    }
}
