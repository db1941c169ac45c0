"""Lesson page throughput and latency against two baselines, all under the same gunicorn config.

    .venv/bin/python bench/lesson.py [--seconds 10] [--connections 32] [--client auto|wrk|threads]

Serves, one after the other on 127.0.0.1: a bare Flask hello-world, a Flask + Flask-SQLAlchemy + Jinja
page (two ORM queries, a 16 KB template), and kapcourse's lesson page for a logged-in, enrolled learner
(SQLite). Prints requests/s, p50, p99 and the ratios to hello-world. Targets: lesson >= 0.4x hello-world
requests/s, lesson p99 <= 3x hello-world's p99.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import GUNICORN_CONFIG, Gunicorn, LoadResult, drive, python_env, wrk_available  # noqa: E402
from kapsetup import content_root, prepare, session_cookie  # noqa: E402

RPS_TARGET = 0.4
P99_TARGET = 3.0


def first_lesson(instance) -> tuple[str, str]:
    """Slug and id of the first lesson of the first published module."""
    from kapcourse import create_app
    from kapcourse.services import content

    app = create_app(instance.config())
    with app.app_context():
        versions = content.current_module_versions()
        slug = sorted(versions)[0]
        return slug, versions[slug].payload["lessons"][0]["id"]


def measure(name: str, server: Gunicorn, path: str, args, headers=None) -> LoadResult:
    """Warm up, then load one path for the configured time."""
    with server:
        server.start(path if headers is None else "/healthz")
        drive(server, path, 2, args.connections, headers, args.client)  # warm-up: imports, caches, pools
        result = drive(server, path, args.seconds, args.connections, headers, args.client)
    print(f"{name:<22} {result.rps:>9.1f} req/s   p50 {result.p50_ms:>7.2f} ms   p99 {result.p99_ms:>7.2f} ms"
          f"   errors {result.errors}", flush=True)
    return result


def main() -> int:
    """Run the three measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per app (max 120)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--client", choices=["auto", "wrk", "threads"], default="auto")
    args = parser.parse_args()
    args.seconds = max(1, min(args.seconds, 120))
    client = "wrk" if args.client == "wrk" or (args.client == "auto" and wrk_available()) else "thread-pool http.client"
    print(f"lesson benchmark: {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, gunicorn {GUNICORN_CONFIG}, "
          f"{args.connections} connections, {args.seconds} s each, client {client}")
    with tempfile.TemporaryDirectory(prefix="kapcourse-bench-") as tmp:
        work = Path(tmp)
        root, which = content_root()
        instance = prepare(f"sqlite:///{work / 'bench.db'}", root, work)
        slug, lesson_id = first_lesson(instance)
        cookie = session_cookie(instance, "bench@example.org", "bench password 123", enrol_slug=slug)
        print(f"lesson: /modules/{slug}/lessons/{lesson_id} ({which}, SQLite)")
        hello = measure("hello-world", Gunicorn("baseline_apps:hello_app", python_env()), "/", args)
        orm = measure("flask+sqlalchemy+jinja", Gunicorn("baseline_apps:orm_app()",
                                                           python_env(BENCH_ORM_DB=str(work / "orm.db"))), "/", args)
        lesson = measure("kapcourse lesson", Gunicorn("kapcourse:create_app()", instance.env()),
                         f"/modules/{slug}/lessons/{lesson_id}", args, {"Cookie": f"session={cookie}"})
    return report(hello, orm, lesson)


def report(hello: LoadResult, orm: LoadResult, lesson: LoadResult) -> int:
    """Print the ratios and whether the targets are met; exit status 1 when one is missed."""
    rps_ratio = lesson.rps / hello.rps if hello.rps else 0.0
    p99_ratio = lesson.p99_ms / hello.p99_ms if hello.p99_ms else float("inf")
    print(f"orm page / hello-world: {orm.rps / hello.rps if hello.rps else 0:.3f}x req/s")
    print(f"lesson / hello-world:   {rps_ratio:.3f}x req/s (target >= {RPS_TARGET}x), "
          f"p99 {p99_ratio:.2f}x (target <= {P99_TARGET}x)")
    print(f"lesson / orm page:      {lesson.rps / orm.rps if orm.rps else 0:.3f}x req/s")
    met = rps_ratio >= RPS_TARGET and p99_ratio <= P99_TARGET and lesson.errors == 0
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
