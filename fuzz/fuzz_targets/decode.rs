//! Any bytes: decoding either fails with a reason or gives text that is valid UTF-8 without NULs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = tifa::ingest::decode::decode(data) {
        assert!(!d.text.contains('\0'));
    }
});
