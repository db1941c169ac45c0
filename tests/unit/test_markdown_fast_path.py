"""The plain-text fast path of the Markdown renderer gives exactly what the parser gives."""
from __future__ import annotations

import string

from hypothesis import given, settings, strategies as st

from kapcourse.content import markdown

PROSE = st.text(alphabet=string.ascii_letters + string.digits + " ,.;:?()/%+=@$^{}'\"-*_`[]!<>&~|#\n", max_size=60)


def _slow_inline(text: str) -> str:
    return markdown.sanitise(markdown._parser().renderInline(text))


def _slow_block(text: str) -> str:
    md = markdown._parser()
    return markdown.sanitise(md.renderer.render(md.parse(text), md.options, {}))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(string.ascii_letters), PROSE)
def test_fast_path_equals_parser(first, rest):
    text = first + rest
    assert markdown.render_inline(text) == _slow_inline(text)
    assert markdown.render(text) == _slow_block(text)


def test_fast_path_is_taken_for_plain_prose_only():
    assert markdown._is_plain("Recheck the blood pressure, then defer dosing (see 2.1).")
    for text in ("2) a list", "- item", "a *b*", "a <b>", "a  b", "a\nb", "trailing ", "[x](y)", "a & b"):
        assert not markdown._is_plain(text), text
