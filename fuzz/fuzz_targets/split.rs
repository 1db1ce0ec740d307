//! Any text: splitting into documents never panics and loses no non-blank line.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tifa::resources::Resources;

static RES: LazyLock<Resources> = LazyLock::new(|| Resources::builtin().unwrap());

fuzz_target!(|text: &str| {
    let parts = tifa::ingest::split::split(text, &RES.split);
    let kept: usize = parts.iter().map(|p| p.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
    let given = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(kept <= given);
});
