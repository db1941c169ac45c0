"""Benchmark: certificate PDF rendering against a bare WeasyPrint page, memory, downloads.

Run from the repository root: `.venv/bin/python bench/certificate.py [--renders 500]`.
Everything runs in one process. Prints the figures and the ratios the issue targets:
warm certificate render <= 4x a bare one-line page; peak RSS after N renders <= 1.1x
after 10; a repeat download through the app >= 50x faster than a render.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VALUES = dict(
    heading="Certificate of Completion", organisation="Northfield Clinical Education",
    learner_name="Jane Q. Doe", credentials="MD", profession="Physician",
    licence_number="CA-A123456", kind_label="online module", subject_title="KAP Medical Assessment",
    version="3", completed_on="1 May 2026", score="92%", credit_designation="",
    code="KAP-5CJJ-PY59-NNKF-WMKX-STT4", accreditation_statement="",
    verify_url="https://learn.example.org/verify/KAP-5CJJ-PY59-NNKF-WMKX-STT4",
    issued_iso="2026-05-01T12:00:00+00:00", signatory="", signatory_caption="",
)
BARE = "<p>Hello.</p>"


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def render_figures(pdf, values: dict, repeat: int) -> dict:
    """Cold and warm render times of the certificate and of a bare page."""
    from weasyprint import HTML

    bare = lambda: HTML(string=BARE).write_pdf()  # noqa: E731
    cert = lambda: pdf.render_pdf(values)  # noqa: E731
    bare_cold = timed(bare, 1)[0]
    cert_cold = timed(cert, 1)[0]
    # Interleaved, so load from other processes on a shared machine hits both alike.
    pairs = [(timed(bare, 1)[0], timed(cert, 1)[0]) for _ in range(repeat)]
    return {"bare_cold": bare_cold, "cert_cold": cert_cold,
            "bare_warm": statistics.median(p[0] for p in pairs),
            "cert_warm": statistics.median(p[1] for p in pairs)}


def memory_figures(render, renders: int) -> tuple[float, float]:
    """Peak RSS after 10 renders and after `renders` renders."""
    for _ in range(10):
        render()
    after_10 = rss_mb()
    for _ in range(renders - 10):
        render()
    return after_10, rss_mb()


def download_figure(pdf_bytes: bytes, repeat: int) -> float:
    """Median seconds of a learner's repeat download of a stored certificate, through the app."""
    from datetime import datetime, timezone

    from kapcourse import create_app
    from kapcourse.extensions import db
    from kapcourse.models import Certificate
    from kapcourse.services import accounts

    tmp = Path(tempfile.mkdtemp(prefix="kapcourse-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}", "TESTING": True,
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": str(tmp)})
    with app.app_context():
        db.create_all()
        user = accounts.register("bench@example.org", "bench password 1",
                                 accounts.Profile(full_name="Jane Q. Doe"))
        now = datetime(2026, 5, 1, tzinfo=timezone.utc)
        cert = Certificate(code=VALUES["code"], user_id=user.id, kind="module", subject_slug="m",
                           subject_title="M", subject_version=1, heading="Certificate of Completion",
                           learner_name="Jane Q. Doe", completed_at=now, issued_at=now,
                           organisation="Org", verify_url=VALUES["verify_url"], pdf=pdf_bytes,
                           pdf_sha256="0" * 64, credentials="", profession="", licence_number="",
                           credit_designation="", accreditation_statement="")
        db.session.add(cert)
        db.session.commit()
        cert_id = cert.id
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": "bench password 1"})
    url = f"/me/certificates/{cert_id}.pdf"
    first = client.get(url)
    assert first.status_code == 200 and first.data == pdf_bytes, first.status_code
    return statistics.median(timed(lambda: client.get(url), repeat))


def main() -> None:
    """Run every measurement and print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=500, help="renders for the memory check")
    parser.add_argument("--repeat", type=int, default=50, help="repeats for warm timings")
    args = parser.parse_args()

    start = time.perf_counter()
    import weasyprint  # noqa: F401  (timed on its own: the app imports it only to render)
    import_s = time.perf_counter() - start
    from kapcourse import pdf

    values = dict(VALUES, qr_data_uri=pdf.qr_svg_data_uri(VALUES["verify_url"]))
    qr_s = statistics.median(timed(lambda: pdf.qr_svg_data_uri(VALUES["verify_url"]), args.repeat))
    fig = render_figures(pdf, values, args.repeat)
    rss_before = rss_mb()
    after_10, after_n = memory_figures(lambda: pdf.render_pdf(values), args.renders)
    download_s = download_figure(pdf.render_pdf(values), args.repeat * 10)

    print(f"weasyprint import            {import_s * 1000:8.1f} ms")
    print(f"QR code (segno SVG), once    {qr_s * 1000:8.2f} ms")
    print(f"bare page render   cold/warm {fig['bare_cold'] * 1000:8.1f} / {fig['bare_warm'] * 1000:6.1f} ms")
    print(f"certificate render cold/warm {fig['cert_cold'] * 1000:8.1f} / {fig['cert_warm'] * 1000:6.1f} ms")
    print(f"warm certificate / bare page {fig['cert_warm'] / fig['bare_warm']:8.2f} x   (target <= 4)")
    print(f"peak RSS before / after 10 / after {args.renders}: "
          f"{rss_before:.1f} / {after_10:.1f} / {after_n:.1f} MB")
    print(f"peak after {args.renders} / after 10       {after_n / after_10:8.3f} x   (target <= 1.1)")
    print(f"repeat download via the app  {download_s * 1000:8.2f} ms")
    print(f"warm render / download       {fig['cert_warm'] / download_s:8.1f} x   (target >= 50)")


if __name__ == "__main__":
    main()
