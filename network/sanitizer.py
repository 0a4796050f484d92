"""The one place where user-supplied HTML is cleaned. Nothing else calls bleach directly."""

import bleach

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote",
     "code", "pre", "h2", "h3", "h4", "a", "abbr", "hr", "table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "lang"], "abbr": ["title"], "th": ["scope"], "*": ["lang", "dir"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    """Return ``html`` with every tag, attribute and URL scheme outside the safe list removed."""
    return bleach.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
