#!/usr/bin/env python3
"""Make the format fixtures in tests/fixtures/formats/ from one seed speech file.

    python3 scripts/make_format_fixtures.py [SEED] [OUT_DIR]

Writes the same text as people receive it:
  speech.html  a saved web page: site header, navigation, breadcrumb, share bar and footer
               around an <article>; paragraphs wrapped in the page source, entities, inline tags
  speech.docx  a Word file: one paragraph per line, a run split inside a slogan, a table-free body
  speech.pdf   the article printed to PDF by headless Chromium (text layer, hard line wraps,
               page breaks), with the project's CJK font
  speech-traditional.txt
               the plain text in traditional characters (OpenCC s2t, through the Apache-2.0
               package opencc-python-reimplemented; skipped when it is not installed)

The standard library, Chromium (`chromium` on PATH, or TIFA_CHROMIUM) and, for the traditional
twin, `pip install opencc-python-reimplemented` are needed.
"""

import html
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "data/sample/002_c3783159abc01423.txt"
OUT = ROOT / "tests/fixtures/formats"


def heading(line: str) -> bool:
    return len(line) <= 30 and line[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}


def han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def wrapped_source(text: str, width: int = 40) -> str:
    """Escaped paragraph text with line breaks in the page source after about `width`
    characters, between two Chinese characters, as HTML editors leave them (a browser shows no
    break there)."""
    pieces, start = [], 0
    for i in range(1, len(text)):
        if i - start >= width and han(text[i - 1]) and han(text[i]):
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return "\n      ".join(html.escape(p, quote=False) for p in pieces)


def article(lines: list[str]) -> str:
    out = [f"<h1>{html.escape(lines[0])}</h1>"]
    for line in lines[1:]:
        if not line.strip():
            continue
        if heading(line):
            out.append(f"<h3>{html.escape(line)}</h3>")
        else:
            body = wrapped_source(line)
            # an inline tag around part of a slogan, as rich-text editors leave them
            body = body.replace("学思想、强党性", "学思想、<strong>强党性</strong>", 1)
            out.append(f"<p>&nbsp;&nbsp;{body}</p>")
    return "\n    ".join(out)


def page(lines: list[str]) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{html.escape(lines[0])}_观山文库</title>
  <style>body {{ font-family: sans-serif; }} .share-bar a {{ margin: 0 4px; }}</style>
  <script>window.dataLayer = window.dataLayer || []; function track() {{ return "统计代码"; }}</script>
</head>
<body>
  <header class="site-header"><a href="/">观山文库</a> 记住我，来上我~ <a href="/login">登录</a> <a href="/reg">注册</a></header>
  <nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/dj">党建材料</a></li><li><a href="/fy">发言稿</a></li><li><a href="/xd">心得体会</a></li></ul></nav>
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/fy">发言稿</a> &gt; 正文</div>
  <article>
    {article(lines)}
  </article>
  <div class="share-bar">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
  <aside class="related"><h4>相关文章</h4><ul><li>2023年主题教育读书班心得体会</li><li>主题教育专题党课讲稿</li></ul></aside>
  <footer>Copyright © 2023 观山文库 版权所有 <span>京ICP备00000000号</span></footer>
</body>
</html>
"""


def docx(lines: list[str]) -> bytes:
    def para(text: str) -> str:
        t = html.escape(text, quote=False)
        # a paragraph whose slogan is split over two runs, as Word does after an edit
        if "学思想、强党性" in text:
            a, b = t.split("学思想、强党性", 1)
            return (
                f'<w:p><w:r><w:t xml:space="preserve">{a}学思想、</w:t></w:r>'
                f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">强党性{b}</w:t></w:r></w:p>'
            )
        return f'<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>'

    body = "".join(para(l) for l in lines)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{html.escape(lines[0], quote=False)}</dc:title></cp:coreProperties>"
    )
    path = tempfile.mktemp(suffix=".docx")
    # fixed timestamps: the same seed gives the same bytes
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("docProps/core.xml", core),
            ("word/document.xml", document),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2023, 4, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    data = pathlib.Path(path).read_bytes()
    os.unlink(path)
    return data


def pdf(lines: list[str], out: pathlib.Path) -> None:
    chromium = os.environ.get("TIFA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found: install it or set TIFA_CHROMIUM")
    font = (ROOT / "data/fonts/NotoSansSC-subset.otf").as_uri()
    printable = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<style>@font-face {{ font-family: "Noto Sans SC"; src: url("{font}"); }}
body {{ font-family: "Noto Sans SC"; font-size: 14pt; line-height: 1.6; margin: 0; text-align: justify; }}
h1 {{ font-size: 18pt; text-align: center; }} h3 {{ font-size: 14pt; }} p {{ text-indent: 2em; margin: 0; }}
@page {{ size: A4; margin: 25mm 26mm; }}</style></head>
<body>{article(lines)}</body></html>"""
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "speech.html"
        src.write_text(printable, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                src.as_uri(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def main() -> None:
    seed = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    out.mkdir(parents=True, exist_ok=True)
    lines = seed.read_text(encoding="utf-8").split("\n")
    (out / "speech.html").write_text(page(lines), encoding="utf-8")
    (out / "speech.docx").write_bytes(docx(lines))
    pdf(lines, out / "speech.pdf")
    names = ["speech.html", "speech.docx", "speech.pdf"]
    try:
        from opencc import OpenCC

        (out / "speech-traditional.txt").write_text(OpenCC("s2t").convert(seed.read_text(encoding="utf-8")), encoding="utf-8")
        names.append("speech-traditional.txt")
    except ImportError:
        print("opencc not installed: speech-traditional.txt not made")
    for name in names:
        print(f"{out / name}: {(out / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
