//! Saved web pages (`.html`, `.htm`): the main text without the page's chrome, one line per
//! paragraph, heading, list item or table row, and the page's title.
//!
//! The main text is the page's `<article>`, `<main>` or `role="main"` element when it has one,
//! otherwise its `<body>`. Left out: scripts and styles, navigation, headers, footers, sidebars,
//! forms, hidden elements, and elements whose `id` or `class` names them as chrome (nav, menu,
//! footer, breadcrumb, share, copyright …). What chrome is left as text lines is for the noise
//! rules, as in any other file.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use crate::clean::{is_cjk, replace_space_runs};

/// A page's main text and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Lines joined by `\n`; the page heading (`<h1>`) is the first line.
    pub text: String,
    /// The page's `<title>`, for a page without an `<h1>`.
    pub title: Option<String>,
}

/// Elements that are never text.
const SKIPPED: [&str; 16] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select",
    "iframe", "svg", "canvas", "object", "head",
];

/// Elements that end a line.
const BLOCKS: [&str; 30] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "br",
    "tr",
    "table",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "center",
    "address",
    "td",
    "th",
    "body",
];

/// Words in an `id` or `class` that mark an element as page chrome.
const CHROME: [&str; 22] = [
    "nav",
    "navbar",
    "menu",
    "header",
    "footer",
    "sidebar",
    "breadcrumb",
    "crumb",
    "crumbs",
    "share",
    "comment",
    "comments",
    "copyright",
    "toolbar",
    "ad",
    "ads",
    "advert",
    "banner",
    "related",
    "recommend",
    "login",
    "search",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

/// True when the element's id or class names it as chrome: `id="footer"`, `class="share-bar"`.
fn is_chrome(el: &scraper::node::Element) -> bool {
    let names = el.id().into_iter().chain(el.classes());
    names.into_iter().any(|name| name.split(['-', '_']).any(|word| CHROME.iter().any(|c| word.eq_ignore_ascii_case(c))))
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    el.attr("hidden").is_some()
        || el.attr("aria-hidden") == Some("true")
        || el.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// Text of the page, with line breaks at block elements.
struct Lines {
    out: String,
    /// Inside `<pre>`: line breaks in the text are kept.
    pre: usize,
}

impl Lines {
    fn newline(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => {
                if self.pre > 0 {
                    self.out.push_str(t);
                } else {
                    self.out.push_str(&t.replace(['\n', '\r'], "\u{1}"));
                }
            }
            Node::Element(el) => {
                let name = el.name();
                if SKIPPED.contains(&name) || is_hidden(el) || is_chrome(el) {
                    return;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    self.newline();
                }
                self.pre += usize::from(name == "pre");
                for child in node.children() {
                    self.walk(child);
                }
                self.pre -= usize::from(name == "pre");
                if block {
                    self.newline();
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child);
                }
            }
        }
    }
}

/// One line of page text with its whitespace as a browser lays out Chinese: a run of spaces and
/// line breaks (marked `\u{1}`) is one space, except that a line break between two Chinese
/// characters or marks is nothing (CSS Text's segment-break rule for East Asian text).
fn collapse(line: &str) -> String {
    let space = |c: char| matches!(c, '\u{1}' | ' ' | '\t' | '\u{c}');
    let cjk = |c: Option<char>| c.is_some_and(is_cjk);
    let out = replace_space_runs(line, space, |before, run, after, out| {
        if !(run.contains(&'\u{1}') && cjk(before) && cjk(after)) {
            out.push(' ');
        }
    });
    // indentation (&nbsp;&nbsp;, 　　) is layout, not text
    out.trim().to_string()
}

