#!/usr/bin/env bash
# Rebuild data/fonts/NotoSansSC-subset.otf from Debian's fonts-noto-cjk package.
# The subset covers data/fonts/subset-chars.txt: GB2312, ASCII, CJK and full-width punctuation,
# every character of jieba's dictionary and every character seen in the development corpora.
# Add characters to that file (one line, any order) and run this script to extend the font.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb x)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q fonttools
"$work/venv/bin/pyftsubset" "$work/x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc" \
    --font-number=2 --text-file=data/fonts/subset-chars.txt --layout-features='' \
    --no-hinting --desubroutinize --notdef-outline \
    --output-file=data/fonts/NotoSansSC-subset.otf
ls -l data/fonts/NotoSansSC-subset.otf
