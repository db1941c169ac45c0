"""Read the content tree, validate it, and compile each module into a publishable payload."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import markdown
from .problems import ContentProblem
from .questions import compile_bank
from .schema import BundlesFile, LessonFrontMatter, ModuleFile
from .vignettes import compile_vignette
from .yamlio import YamlSyntaxError, line_of, load_yaml, plain

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?", re.DOTALL)


@dataclass
class ContentTree:
    """The outcome of reading a tree: compiled modules and bundles, and every problem found."""

    modules: dict[str, dict[str, Any]] = field(default_factory=dict)
    bundles: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"modules": 0, "lessons": 0, "vignettes": 0, "questions": 0}
    )

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, so the tree may be published."""
        return not self.problems

    def summary(self) -> dict[str, Any]:
        """Counts and problems as plain data (for `content validate --json`)."""
        return {**self.counts, "errors": [str(p) for p in sorted(self.problems)]}


class _Reader:
    """Reads files relative to the content root and records problems as it goes."""

    def __init__(self, root: Path, tree: ContentTree):
        self.root = root
        self.tree = tree

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def problem(self, path: Path | str, line: int, message: str) -> None:
        rel = path if isinstance(path, str) else self.rel(path)
        self.tree.problems.append(ContentProblem(rel, line, message))

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(path, 1, "file not found")
        except UnicodeDecodeError:
            self.problem(path, 1, "file is not valid UTF-8")
        return None

    def read_yaml(self, path: Path, expect=dict) -> Any:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = load_yaml(text)
        except YamlSyntaxError as error:
            self.problem(path, error.line, error.message)
            return None
        if not isinstance(data, expect):
            self.problem(path, 1, f"expected a YAML {'mapping' if expect is dict else 'list'} at the top")
            return None
        return data

    def validate(self, path: Path, data: Any, schema: type[BaseModel], offset_loc=()) -> Any:
        try:
            return schema.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                loc = tuple(offset_loc) + tuple(item["loc"])
                where = ".".join(str(p) for p in item["loc"]) or "document"
                self.problem(path, line_of(data, loc), f"{where}: {_pydantic_message(item)}")
            return None


def _pydantic_message(item: dict[str, Any]) -> str:
    if item["type"] == "missing":
        return "required field is missing"
    if item["type"] == "extra_forbidden":
        return "unknown field"
    return item["msg"].removeprefix("Value error, ")


def load_tree(root: Path | str) -> ContentTree:
    """Read modules/ and question_banks/ under root; never stop at the first broken file."""
    root = Path(root)
    tree = ContentTree()
    reader = _Reader(root, tree)
    modules_dir = root / "modules"
    if not modules_dir.is_dir():
        reader.problem("modules", 1, "no modules/ folder")
        return tree
    seen_question_ids: dict[str, str] = {}
    for module_dir in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
        payload = _guarded(reader, module_dir / "module.yaml", _load_module, reader, module_dir, seen_question_ids)
        if payload is not None:
            tree.modules[payload["slug"]] = payload
    _guarded(reader, modules_dir / "bundles.yaml", _load_bundles, reader, modules_dir / "bundles.yaml")
    _check_orphan_banks(reader, root / "question_banks")
    return tree


def _guarded(reader: _Reader, path: Path, load, *args):
    """Run one loader; a check that trips over data nobody foresaw becomes a problem, not a crash."""
    try:
        return load(*args)
    except Exception as error:  # noqa: BLE001 - the validator must report, never raise
        reader.problem(path, 1, f"could not validate this module ({type(error).__name__}: {str(error)[:120]})")
        return None


def _load_module(reader: _Reader, module_dir: Path, seen_ids: dict[str, str]) -> dict | None:
    tree = reader.tree
    path = module_dir / "module.yaml"
    before = len(tree.problems)
    data = reader.read_yaml(path)
    module = reader.validate(path, data, ModuleFile) if data is not None else None
    if module is not None and module.slug != module_dir.name:
        reader.problem(path, line_of(data, ["slug"]), f"slug '{module.slug}' must equal the folder name '{module_dir.name}'")
    objective_ids = _objective_ids(reader, path, data, module)
    lessons = _load_lessons(reader, module_dir, data, module, objective_ids)
    vignettes = _load_vignettes(reader, module_dir, data, module, objective_ids)
    bank_path = reader.root / "question_banks" / f"{module_dir.name}.yaml"
    questions = _load_bank(reader, bank_path, module_dir.name, objective_ids, seen_ids)
    tree.counts["modules"] += 1
    tree.counts["lessons"] += len(lessons)
    tree.counts["vignettes"] += len(vignettes)
    tree.counts["questions"] += len(questions)
    if module is None or len(tree.problems) > before:
        return None
    from .lint import check_blueprint, lint_module

    payload = _module_payload(module, lessons, vignettes, questions)
    check_blueprint(reader, path, data, payload)
    lint_module(reader, module_dir, payload)
    if len(tree.problems) > before:
        return None
    payload["content_hash"] = content_hash(payload)
    return payload


