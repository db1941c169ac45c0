"""Author Markdown becomes safe HTML: no script, no handlers, no javascript: URLs."""
from html.parser import HTMLParser

import pytest

from kapcourse.content.markdown import render, render_inline, sanitise

class DangerFinder(HTMLParser):
    """Collects dangerous elements and attributes of parsed HTML (escaped text is harmless)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "svg", "img", "object", "embed", "style"):
            self.found.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style" and "url(" in value:
                self.found.append(name)
            if name in ("href", "src") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{name}={value[:20]}")


def dangers(html: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(html)
    return finder.found


HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JaVaScRiPt:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ("<svg onload=alert(1)>", "onload"),
    ("<iframe src=https://evil.example></iframe>", "<iframe"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style="),
    ("![x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html"),
]


@pytest.mark.parametrize("source, forbidden", HOSTILE)
def test_hostile_markdown_is_neutralised(source, forbidden):
    html = render(source)
    assert dangers(html) == [], html
    assert dangers(source) or forbidden.lower() in source.lower()  # the corpus itself is dangerous


@pytest.mark.parametrize("html, forbidden", [
    ('<p onclick="x()">a</p>', "onclick"),
    ('<a href="javascript:alert(1)">a</a>', "javascript"),
    ("<script>x</script><p>ok</p>", "<script"),
    ('<td style="color:red">a</td>', "color:red"),
])
def test_sanitiser_strips_what_the_renderer_might_let_through(html, forbidden):
    cleaned = sanitise(html)
    assert forbidden not in cleaned and dangers(cleaned) == []


def test_safe_markdown_keeps_its_structure():
    html = render("## Heading\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n::: key-points\n- one\n:::\n\n[site](https://example.org)")
    assert "<h2>Heading</h2>" in html
    assert "<table>" in html and 'style="text-align:right"' in html
    assert '<aside class="callout key-points" aria-label="Key points">' in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html


def test_inline_rendering_has_no_paragraph():
    assert render_inline("**bold** <b onmouseover=x>") == "<strong>bold</strong> &lt;b onmouseover=x&gt;"
