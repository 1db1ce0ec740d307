//! Any text: cleaning never panics, and cleaning its own output finds no more noise.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tifa::resources::Resources;

static RES: LazyLock<Resources> = LazyLock::new(|| Resources::builtin().unwrap());

fuzz_target!(|text: &str| {
    let cleaned = tifa::clean::clean(text, &RES);
    assert!(!cleaned.text.contains('\0') || text.contains('\0'));
    let _ = tifa::clean::clean(&cleaned.text, &RES);
});
