"""Load test: simulated learners against gunicorn on 127.0.0.1, then a client-vs-database reconciliation.

    .venv/bin/python bench/load.py [--learners 200] [--seconds 60] [--db sqlite,postgres] [--max-journeys 2000]

Each learner (one thread, its own cookies) repeats a journey until the time is up: sign up, enrol, read
every lesson, play a vignette (start, then continue/choose up to 4 moves), start the quiz, autosave answers
three times (JSON, like the autosave script) and submit. At the end the database is compared with what the
clients were told: every acknowledged autosave is stored (the last value sent, one row per question) and
every acknowledged submit is one graded attempt, no attempt twice. Targets: 0 errors, 0 lost or duplicated
records, p99 < 250 ms. Traffic goes only to 127.0.0.1; the run is bounded by --seconds and --max-journeys.
"""
from __future__ import annotations

import argparse
import random
import http.client
import itertools
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import GUNICORN_CONFIG, Gunicorn, percentile  # noqa: E402
from kapsetup import PrivatePostgres, content_root, prepare  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CHOICE = re.compile(r'type="radio" name="q(\d+)\.choice"[^>]*value="([^"]+)"')
P99_TARGET_MS = 250.0
PASSWORD = "load test password"


class Browser:
    """One learner's keep-alive connection and session cookie; records latency per request kind."""

    def __init__(self, port: int, stats: "Stats", think: float = 0.0):
        self.port, self.stats, self.cookie, self.think = port, stats, "", think
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.rng = random.Random()

    def send(self, kind: str, method: str, path: str, form: dict | None = None, accept: str = "text/html"):
        """One request after the learner's think time; returns (status, body text, Location path)."""
        if self.think:
            # Reading and deciding between pages; not counted in the latency.
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)
        headers = {"Accept": accept, "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.stats.error(kind, f"{type(error).__name__}: {error}")
            return 0, "", ""
        self.stats.latency(kind, (time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        location = urlsplit(response.getheader("Location") or "").path
        if response.status >= 500 or response.status in (400, 403, 404):
            self.stats.error(kind, f"{method} {path} -> {response.status}")
        return response.status, text, location


class Stats:
    """Latencies, errors and what the server acknowledged, shared by every learner thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.autosaved: dict[tuple[int, int], str] = {}  # (attempt, position) -> last value acknowledged
        self.submitted: list[int] = []
        self.started_attempts: dict[str, set[int]] = defaultdict(set)
        self.journeys = 0

    def latency(self, kind: str, ms: float) -> None:
        with self.lock:
            self.latencies[kind].append(ms)

    def error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {message}")


def journey(browser: Browser, stats: Stats, email: str, slug: str, lessons: list[str], vignette: str | None) -> None:
    """One learner's visit, from sign-up to a submitted quiz."""
    status, page, _ = browser.send("register_form", "GET", "/register")
    token = TOKEN.search(page).group(1) if TOKEN.search(page) else ""
    status, _, _ = browser.send("register", "POST", "/register", {
        "csrf_token": token, "email": email, "password": PASSWORD, "confirm": PASSWORD, "full_name": "Load Learner"})
    if status != 302:
        return stats.error("register", f"status {status}")
    browser.send("enrol", "POST", f"/modules/{slug}/enrol", {"csrf_token": token})
    for lesson in lessons:
        browser.send("lesson", "GET", f"/modules/{slug}/lessons/{lesson}")
    if vignette:
        play_vignette(browser, token, slug, vignette)
    take_quiz(browser, stats, token, slug, email)


def play_vignette(browser: Browser, token: str, slug: str, vignette: str) -> None:
    """Start a case and make up to four moves through its forms."""
    _, _, run_path = browser.send("vignette_start", "POST", f"/modules/{slug}/vignettes/{vignette}/start",
                                  {"csrf_token": token})
    for _ in range(4):
        _, page, _ = browser.send("vignette_page", "GET", run_path)
        fields = dict(re.findall(r'name="(node|position)" value="([^"]*)"', page))
        choice = re.search(r'type="radio" name="choice"[^>]*value="([^"]+)"', page)
        if choice:
            browser.send("vignette_move", "POST", run_path + "/choose", {"csrf_token": token, **fields,
                                                                        "choice": choice.group(1)})
        elif run_path + "/continue" in page:
            browser.send("vignette_move", "POST", run_path + "/continue", {"csrf_token": token, **fields})
        else:
            break


def take_quiz(browser: Browser, stats: Stats, token: str, slug: str, email: str) -> None:
    """Start, autosave three rounds of answers (JSON), submit; record what the server acknowledged."""
    status, _, attempt_path = browser.send("quiz_start", "POST", f"/modules/{slug}/quiz/start", {"csrf_token": token})
    match = re.fullmatch(r"/quiz/attempts/(\d+)", attempt_path)
    if status != 302 or not match:
        return stats.error("quiz_start", f"status {status} location {attempt_path!r}")
    attempt = int(match.group(1))
    with stats.lock:
        stats.started_attempts[email].add(attempt)
    _, page, _ = browser.send("quiz_page", "GET", attempt_path)
    options: dict[int, list[str]] = defaultdict(list)
    for position, value in CHOICE.findall(page):
        options[int(position)].append(value)
    for round_number in range(3):
        answers = {pos: values[(round_number + pos) % len(values)] for pos, values in options.items()}
        form = {"csrf_token": token, **{f"q{p}.present": "1" for p in answers},
                **{f"q{p}.choice": v for p, v in answers.items()}}
        status, body, _ = browser.send("autosave", "POST", attempt_path + "/answers", form, accept="application/json")
        if status == 200:
            saved = json.loads(body).get("saved", [])
            with stats.lock:
                stats.autosaved.update({(attempt, p): answers[p] for p in saved})
    status, _, _ = browser.send("submit", "POST", attempt_path + "/submit", {"csrf_token": token})
    if status == 303:
        with stats.lock:
            stats.submitted.append(attempt)
    browser.send("results", "GET", attempt_path + "/results")


def run_load(port: int, learners: int, seconds: int, max_journeys: int, slug: str, lessons, vignette,
             think: float = 0.0, ramp: float = 0.0) -> Stats:
    """Every learner thread repeats journeys (a new account each) until time or the journey budget ends."""
    stats, stop_at = Stats(), time.monotonic() + seconds
    counter, counter_lock = itertools.count(), threading.Lock()
    stamp = int(time.time())

    def learner(arrival: float) -> None:
        time.sleep(arrival)  # learners arrive spread over the ramp-up, as staff do
        browser = Browser(port, stats, think)
        while time.monotonic() < stop_at:
            with counter_lock:
                n = next(counter)
            if n >= max_journeys:
                return
            browser.cookie = ""
            journey(browser, stats, f"learner{n}-{stamp}@example.org", slug, lessons, vignette)
            with stats.lock:
                stats.journeys += 1
        browser.conn.close()

    threads = [threading.Thread(target=learner, args=(ramp * i / learners,), daemon=True) for i in range(learners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return stats


def reconcile(instance, stats: Stats) -> dict[str, int]:
    """Compare what the clients were told with what the database holds."""
    from sqlalchemy import func, select

    from kapcourse import create_app
    from kapcourse.extensions import db
    from kapcourse.models import AttemptItem, QuizAttempt, User

    app = create_app(instance.config())
    with app.app_context():
        rows = db.session.execute(select(AttemptItem.attempt_id, AttemptItem.position, AttemptItem.response)).all()
        stored: dict[tuple[int, int], list] = defaultdict(list)
        for attempt_id, position, response in rows:
            stored[(attempt_id, position)].append(response)
        lost_answers = sum(1 for key, value in stats.autosaved.items()
                           if len(stored.get(key, [])) != 1 or json.dumps(stored[key][0]).find(value) < 0)
        duplicated_items = sum(1 for values in stored.values() if len(values) > 1)
        status = dict(db.session.execute(select(QuizAttempt.id, QuizAttempt.status)).all())
        lost_submits = sum(1 for a in stats.submitted if status.get(a) != "submitted")
        per_user = db.session.execute(select(User.email, func.count(QuizAttempt.id)).join(
            QuizAttempt, QuizAttempt.user_id == User.id).group_by(User.email)).all()
        duplicated_attempts = sum(1 for email, count in per_user if count > len(stats.started_attempts.get(email, ())))
        db.engine.dispose()
    return {"autosaves acknowledged": len(stats.autosaved), "autosaves lost or wrong": lost_answers,
            "attempt items duplicated": duplicated_items, "submits acknowledged": len(stats.submitted),
            "submits lost": lost_submits, "learners with extra attempts": duplicated_attempts}


def module_route(instance) -> tuple[str, list[str], str | None]:
    """A module with a quiz (and a vignette if any): its slug, lesson ids and first vignette id."""
    from kapcourse import create_app
    from kapcourse.services import content

    with create_app(instance.config()).app_context():
        versions = content.current_module_versions()
        slug = max(sorted(versions), key=lambda s: bool(versions[s].payload.get("vignettes")))
        payload = versions[slug].payload
        vignettes = payload.get("vignettes") or []
        return slug, [lesson["id"] for lesson in payload["lessons"]], vignettes[0]["id"] if vignettes else None


def run_on(database: str, args, work: Path) -> bool:
    """One full run on one database; prints the report and returns whether the targets were met."""
    cluster = PrivatePostgres().start() if database == "postgres" else None
    try:
        url = cluster.create_database("kapcourse_load") if cluster else f"sqlite:///{work / 'load.db'}"
        root, which = content_root()
        instance = prepare(url, root, work / database)
        slug, lessons, vignette = module_route(instance)
        print(f"\n== {database}: {args.learners} learners arriving over {args.ramp} s, {args.seconds} s, "
              f"think {args.think} s, module {slug} ({which})",
              flush=True)
        with Gunicorn("kapcourse:create_app()", instance.env()) as server:
            server.start("/healthz")
            started = time.monotonic()
            stats = run_load(server.port, args.learners, args.seconds, args.max_journeys, slug, lessons, vignette,
                             args.think, min(args.ramp, args.seconds))
            elapsed = time.monotonic() - started
        return report(stats, reconcile(instance, stats), elapsed)
    finally:
        if cluster:
            cluster.cleanup()


def report(stats: Stats, records: dict[str, int], elapsed: float) -> bool:
    """Print latencies per request kind, errors and the reconciliation."""
    every = [ms for values in stats.latencies.values() for ms in values]
    print(f"journeys completed {stats.journeys}, requests {len(every)} in {elapsed:.1f} s "
          f"({len(every) / elapsed:.1f} req/s)")
    for kind, values in sorted(stats.latencies.items()):
        print(f"  {kind:<15} n={len(values):<6} p50 {percentile(values, .5):7.1f} ms   p99 {percentile(values, .99):7.1f} ms")
    p99 = percentile(every, .99)
    print(f"  {'ALL':<15} n={len(every):<6} p50 {percentile(every, .5):7.1f} ms   p99 {p99:7.1f} ms "
          f"(target < {P99_TARGET_MS:.0f} ms)")
    print(f"errors: {len(stats.errors)}" + "".join(f"\n  {e}" for e in stats.errors[:10]))
    for name, value in records.items():
        print(f"{name}: {value}")
    bad = records["autosaves lost or wrong"] + records["attempt items duplicated"] + records["submits lost"] \
        + records["learners with extra attempts"]
    met = not stats.errors and bad == 0 and p99 < P99_TARGET_MS
    print("targets met" if met else "TARGET MISSED" + ("" if bad else " (no record lost or duplicated)"))
    return met


def main() -> int:
    """Parse flags and run on each database asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60, help="load duration per database (max 600)")
    parser.add_argument("--max-journeys", type=int, default=2000, help="upper bound on sign-ups per database")
    parser.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a learner spends between requests (0: no pause, a saturation test)")
    parser.add_argument("--ramp", type=float, default=30.0,
                        help="seconds over which the learners arrive (0: all at once)")
    args = parser.parse_args()
    args.seconds = max(1, min(args.seconds, 600))
    print(f"load test: {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, gunicorn {GUNICORN_CONFIG}")
    results = []
    with tempfile.TemporaryDirectory(prefix="kapcourse-load-") as tmp:
        for database in args.db.split(","):
            (Path(tmp) / database).mkdir()
            results.append(run_on(database.strip(), args, Path(tmp)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
