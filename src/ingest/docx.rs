//! Word files (`.docx`): the paragraphs of `word/document.xml` in order, one line each (table
//! cells are paragraphs too), with tabs and line breaks inside a paragraph kept; deleted text of
//! tracked changes and field codes are left out. The title is `docProps/core.xml`'s `dc:title`.

use std::io::Read;

use quick_xml::events::Event;

/// A Word file's text and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docx {
    pub text: String,
    pub title: Option<String>,
}

/// Why a `.docx` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("not a Word .docx file (not a zip archive: {0}); an old .doc or an encrypted file must be saved as .docx")]
    NotZip(String),
    #[error("not a Word .docx file (no word/document.xml)")]
    NoDocument,
    #[error("broken Word .docx file ({0})")]
    Broken(String),
}

fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, DocxError> {
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Broken(format!("{name}: {e}"))),
    };
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(|e| DocxError::Broken(format!("{name}: {e}")))?;
    Ok(Some(text))
}

/// The text and title of a `.docx` file's bytes.
pub fn read(bytes: &[u8]) -> Result<Docx, DocxError> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
    let body = entry(&mut archive, "word/document.xml")?.ok_or(DocxError::NoDocument)?;
    let text = paragraphs(&body).map_err(|e| DocxError::Broken(format!("word/document.xml: {e}")))?;
    let title = match entry(&mut archive, "docProps/core.xml")? {
        Some(core) => element_text(&core, b"dc:title").ok().flatten(),
        None => None,
    };
    Ok(Docx { text, title: title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) })
}

/// A predefined XML entity or character reference (`&amp;`, `&#x4E2D;`) as text.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, quick_xml::Error> {
    if let Some(c) = r.resolve_char_ref()? {
        return Ok(c.to_string());
    }
    let name = r.decode()?;
    Ok(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default().to_string())
}

/// The paragraphs of `word/document.xml`, one per line.
fn paragraphs(xml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    // inside <w:t> (text of a run), and inside parts whose text is not the document's
    let (mut in_text, mut skipped) = (false, 0usize);
    loop {
        match reader.read_event()? {
            Event::Start(e) => match e.name().as_ref() {
                b"w:t" => in_text = true,
                b"w:del" | b"w:instrText" | b"w:delText" => skipped += 1,
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:del" | b"w:instrText" | b"w:delText" => skipped = skipped.saturating_sub(1),
                b"w:p" if skipped == 0 => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) if skipped == 0 => match e.name().as_ref() {
                b"w:tab" => out.push('\t'),
                b"w:br" | b"w:cr" => out.push('\n'),
                b"w:p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text && skipped == 0 => out.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if in_text && skipped == 0 => out.push_str(&reference(&r)?),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The text of the first element named `name`.
fn element_text(xml: &str, name: &[u8]) -> Result<Option<String>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == name => inside = true,
            Event::End(e) if e.name().as_ref() == name => return Ok(Some(text)),
            Event::Text(t) if inside => text.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if inside => text.push_str(&reference(&r)?),
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal .docx with this document.xml body and core.xml title.
    pub(crate) fn docx(body: &str, title: Option<&str>) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("word/document.xml", opts).unwrap();
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip.write_all(doc.as_bytes()).unwrap();
        if let Some(t) = title {
            zip.start_file("docProps/core.xml", opts).unwrap();
            let core = format!(
                r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{t}</dc:title></cp:coreProperties>"#
            );
            zip.write_all(core.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn paragraphs_in_order_without_deleted_text_and_field_codes() {
        let body = r#"<w:p><w:r><w:t>在主题教育工作会议上的讲话</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">要增强“四个意识”、</w:t></w:r><w:del><w:r><w:delText>删去的</w:delText></w:r></w:del><w:r><w:t>坚定“四个自信”&amp;做到</w:t></w:r><w:r><w:instrText>PAGE \* MERGEFORMAT</w:instrText></w:r><w:r><w:t>“两个维护”。</w:t></w:r></w:p>
<w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t><w:tab/><w:t>&#x4E2D;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"#;
        let d = read(&docx(body, Some("讲话 &amp; 提纲"))).unwrap();
        assert_eq!(
            d.text,
            "在主题教育工作会议上的讲话\n要增强“四个意识”、坚定“四个自信”&做到“两个维护”。\n\n指标\t中\n第一行\n第二行\n"
        );
        assert_eq!(d.title.as_deref(), Some("讲话 & 提纲"));
        assert_eq!(read(&docx("<w:p/>", None)).unwrap().title, None);
    }

    #[test]
    fn files_that_are_not_docx_are_errors() {
        assert!(matches!(read(b"not a zip"), Err(DocxError::NotZip(_))));
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("other.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let empty = zip.finish().unwrap().into_inner();
        assert_eq!(read(&empty), Err(DocxError::NoDocument));
    }

    #[test]
    fn truncated_and_corrupted_files_are_errors_not_crashes() {
        let good = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/formats/speech.docx")).unwrap();
        assert!(read(&good).unwrap().text.contains("主题教育"));
        for cut in (0..good.len()).step_by(97) {
            let _ = read(&good[..cut]);
        }
        for at in (0..good.len()).step_by(89) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            let _ = read(&bad);
        }
    }
}