fn text_of(el: ElementRef<'_>) -> String {
    let mut lines = Lines { out: String::new(), pre: 0 };
    lines.walk(*el);
    lines.out.split('\n').map(collapse).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A page title without the site name browsers show after it: 关于调查研究的心得体会_某某网 and
/// 心得体会 - 某某网 give the part before the separator (when the site part is short and the rest
/// is not).
fn without_site_name(title: &str) -> String {
    for sep in [" - ", " – ", " — ", " | ", "｜", "|", "_", "－"] {
        if let Some((head, site)) = title.rsplit_once(sep) {
            let (head, site) = (head.trim(), site.trim());
            if head.chars().count() >= 4 && site.chars().count() <= 16 {
                return head.to_string();
            }
        }
    }
    title.to_string()
}

/// The main text and title of an HTML page.
pub fn read(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let main = ["article", "main", "[role=main]", "body"]
        .iter()
        .find_map(|css| doc.select(&selector(css)).next())
        .unwrap_or_else(|| doc.root_element());
    let mut lines = Lines { out: String::new(), pre: 0 };
    for child in main.children() {
        lines.walk(child);
    }
    let mut text: Vec<String> = lines.out.split('\n').map(collapse).filter(|l| !l.is_empty()).collect();
    let h1 = main.select(&selector("h1")).next().or_else(|| doc.select(&selector("h1")).next()).map(text_of);
    let h1 = h1.filter(|h| !h.is_empty());
    if let Some(h) = &h1
        && text.first() != Some(h)
    {
        text.insert(0, h.clone());
    }
    let title = match h1 {
        Some(_) => None,
        None => doc.select(&selector("title")).next().map(|t| without_site_name(&text_of(t))).filter(|t| !t.is_empty()),
    };
    Page { text: text.join("\n"), title }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_text_without_chrome_and_with_the_heading_first() {
        let html = r#"<!DOCTYPE html><html><head><title>讲话_某某文库</title><style>p{color:red}</style></head>
<body><header><a href="/">首页</a> | <a href="/dj">党建</a></header>
<nav class="top-nav">导航 栏目</nav>
<div id="breadcrumb">当前位置：首页 &gt; 讲话</div>
<article><h1>在主题教育工作会议上的讲话</h1>
<p>同志们：</p>
<p>要增强&ldquo;四个意识&rdquo;、坚定“四个自信”、
做到“两个维护”，学思想、<b>强党性</b>、重实践、建新功。</p>
<p style="display: none">隐藏的文字</p>
<div class="share-bar">分享到微信</div>
<ul><li>一是 Open Data 平台</li><li>&nbsp;&nbsp;二是&nbsp;数据</li></ul>
<table><tr><td>指标</td><td>2023年</td></tr></table>
<script>var x = "脚本";</script></article>
<footer>版权所有 © 2023</footer><div class="copyright">备案号</div></body></html>"#;
        let page = read(html);
        assert_eq!(
            page.text,
            "在主题教育工作会议上的讲话\n同志们：\n要增强“四个意识”、坚定“四个自信”、做到“两个维护”，学思想、强党性、重实践、建新功。\n一是 Open Data 平台\n二是\u{a0}数据\n指标\n2023年"
        );
        assert_eq!(page.title, None);
    }

    #[test]
    fn a_page_without_article_or_heading_uses_its_body_and_title() {
        let html = "<html><head><title> 关于调查研究的心得体会_某某党建网 </title></head><body><div class=\"menu\">栏目</div><div>正文第一段。<br>正文第二段。</div></body></html>";
        let page = read(html);
        assert_eq!(page.text, "正文第一段。\n正文第二段。");
        assert_eq!(page.title.as_deref(), Some("关于调查研究的心得体会"));
        assert_eq!(without_site_name("心得体会 - 共产党员网"), "心得体会");
        assert_eq!(without_site_name("A_B"), "A_B");
        // a heading outside the main text still leads it
        let html = "<body><h1>标题</h1><main><p>正文。</p></main></body>";
        assert_eq!(read(html).text, "标题\n正文。");
        // preformatted text keeps its line breaks; words are never run together
        assert_eq!(read("<body><pre>第一行\n第二行</pre><p>a\nb</p></body>").text, "第一行\n第二行\na b");
    }

    #[test]
    fn the_saved_page_fixture_and_broken_markup() {
        let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/formats/speech.html"))
            .unwrap();
        let read_page = read(&page);
        assert!(read_page.text.starts_with("2023年主题教育研讨交流发言材料四篇\n同志们："));
        for chrome in ["党建材料", "当前位置", "分享到", "相关文章", "版权所有", "统计代码"] {
            assert!(!read_page.text.contains(chrome), "{chrome}");
        }
        // any cut of the page parses (html5ever repairs what is left open)
        let chars: Vec<char> = page.chars().collect();
        for cut in (0..chars.len()).step_by(1500) {
            let _ = read(&chars[..cut].iter().collect::<String>());
        }
        assert_eq!(read("<p>未闭合的<b>标签").text, "未闭合的标签");
    }
}
