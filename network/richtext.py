"""Markdown and plain text turned into Wagtail's stored rich-text format, always sanitised."""

import re

import markdown
from django.utils.html import escape

from .sanitizer import sanitize_html

# What Wagtail's editor writes: <b>/<i> for emphasis, headings from h3 down, no code or tables.
RENAMED_TAGS = {"strong": "b", "em": "i", "h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}
UNWRAPPED_TAGS = ("code", "pre", "u", "s", "sub", "sup", "abbr", "table", "thead", "tbody", "tr", "th", "td")
BLOCK_TAGS = ("p", "ul", "ol", "li", "h3", "h4", "blockquote", "hr", "br")


def markdown_to_richtext(text):
    """Rich text for a RichTextField or RichTextBlock from a Markdown string ("" for nothing)."""
    if not text or not str(text).strip():
        return ""
    html = sanitize_html(markdown.markdown(str(text), output_format="html"))
    return to_wagtail_format(html)


def list_to_richtext(items):
    """A bulleted list of plain-text items, e.g. learning outcomes."""
    items = [str(item).strip() for item in items or [] if str(item).strip()]
    if not items:
        return ""
    html = "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
    return to_wagtail_format(sanitize_html(html))


def to_wagtail_format(html):
    for old, new in RENAMED_TAGS.items():
        html = re.sub(rf"<(/?){old}>", rf"<\g<1>{new}>", html)
    html = re.sub(rf"</?(?:{'|'.join(UNWRAPPED_TAGS)})(?:\s[^>]*)?>", "", html)
    html = re.sub(r"<hr\s*/?>", "", html)
    html = re.sub(r"<br\s*/?>", "<br/>", html)
    # A "loose" Markdown list wraps each item in <p>; Wagtail's list items hold inline text only.
    html = re.sub(r"<li>(.*?)</li>", lambda m: "<li>" + _join_paragraphs(m.group(1)) + "</li>", html, flags=re.S)
    block = "|".join(BLOCK_TAGS)
    html = re.sub(rf"\s*(</?(?:{block})(?:\s[^>]*)?/?>)\s*", r"\1", html)
    return re.sub(r"\s+", " ", html).strip()


def _join_paragraphs(html):
    parts = [part.strip() for part in re.split(r"</?p>", html) if part.strip()]
    return " ".join(parts)