def _objective_ids(reader: _Reader, path: Path, data: Any, module: ModuleFile | None) -> set[str] | None:
    if module is None:
        return None
    ids: set[str] = set()
    for index, objective in enumerate(module.objectives):
        if objective.id in ids:
            reader.problem(path, line_of(data, ["objectives", index, "id"]), f"duplicate objective id '{objective.id}'")
        ids.add(objective.id)
    return ids


def _listed(reader, path, data, module, key) -> list[str]:
    """The ids module.yaml lists under key, reporting duplicates."""
    if module is None:
        return []
    seen: list[str] = []
    for index, item_id in enumerate(getattr(module, key)):
        if item_id in seen:
            reader.problem(path, line_of(data, [key, index]), f"{key[:-1]} '{item_id}' is listed twice")
        else:
            seen.append(item_id)
    return seen


def _listed_files(reader, module_dir: Path, data, module, key: str, suffix: str) -> tuple[dict[str, Path], list[str]]:
    """Files of one kind and the ids module.yaml lists; reports unlisted files and missing ones.

    Returns the files by id, and the ids to load: the listed ones that have a file, or every
    file when module.yaml itself is broken (so its problems hide nothing else).
    """
    kind = key[:-1]
    listed = _listed(reader, module_dir / "module.yaml", data, module, key)
    files = {p.stem: p for p in sorted((module_dir / key).glob(f"*{suffix}"))}
    if module is None:
        return files, list(files)
    for stem, file in files.items():
        if stem not in listed:
            reader.problem(file, 1, f"{kind} '{stem}' is not listed in module.yaml")
    for index, item_id in enumerate(listed):
        if item_id not in files:
            reader.problem(module_dir / "module.yaml", line_of(data, [key, index]),
                           f"{kind} '{item_id}' has no file {key}/{item_id}{suffix}")
    return files, [item_id for item_id in listed if item_id in files]


def _load_lessons(reader, module_dir: Path, data, module, objective_ids) -> list[dict]:
    files, ids = _listed_files(reader, module_dir, data, module, "lessons", ".md")
    lessons = []
    for lesson_id in ids:
        lesson = _load_lesson(reader, files[lesson_id], module_dir.name, set(ids), objective_ids)
        if lesson is not None:
            lessons.append(lesson)
    return lessons


def _load_lesson(reader, path: Path, slug: str, lesson_ids: set[str], objective_ids) -> dict | None:
    text = reader.read_text(path)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        reader.problem(path, 1, "a lesson starts with front matter between '---' lines")
        return None
    try:
        meta = load_yaml(match.group(1), first_line=2)
    except YamlSyntaxError as error:
        reader.problem(path, error.line, error.message)
        return None
    front = reader.validate(path, meta, LessonFrontMatter) if isinstance(meta, dict) else None
    if not isinstance(meta, dict):
        reader.problem(path, 2, "front matter must be a mapping")
    body = text[match.end():]
    body_first_line = text[: match.end()].count("\n") + 1
    ok = front is not None
    if front is not None and objective_ids is not None:
        for index, objective in enumerate(front.objectives):
            if objective not in objective_ids:
                reader.problem(path, line_of(meta, ["objectives", index]), f"unknown objective '{objective}'")
                ok = False
    ok &= _check_links(reader, path, body, body_first_line, lesson_ids)
    if not ok:
        return None
    html = markdown.render(body, lambda href: _lesson_href(slug, href))
    return {
        "id": path.stem, "title": front.title, "objectives": front.objectives,
        "minutes": front.minutes, "html": html, "words": len(markdown.plain_text(html).split()),
        "has_references": bool(re.search(r"^#{2,3}\s+References\s*$", body, re.MULTILINE)),
    }


