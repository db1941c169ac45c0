"""The PDF renderer: restricted fetcher, shipped fonts, determinism, instance images."""
from __future__ import annotations

import io

import pytest
import segno
from pypdf import PdfReader

from kapcourse import pdf

VALUES = dict(heading="Certificate of Completion", organisation="Test Org", learner_name="Ana Silva",
              credentials="MD", profession="Physician", licence_number="", kind_label="online module",
              subject_title="Alpha Module", version="1", completed_on="1 May 2026", score="90%",
              credit_designation="", code="KAP-2222-2222-2222-2222-2222", accreditation_statement="",
              verify_url="https://example.org/verify/KAP-2222-2222-2222-2222-2222",
              issued_iso="2026-05-01T12:00:00+00:00", signatory="", signatory_caption="")


def _values():
    return dict(VALUES, qr_data_uri=pdf.qr_svg_data_uri(VALUES["verify_url"]))


@pytest.mark.parametrize("url", [
    "https://fonts.googleapis.com/css?family=Lato", "http://127.0.0.1/x.png", "ftp://example.org/x",
    "file:///etc/passwd", "file://remote-host/share/x.png",
    (pdf.STATIC_ROOT / ".." / "__init__.py").as_uri(), (pdf.STATIC_ROOT / "css" / "missing.css").as_uri(),
])
def test_fetcher_refuses_everything_but_package_files(url):
    with pytest.raises((pdf.ForbiddenResource, ValueError)):
        pdf.restricted_fetcher().fetch(url)


def test_fetcher_serves_static_files_fonts_and_data_uris():
    fetcher = pdf.restricted_fetcher()
    css = fetcher.fetch((pdf.STATIC_ROOT / "css" / "certificate.css").as_uri())
    assert b".frame" in css.read()
    assert fetcher.fetch((pdf.FONT_ROOT / "Lato-Regular.ttf").as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_a_broken_template_reference_fails_loudly(tmp_path):
    outside = tmp_path / "x.png"
    outside.write_bytes(b"not allowed")
    with pytest.raises(BaseException, match="Error fetching"):
        from weasyprint import HTML

        HTML(string=f'<img src="{outside.as_uri()}">', url_fetcher=pdf.restricted_fetcher()).write_pdf()


def test_render_embeds_only_lato_and_is_deterministic():
    first, second = pdf.render_pdf(_values()), pdf.render_pdf(_values())
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Lato" in name for name in fonts)
    assert "Ana Silva, MD" in reader.pages[0].extract_text()


def test_qr_payload_is_the_verification_url():
    uri = pdf.qr_svg_data_uri(VALUES["verify_url"])
    assert uri.startswith("data:image/svg+xml")
    assert uri == segno.make(VALUES["verify_url"], error="m", micro=False).svg_data_uri(
        scale=4, border=0, dark="#1c2b4a")


def test_instance_logo_and_signature_are_allowed_and_drawn(tmp_path):
    logo, signature = tmp_path / "logo.png", tmp_path / "signature.png"
    segno.make("logo").save(str(logo), scale=3)
    segno.make("sig").save(str(signature), scale=3)
    plain = PdfReader(io.BytesIO(pdf.render_pdf(_values()))).pages[0]
    with_images = PdfReader(io.BytesIO(pdf.render_pdf(_values(), images={"logo": logo, "signature": signature}))).pages[0]
    assert len(with_images.images) == len(plain.images) + 2


def test_unknown_page_size_is_refused():
    with pytest.raises(ValueError, match="page size"):
        pdf.render_pdf(_values(), page_size="tabloid")
