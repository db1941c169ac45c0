"""Benchmark: submitting a 20-item quiz attempt vs a bare Flask hello-world, same gunicorn config.

    .venv/bin/python bench/quiz_submit.py [--requests 300] [--concurrency 4] [--seconds 60]
    DATABASE_URL=postgresql://... .venv/bin/python bench/quiz_submit.py

SQLite (a temporary file) by default, PostgreSQL when DATABASE_URL is given (its tables are
created if missing and this run's rows are left behind). Both servers run under gunicorn on
127.0.0.1 with the same fixed config; each phase is bounded by a request count and a time limit.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ["--workers", "2", "--worker-class", "sync", "--threads", "1", "--backlog", "256",
            "--log-level", "warning", "--timeout", "60"]
ITEMS = 20
SECRET = "bench-secret-not-for-production"


# --- the apps gunicorn imports ------------------------------------------------------------------
def hello_app():
    """A bare Flask app: the baseline."""
    from flask import Flask

    app = Flask("hello")
    app.add_url_rule("/", "hello", lambda: "Hello, World!")
    return app


def bench_app():
    """kapcourse configured from the environment this script sets."""
    sys.path.insert(0, str(ROOT))
    from kapcourse import create_app

    return create_app(_config())


def _config() -> dict:
    return {"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DB_URL"], "SECRET_KEY": SECRET,
            "CONTENT_ROOT": os.environ["BENCH_CONTENT"], "INSTANCE_PATH": os.environ["BENCH_INSTANCE"]}


# --- content: one module whose blueprint draws 20 items of mixed types -------------------------
def write_content(target: Path) -> None:
    """The test fixture tree with a bank of 24 questions and a 20-item blueprint on alpha-module."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "content", target)
    module = target / "modules" / "alpha-module" / "module.yaml"
    text = module.read_text().replace("attempt_limit: 3", "attempt_limit: null")
    text = text.replace("objective: alpha-dosing\n      count: 3", "objective: alpha-dosing\n      count: 10")
    module.write_text(text.replace("objective: alpha-safety\n      count: 3", "objective: alpha-safety\n      count: 10"))
    questions = [_question(i) for i in range(24)]
    (target / "question_banks" / "alpha-module.yaml").write_text("module: alpha-module\nquestions:\n" + "".join(questions))


def _question(i: int) -> str:
    objective = "alpha-dosing" if i % 2 else "alpha-safety"
    head = (f"  - id: bench-q-{i}\n    objective: {objective}\n    stem: Bench question {i}, which answer?\n"
            f"    rationale: Because of fact {i}.\n    references: [\"Bench source.\"]\n")
    if i % 3 == 0:
        return head + ("    type: numeric\n    answer: 35\n    unit: mg\n    accepted_units: [g]\n"
                       "    tolerance: {absolute: 0.5}\n")
    if i % 3 == 1:
        return head + "    type: ordering\n    scoring: pairs\n    items:\n" + "".join(
            f"      - {{id: s{k}, text: \"Step {k} of {i}\"}}\n" for k in range(5))
    return head + "    type: single\n    key: b\n    options:\n" + "".join(
        f"      - {{id: {c}, text: \"Option {c} of {i}\", why: \"Reason {c}.\"}}\n" for c in "abcd")


# --- data: learners with an open attempt each, and their cookies -------------------------------
def prepare(count: int) -> list[tuple[str, str]]:
    """Publish, create `count` learners each with an open attempt; return (path, body+cookie) per submit."""
    from flask.sessions import SecureCookieSessionInterface  # noqa: F401
    from itsdangerous import URLSafeTimedSerializer

    app = bench_app()
    from kapcourse.extensions import db
    from kapcourse.models import AttemptItem, Role, User
    from kapcourse.services import enrolment, publishing, quiz

    jobs = []
    with app.app_context():
        db.create_all()
        assert publishing.publish_tree(os.environ["BENCH_CONTENT"]).tree.ok
        csrf_serializer = URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token")
        cookie_serializer = app.session_interface.get_signing_serializer(app)
        stamp = int(time.time())
        for n in range(count):
            user = User(email=f"bench{stamp}-{n}@example.org", full_name="Bench Learner", role=Role.LEARNER)
            db.session.add(user)
            db.session.commit()
            enrolment.enrol(user.id, "alpha-module")
            attempt = quiz.start_attempt(user.id, "alpha-module")
            items = db.session.query(AttemptItem).filter_by(attempt_id=attempt.id).all()
            raw = os.urandom(20).hex()
            form = [("csrf_token", csrf_serializer.dumps(raw))] + [kv for i in items for kv in _answer(i)]
            cookie = cookie_serializer.dumps({"_user_id": str(user.id), "_fresh": True, "csrf_token": raw})
            jobs.append((f"/quiz/attempts/{attempt.id}/submit", urlencode(form), cookie))
    return jobs


def _answer(item) -> list[tuple[str, str]]:
    q, p = item.question, item.position
    if q["type"] == "numeric":
        return [(f"q{p}.value", "0.035"), (f"q{p}.unit", "g")]
    if q["type"] == "ordering":
        return [(f"q{p}.pos.{step}", str(k + 1)) for k, step in enumerate(q["key"])]
    return [(f"q{p}.choice", "b")]


# --- load ----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(target: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}",
                             "--chdir", str(Path(__file__).parent), target], env=env, start_new_session=True)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise SystemExit(f"gunicorn for {target} did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def load(port: int, jobs: list, concurrency: int, seconds: float) -> dict:
    """Send the jobs from `concurrency` threads until done or out of time; latency per request."""
    latencies: list[float] = []
    failures = []
    lock = threading.Lock()
    queue = iter(jobs)
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            status, took = _request(port, *job)
            with lock:
                (latencies if status in (200, 302, 303) else failures).append(took if status < 400 else status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"requests": len(latencies), "failures": len(failures), "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]}


def _request(port: int, path: str, body: str | None, cookie: str | None) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    begin = time.perf_counter()
    conn.request("POST" if body else "GET", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    took = time.perf_counter() - begin
    conn.close()
    return response.status, took


def main() -> None:
    """Run both phases and print requests/s, p50 and p99 for each, and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kapcourse-bench-"))
    url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{work / 'bench.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    env = {**os.environ, "BENCH_DB_URL": url, "BENCH_CONTENT": str(work / "content"),
           "BENCH_INSTANCE": str(work / "instance"), "PYTHONPATH": str(ROOT)}
    os.environ.update(env)
    try:
        write_content(work / "content")
        jobs = prepare(args.requests)
        results = {}
        for name, target, phase_jobs in [("hello-world", "quiz_submit:hello_app()", [("/", None, None)] * args.requests),
                                         ("quiz submit (20 items)", "quiz_submit:bench_app()", jobs)]:
            proc, port = serve(target, env)
            try:
                results[name] = load(port, phase_jobs, args.concurrency, args.seconds)
            finally:
                stop(proc)
        _report(results, url.split(":", 1)[0], args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(results: dict, database: str, args) -> None:
    print(f"database: {database}; gunicorn {' '.join(GUNICORN)}; concurrency {args.concurrency}")
    for name, r in results.items():
        print(f"{name:24} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
              f"({r['requests']} ok, {r['failures']} failed)")
    hello, submit = results["hello-world"]["rps"], results["quiz submit (20 items)"]["rps"]
    print(f"ratio submit/hello-world: {submit / hello:.3f}")


if __name__ == "__main__":
    main()
