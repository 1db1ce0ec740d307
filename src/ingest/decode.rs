//! Turn a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy
//! Chinese encodings (GB18030/GBK, Big5) when detected; anything else is refused with a reason.

use encoding_rs::{BIG5, Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Why a file's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file (no text)")]
    Empty,
    #[error("binary file (NUL byte at offset {0})")]
    Binary(usize),
    #[error("invalid UTF-8 at byte offset {offset} ({bad} bad bytes in a UTF-8 file)")]
    BrokenUtf8 { offset: usize, bad: usize },
    #[error("malformed {0} text")]
    Malformed(&'static str),
    #[error("not UTF-8 and not a recognised Chinese encoding (looks like {0})")]
    Unrecognised(&'static str),
}

/// Decoded text (line ends normalised to `\n`) and the name of the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decode one file's bytes. Detection order: BOM, NUL bytes (binary), strict UTF-8, then a
/// statistical guess that is accepted only for Chinese legacy encodings that decode without error.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, encoding) = decode_raw(bytes)?;
    let text = normalise_newlines(text);
    if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text, encoding })
}

fn decode_raw(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Some(pos) = rest.iter().position(|&b| b == 0) {
            return Err(DecodeError::Binary(3 + pos));
        }
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 (BOM)"))
            .map_err(|e| broken_utf8(rest, e.valid_up_to() + 3));
    }
    for (bom, enc, name) in [(b"\xFF\xFE", UTF_16LE, "UTF-16LE"), (b"\xFE\xFF", UTF_16BE, "UTF-16BE")] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = strict(enc, rest).ok_or(DecodeError::Malformed(name))?;
            // a NUL code unit is as binary in UTF-16 as a NUL byte is elsewhere
            if let Some(i) = text.find('\0') {
                return Err(DecodeError::Binary(2 + 2 * text[..i].encode_utf16().count()));
            }
            return Ok((text, name));
        }
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary(pos));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(e) => {
            if mostly_utf8(bytes) {
                return Err(broken_utf8(bytes, e.valid_up_to()));
            }
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let guess = detector.guess(None, false);
            let (enc, name) = if guess == GB18030 || guess.name() == "GBK" {
                (GB18030, "GB18030")
            } else if guess == BIG5 {
                (BIG5, "Big5")
            } else {
                return Err(DecodeError::Unrecognised(guess.name()));
            };
            strict(enc, bytes).map(|s| (s, name)).ok_or(DecodeError::Malformed(name))
        }
    }
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned())
}

/// True when the bytes are UTF-8 text with a few bad bytes rather than another encoding:
/// valid multi-byte UTF-8 characters outnumber invalid sequences ten to one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.chars().filter(|&c| c == '\u{fffd}').count();
    let multibyte = lossy.chars().filter(|&c| c != '\u{fffd}' && c.len_utf8() > 1).count();
    multibyte >= 10 * bad.max(1)
}

fn broken_utf8(bytes: &[u8], offset: usize) -> DecodeError {
    let bad = String::from_utf8_lossy(bytes).chars().filter(|&c| c == '\u{fffd}').count();
    DecodeError::BrokenUtf8 { offset, bad }
}

/// CRLF and lone CR become LF.
fn normalise_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_found_by_fuzzing() {
        // UTF-16 BOM followed by bytes that decode to a NUL code unit (fuzz/decode)
        let utf16_nul = include_bytes!("../../tests/fixtures/fuzz/decode-utf16-nul.bin");
        assert!(matches!(decode(utf16_nul), Err(DecodeError::Binary(_))), "{:?}", decode(utf16_nul));
        assert!(matches!(decode(b"\xFF\xFEa\0\0\0b\0"), Err(DecodeError::Binary(4))));
        // UTF-8 BOM followed by NUL bytes
        let bom_nul = include_bytes!("../../tests/fixtures/fuzz/decode-bom-nul.bin");
        assert!(matches!(decode(bom_nul), Err(DecodeError::Binary(3))), "{:?}", decode(bom_nul));
        assert_eq!(decode(b"\xFF\xFEa\0b\0").unwrap().text, "ab");
    }

    const ZH: &str = "同志们：今天我们召开主题教育工作会议，增强“四个意识”、坚定“四个自信”、做到“两个维护”。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(ZH.as_bytes()).unwrap().encoding, "UTF-8");
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(ZH.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (ZH, "UTF-8 (BOM)"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in ZH.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, ZH);
        assert_eq!(decode(&be).unwrap().text, ZH);
    }

    #[test]
    fn gbk_is_detected_not_assumed() {
        let (bytes, _, _) = GB18030.encode(ZH);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (ZH, "GB18030"));
        let (big5, _, _) = BIG5.encode("各位代表：現在，我代表國務院向大會報告政府工作，請予審議。");
        assert_eq!(decode(&big5).unwrap().encoding, "Big5");
    }

    #[test]
    fn refuses_binary_empty_and_broken() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\r\n\t"), Err(DecodeError::Empty));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(DecodeError::Binary(8)));
        let mut broken = ZH.as_bytes().to_vec();
        broken.insert(30, 0xFF);
        assert!(matches!(decode(&broken), Err(DecodeError::BrokenUtf8 { offset: 30, bad: 1 })));
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(decode("一\r\n二\r三\n".as_bytes()).unwrap().text, "一\n二\n三\n");
    }
}
