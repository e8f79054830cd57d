"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only what a page may show."""

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark plus tables and strikethrough; raw HTML in the source is dropped by nh3 anyway.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


def _shift_headings(html: str) -> str:
    # The page's own title is the h1: an essay's headings start at h2.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def markdown_html(text: str) -> Markup:
    """Markdown as HTML safe to put in a page, an EPUB chapter or a PDF."""
    rendered = _shift_headings(_markdown.render(text or ""))
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just removed everything not allowed


def markdown_text(text: str) -> str:
    """The words alone, for search snippets and feed summaries."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
