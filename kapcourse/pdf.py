"""Certificate PDFs with WeasyPrint: shipped fonts, a locked-down fetcher, shared state.

WeasyPrint takes over a second to import, so it is imported inside the functions that
render, never at module import. One FontConfiguration and one pre-built stylesheet per
page size are shared by every render: building them per render is slow and leaks memory.
"""
from __future__ import annotations

import atexit
import functools
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import font_lato
from jinja2 import Environment, FileSystemLoader, select_autoescape

PACKAGE_ROOT = Path(__file__).resolve().parent
STATIC_ROOT = PACKAGE_ROOT / "static"
TEMPLATE_ROOT = PACKAGE_ROOT.parent / "templates"
FONT_ROOT = Path(font_lato.font_directory).resolve()
PAGE_SIZES = {"letter": "letter landscape", "a4": "A4 landscape"}
CSS_PATH = STATIC_ROOT / "css" / "certificate.css"
# Lato (SIL OFL) from the font-lato package, by file path: identical output everywhere.
FONT_FACES = [("Lato", 300, "normal", "Lato-Light.ttf"),
              ("Lato", 400, "normal", "Lato-Regular.ttf"),
              ("Lato", 400, "italic", "Lato-Italic.ttf"),
              ("Lato", 700, "normal", "Lato-Bold.ttf"),
              ("Lato", 900, "normal", "Lato-Black.ttf")]

_lock = threading.Lock()  # WeasyPrint's shared FontConfiguration is not thread-safe.


class ForbiddenResource(ValueError):
    """The certificate template asked for something outside the allowed files."""


def font_face_css() -> str:
    """@font-face rules pointing at the shipped font files by file URL."""
    rules = []
    for family, weight, style, name in FONT_FACES:
        url = (FONT_ROOT / name).as_uri()
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{url}"); }}')
    return "\n".join(rules)


def allowed_path(url: str, extra_files: frozenset[Path]) -> Path:
    """The local file a `file:` URL names, if it is a package static file, a shipped
    font or one of the configured instance images; raise ForbiddenResource otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ForbiddenResource(f"not a local file: {url}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if path in extra_files or any(path.is_relative_to(root) for root in (STATIC_ROOT, FONT_ROOT)):
        if path.is_file():
            return path
    raise ForbiddenResource(f"not an allowed file: {url}")


@functools.cache
def _fetcher_class():
    """A URLFetcher subclass that serves data: URIs and allowed files, and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        def __init__(self, extra_files: frozenset[Path] = frozenset()):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.extra_files = extra_files

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # inline, never touches the network
            path = allowed_path(url, self.extra_files)
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return RestrictedFetcher


def restricted_fetcher(extra_files: frozenset[Path] = frozenset()):
    """A fetcher that refuses the network and any file outside the allowed roots."""
    return _fetcher_class()(frozenset(p.resolve() for p in extra_files))


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Release it before interpreter shutdown: its __del__ needs modules torn down by then.
    atexit.register(_release_shared_state)
    return FontConfiguration()


def _release_shared_state() -> None:
    _stylesheet.cache_clear()
    _font_config.cache_clear()


@functools.cache
def _stylesheet(page_size: str):
    """The certificate stylesheet for one page size, parsed once per process."""
    from weasyprint import CSS

    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; use one of {sorted(PAGE_SIZES)}")
    css = (font_face_css() + f"\n@page {{ size: {PAGE_SIZES[page_size]}; margin: 0; }}\n"
           + CSS_PATH.read_text(encoding="utf-8"))
    return CSS(string=css, base_url=STATIC_ROOT.as_uri() + "/",
               url_fetcher=restricted_fetcher(), font_config=_font_config())


@functools.cache
def _jinja() -> Environment:
    # Its own environment: rendering needs no app context, so the bench can call it too.
    return Environment(loader=FileSystemLoader(str(TEMPLATE_ROOT)),
                       autoescape=select_autoescape(default=True), auto_reload=False)


def qr_svg_data_uri(url: str) -> str:
    """The verification URL as a QR code, an SVG data URI made with segno."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0,
                                                              dark="#1c2b4a")


def render_html(values: dict[str, Any]) -> str:
    """The certificate HTML; `values` holds plain strings only (no models, no markup)."""
    return _jinja().get_template("certificates/pdf.html").render(**values)


def render_pdf(values: dict[str, Any], page_size: str = "letter",
               images: dict[str, Path] | None = None) -> bytes:
    """Render one certificate to PDF bytes.

    `images` maps "logo"/"signature" to files in the instance folder; the template gets
    their file URLs, and the fetcher allows exactly those files.
    """
    from weasyprint import HTML

    images = {k: p for k, p in (images or {}).items() if p and Path(p).is_file()}
    context = dict(values, **{f"{k}_url": Path(p).resolve().as_uri() for k, p in images.items()})
    fetcher = restricted_fetcher(frozenset(Path(p) for p in images.values()))
    html = HTML(string=render_html(context), base_url=STATIC_ROOT.as_uri() + "/",
                url_fetcher=fetcher)
    with _lock:
        return html.write_pdf(stylesheets=[_stylesheet(page_size)], font_config=_font_config())
