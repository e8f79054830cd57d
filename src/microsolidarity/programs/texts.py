"""Module texts: Markdown rendered by markdown-it, then cleaned by nh3 so none carries a script."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(text: str) -> SafeString:
    html = _markdown.render(text or "")
    # Safe to mark: nh3 keeps only its allow-list of tags and attributes (no scripts, no on*).
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer nofollow"))  # noqa: S308
