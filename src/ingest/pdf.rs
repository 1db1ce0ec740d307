//! PDF files: the text layer, as poppler's `pdftotext` extracts it (in reading order, pages
//! separated by line breaks). A PDF without a text layer (a scan) is refused with that reason,
//! and so is every PDF when `pdftotext` is not installed. The hard wrap the text comes with is
//! undone by cleaning (`data/rules/wrap.tsv`).

use std::path::Path;
use std::process::Command;

use crate::clean::{is_cjk, replace_space_runs};

/// The program that extracts the text: `pdftotext`, or the one `TIFA_PDFTOTEXT` names.
pub fn program() -> std::ffi::OsString {
    std::env::var_os("TIFA_PDFTOTEXT").unwrap_or_else(|| "pdftotext".into())
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error(
        "PDF not read: pdftotext was not found (install poppler: apt-get install poppler-utils, brew install poppler)"
    )]
    NoPdftotext,
    #[error("PDF not read: pdftotext failed ({0})")]
    Failed(String),
    #[error("PDF has no text layer (a scanned page?): run OCR on it first")]
    NoText,
}

/// The text layer of the PDF at `path`.
pub fn read(path: &Path) -> Result<String, PdfError> {
    let out = Command::new(program()).args(["-enc", "UTF-8", "-eol", "unix"]).arg(path).arg("-").output().map_err(
        |e| match e.kind() {
            std::io::ErrorKind::NotFound => PdfError::NoPdftotext,
            _ => PdfError::Failed(e.to_string()),
        },
    )?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(PdfError::Failed(format!("{}: {}", out.status, first.trim())));
    }
    let text = String::from_utf8_lossy(&out.stdout).replace('\u{c}', "\n");
    if text.trim().is_empty() {
        return Err(PdfError::NoText);
    }
    Ok(without_layout_spaces(&text))
}

/// `text` without the spaces a PDF's layout leaves next to Chinese text: between two Chinese
/// characters or marks, or between one and an ASCII symbol (justified lines are set with wider
/// gaps, which the extraction reads as spaces: 交流 发言, =+ 大). A space between Chinese and a
/// Latin word or a number stays (使用 APP 进行).
fn without_layout_spaces(text: &str) -> String {
    let symbol = |c: Option<char>| c.is_some_and(|c| c.is_ascii_punctuation());
    let cjk = |c: Option<char>| c.is_some_and(is_cjk);
    replace_space_runs(
        text,
        |c| c == ' ',
        |before, run, after, out| {
            let layout = (cjk(before) && (cjk(after) || symbol(after))) || (symbol(before) && cjk(after));
            if !layout {
                out.extend(run);
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_spaces_between_chinese_characters_go() {
        assert_eq!(
            without_layout_spaces("进行交流 发言。马克思列宁  主义\n党的=+ 大，使用 APP 2023 版 中国"),
            "进行交流发言。马克思列宁主义\n党的=+大，使用 APP 2023 版中国"
        );
    }

    #[test]
    fn a_missing_pdftotext_is_named() {
        // SAFETY: no other test reads TIFA_PDFTOTEXT
        unsafe { std::env::set_var("TIFA_PDFTOTEXT", "/nonexistent/pdftotext") };
        let err = read(Path::new("x.pdf")).unwrap_err();
        unsafe { std::env::remove_var("TIFA_PDFTOTEXT") };
        assert_eq!(err, PdfError::NoPdftotext);
        assert!(err.to_string().contains("poppler-utils"));
    }
}
