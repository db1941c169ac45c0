"""Content pipeline timings: publish all shipped content, validate a generated 10,000-question bank.

    .venv/bin/python bench/content.py [--questions 10000] [--profile]

Targets: publishing the shipped content into an empty database < 2 s; loading and validating a tree whose
question bank has 10,000 questions (every question type, from the test fixture bank) < 10 s.
"""
from __future__ import annotations

import argparse
import copy
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from harness import ROOT  # noqa: E402
from kapsetup import FIXTURE_CONTENT  # noqa: E402

PUBLISH_TARGET_S = 2.0
VALIDATE_TARGET_S = 10.0


def time_publish(workdir: Path) -> tuple[float, str]:
    """Seconds to validate and publish the shipped content into an empty SQLite database."""
    from kapcourse import create_app
    from kapcourse.extensions import db
    from kapcourse.services.publishing import publish_tree

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'publish.db'}", "SECRET_KEY": "bench",
                      "INSTANCE_PATH": str(workdir / "instance")})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        result = publish_tree(ROOT)
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    counts = ", ".join(f"{v} {k}" for k, v in result.tree.counts.items())
    status = f"published {len(result.published)} ({counts})" if result.tree.ok else \
        f"NOT published: {len(result.tree.problems)} problems, first: {result.tree.problems[0]}"
    return elapsed, status


def big_tree(workdir: Path, count: int) -> Path:
    """The fixture tree with its alpha bank grown to `count` questions (copies of each type, unique ids)."""
    root = workdir / "big"
    shutil.copytree(FIXTURE_CONTENT, root)
    bank_path = root / "question_banks" / "alpha-module.yaml"
    bank = yaml.safe_load(bank_path.read_text())
    templates = bank["questions"]
    questions = []
    for n in range(count):
        q = copy.deepcopy(templates[n % len(templates)])
        q["id"] = f"{q['id']}-{n}"
        q["stem"] = f"{q['stem']} (Variant {n}.)"  # distinct text, as in a real bank
        questions.append(q)
    bank["questions"] = questions
    bank_path.write_text(yaml.safe_dump(bank, sort_keys=False, width=200))
    return root


def time_validate(root: Path, profile: bool) -> tuple[float, str]:
    """Seconds to load and validate the tree."""
    from kapcourse.content.tree import load_tree

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    tree = load_tree(root)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    status = f"valid, {tree.counts.get('questions')} questions" if tree.ok else \
        f"{len(tree.problems)} problems, first: {tree.problems[0]}"
    return elapsed, status


def main() -> int:
    """Run both timings and report against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the validation")
    args = parser.parse_args()
    print(f"content benchmark: {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="kapcourse-bench-content-") as tmp:
        work = Path(tmp)
        publish_s, publish_status = time_publish(work)
        print(f"publish shipped content: {publish_s:.2f} s (target < {PUBLISH_TARGET_S} s): {publish_status}")
        root = big_tree(work, args.questions)
        validate_s, validate_status = time_validate(root, args.profile)
        print(f"validate {args.questions}-question bank: {validate_s:.2f} s (target < {VALIDATE_TARGET_S} s): "
              f"{validate_status}")
    met = publish_s < PUBLISH_TARGET_S and validate_s < VALIDATE_TARGET_S
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