def _lesson_href(slug: str, href: str) -> str | None:
    if href.startswith("lesson:"):
        return f"/modules/{slug}/lessons/{href.removeprefix('lesson:')}"
    return None


UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data):", re.IGNORECASE)


def _check_links(reader, path: Path, body: str, first_line: int, lesson_ids: set[str]) -> bool:
    ok = True
    for number, text in enumerate(body.splitlines()):
        # markdown-it drops such links silently; the author must hear about them.
        if UNSAFE_LINK.search(text):
            reader.problem(path, first_line + number, "link with a forbidden scheme (javascript:, vbscript: or data:)")
            ok = False
    for target, line in markdown.link_targets(body):
        where = first_line + line
        if target.startswith("lesson:"):
            if target.removeprefix("lesson:") not in lesson_ids:
                reader.problem(path, where, f"link to missing lesson '{target.removeprefix('lesson:')}'")
                ok = False
        elif not re.match(r"^(https?:|mailto:|#)", target):
            exists = (path.parent / target.split("#")[0]).exists() if target else False
            hint = "links to files are not served" if exists else "links to a missing file"
            reader.problem(path, where, f"'{target}' {hint}; use lesson:<id> or an https:// URL")
            ok = False
    return ok


def _load_vignettes(reader, module_dir: Path, data, module, objective_ids) -> list[dict]:
    files, ids = _listed_files(reader, module_dir, data, module, "vignettes", ".yaml")
    vignettes = []
    for vignette_id in ids:
        raw = reader.read_yaml(files[vignette_id])
        if raw is None:
            continue
        compiled, problems = compile_vignette(raw, vignette_id, objective_ids)
        for loc, message in problems:
            reader.problem(files[vignette_id], line_of(raw, loc), message)
        if not problems:
            vignettes.append(compiled)
    return vignettes


def _load_bank(reader, path: Path, slug: str, objective_ids, seen_ids: dict[str, str]) -> list[dict]:
    if not path.exists():
        reader.problem(path.relative_to(reader.root).as_posix(), 1, f"module '{slug}' has no question bank")
        return []
    raw = reader.read_yaml(path)
    if raw is None:
        return []
    if raw.get("module") != slug:
        reader.problem(path, line_of(raw, ["module"]), f"'module' must be '{slug}'")
    questions, problems = compile_bank(raw, objective_ids)
    for loc, message in problems:
        reader.problem(path, line_of(raw, loc), message)
    listed = raw.get("questions")
    for index, question in enumerate(listed if isinstance(listed, list) else []):
        qid = question.get("id") if isinstance(question, dict) else None
        if isinstance(qid, str) and seen_ids.get(qid, slug) != slug:  # same bank: compile_bank reports it
            reader.problem(path, line_of(raw, ["questions", index, "id"]),
                           f"question id '{qid}' is also used in the bank of '{seen_ids[qid]}'")
        elif isinstance(qid, str):
            seen_ids[qid] = slug
    return questions


def _module_payload(module: ModuleFile, lessons, vignettes, questions) -> dict[str, Any]:
    data = plain(module.model_dump(mode="json"))
    data.update(lessons=lessons, vignettes=vignettes, questions=questions)
    data["summary_html"] = markdown.render(module.summary)
    return data


def _load_bundles(reader: _Reader, path: Path) -> None:
    if not path.exists():
        return
    raw = reader.read_yaml(path)
    bundles = reader.validate(path, raw, BundlesFile) if raw is not None else None
    if bundles is None:
        return
    for index, bundle in enumerate(bundles.bundles):
        for m_index, slug in enumerate(bundle.modules):
            if not (reader.root / "modules" / slug / "module.yaml").exists():
                reader.problem(path, line_of(raw, ["bundles", index, "modules", m_index]), f"unknown module '{slug}'")
        payload = plain(bundle.model_dump(mode="json"))
        payload["summary_html"] = markdown.render(bundle.summary)
        payload["content_hash"] = content_hash(payload)
        reader.tree.bundles[bundle.slug] = payload


def _check_orphan_banks(reader: _Reader, banks_dir: Path) -> None:
    for bank in sorted(banks_dir.glob("*.yaml")) if banks_dir.is_dir() else []:
        if not (reader.root / "modules" / bank.stem / "module.yaml").exists():
            reader.problem(bank, 1, f"question bank for unknown module '{bank.stem}'")


def content_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a compiled payload (its hash field excluded)."""
    body = {k: v for k, v in payload.items() if k != "content_hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
