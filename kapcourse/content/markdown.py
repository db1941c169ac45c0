"""Markdown -> sanitised HTML, done once at publish time."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

# Boxes authors may use, with the label read out by screen readers.
CALLOUTS = {"key-points": "Key points", "caution": "Caution"}

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl",
    "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "aside": {"class", "aria-label"},
    "div": {"class"},
    "span": {"class"},
    "th": {"scope", "style"},
    "td": {"style"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TABLE_ALIGN = re.compile(r"^text-align:(left|right|center)$")
# Plain prose (no Markdown or HTML syntax) renders to itself, so the parser is skipped for it: most option
# texts and many stems are plain, and this keeps validating a large bank fast. It starts with a letter
# because a leading digit, '-' or '+' can open a list; tests/unit/test_markdown_fast_path.py proves equality.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?()/%+=@$^{}'\"-]*")


def _is_plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None and "  " not in text and not text.endswith(" ")


def _callout_renderer(name: str):
    label = CALLOUTS[name]

    def render(self, tokens, idx, _options, _env):
        if tokens[idx].nesting == 1:
            return f'<aside class="callout {name}" aria-label="{label}"><p class="callout-title">{label}</p>\n'
        return "</aside>\n"

    return render


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    for name in CALLOUTS:
        md.use(container_plugin, name, render=_callout_renderer(name))
    return md


def _filter_style(element: str, attribute: str, value: str) -> str | None:
    """Keep only the table alignment markdown-it emits; drop any other inline style."""
    if attribute == "style":
        return value if _TABLE_ALIGN.match(value.replace(" ", "")) else None
    return value


def sanitise(html: str) -> str:
    """Strip everything but a conservative set of tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_filter_style,
        strip_comments=True,
    )


LinkResolver = Callable[[str], "str | None"]


def render(text: str, resolve_link: LinkResolver | None = None) -> str:
    """Render Markdown to sanitised HTML; resolve_link rewrites or rejects link targets."""
    if resolve_link is None and _is_plain(text or ""):
        return f"<p>{text}</p>\n"
    md = _parser()
    tokens = md.parse(text or "")
    if resolve_link is not None:
        _rewrite_links(tokens, resolve_link)
    return sanitise(md.renderer.render(tokens, md.options, {}))


def render_inline(text: str) -> str:
    """Render one line of Markdown without the surrounding paragraph."""
    if _is_plain(text or ""):
        return text
    return sanitise(_parser().renderInline(text or ""))


def _rewrite_links(tokens, resolve_link: LinkResolver) -> None:
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                new_href = resolve_link(child.attrGet("href") or "")
                if new_href is not None:
                    child.attrSet("href", new_href)


def link_targets(text: str) -> list[tuple[str, int]]:
    """Every link and image target in the text, with its 0-based line within the text."""
    found = []
    for token in _parser().parse(text or ""):
        line = token.map[0] if token.map else 0
        for child in token.children or []:
            if child.type == "link_open":
                found.append((child.attrGet("href") or "", line))
            elif child.type == "image":
                found.append((child.attrGet("src") or "", line))
    return found


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML (for word counts and search)."""
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
