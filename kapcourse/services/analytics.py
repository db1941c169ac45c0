"""Author analytics: how published modules, quiz items and case decisions perform (read-only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from ..domain import statistics
from ..extensions import db
from ..models import AttemptItem, Enrolment, ModuleVersion, QuizAttempt
from ..models.quiz import ITEM_SCALE, PERCENT_SCALE, SUBMITTED
from . import content, vignettes


@dataclass
class VersionRow:
    """Enrolment and quiz outcomes of one module version."""

    version: int
    newest: bool
    enrolled: int
    submitted: int
    passed: int
    mean_score: float | None

    @property
    def pass_rate(self) -> float | None:
        """Passed attempts as a percentage of submitted attempts."""
        return statistics.percentage(self.passed, self.submitted)


@dataclass
class ModuleRow:
    """A published module with its versions worth showing and its cases."""

    slug: str
    title: str
    versions: list[VersionRow]
    cases: list[dict[str, str]]


@dataclass
class ObjectiveGroup:
    """The item statistics of one learning objective."""

    id: str
    text: str
    items: list[statistics.ItemStats] = field(default_factory=list)


def _versions() -> list[tuple[int, str, int, str]]:
    rows = db.session.execute(select(ModuleVersion.id, ModuleVersion.slug, ModuleVersion.version,
                                     ModuleVersion.title).order_by(ModuleVersion.slug, ModuleVersion.version))
    return [tuple(row) for row in rows]


def _enrolled_by_version() -> dict[int, int]:
    rows = db.session.execute(select(Enrolment.module_version_id, func.count(func.distinct(Enrolment.user_id)))
                              .group_by(Enrolment.module_version_id))
    return dict(rows.all())


def _attempts_by_version() -> dict[int, tuple[int, int, float | None]]:
    passed = func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(QuizAttempt.module_version_id, func.count(), passed, func.avg(QuizAttempt.score_hundredths))
        .where(QuizAttempt.status == SUBMITTED).group_by(QuizAttempt.module_version_id))
    return {vid: (count, int(passes or 0), None if avg is None else float(avg) / PERCENT_SCALE)
            for vid, count, passes, avg in rows}


def overview() -> list[ModuleRow]:
    """Every published module: its newest version and any version with attempts or enrolments."""
    enrolled, attempts = _enrolled_by_version(), _attempts_by_version()
    versions = _versions()
    newest = {row[1]: row for row in versions}  # ordered by version, so the last one wins
    modules: dict[str, ModuleRow] = {}
    for vid, slug, number, _title in versions:
        is_newest = newest[slug][0] == vid
        if not (is_newest or vid in attempts or vid in enrolled):
            continue
        submitted, passed, mean_score = attempts.get(vid, (0, 0, None))
        module = modules.setdefault(slug, ModuleRow(slug, newest[slug][3], [], _cases(newest[slug][0])))
        module.versions.append(VersionRow(number, is_newest, enrolled.get(vid, 0), submitted, passed, mean_score))
    for module in modules.values():
        module.versions.sort(key=lambda v: v.version, reverse=True)
    return sorted(modules.values(), key=lambda m: m.title)


def _cases(version_id: int) -> list[dict[str, str]]:
    return [{"id": v["id"], "title": v["title"]} for v in content.module_payload(version_id).get("vignettes", [])]


def _version_ids(slug: str) -> list[int]:
    return list(db.session.scalars(select(ModuleVersion.id).where(ModuleVersion.slug == slug)
                                   .order_by(ModuleVersion.version.desc())))


def item_report(slug: str) -> dict[str, Any] | None:
    """Per-question statistics over every submitted attempt at any version of a module, by objective."""
    version_ids = _version_ids(slug)
    if not version_ids:
        return None
    rows = db.session.execute(
        select(AttemptItem.question_id, AttemptItem.objective, AttemptItem.score_millionths,
               AttemptItem.response, QuizAttempt.score_hundredths)
        .join(QuizAttempt, AttemptItem.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.module_slug == slug, QuizAttempt.status == SUBMITTED))
    stats = statistics.item_statistics(
        (qid, objective, (score or 0) / ITEM_SCALE, response is not None, (total or 0) / PERCENT_SCALE)
        for qid, objective, score, response, total in rows)
    payloads = [content.module_payload(vid) for vid in version_ids]  # newest first
    return {"title": payloads[0]["title"], "slug": slug, "groups": _by_objective(stats, payloads),
            "stems": _stems(payloads), "minimum": statistics.MIN_RESPONSES_FOR_DISCRIMINATION}


def _by_objective(stats: list[statistics.ItemStats], payloads: list[dict[str, Any]]) -> list[ObjectiveGroup]:
    groups: dict[str, ObjectiveGroup] = {}
    for payload in payloads:  # newest first: its objective order and texts win
        for objective in payload.get("objectives", []):
            groups.setdefault(objective["id"], ObjectiveGroup(objective["id"], objective["text"]))
    for item in stats:
        groups.setdefault(item.objective, ObjectiveGroup(item.objective, item.objective)).items.append(item)
    return [group for group in groups.values() if group.items]


def _stems(payloads: list[dict[str, Any]]) -> dict[str, str]:
    stems: dict[str, str] = {}
    for payload in payloads:
        for question in payload.get("questions", []):
            stems.setdefault(question["id"], question.get("stem", ""))
    return stems


def case_report(slug: str, vignette_id: str) -> dict[str, Any] | None:
    """Choice counts and shares per decision node of a case, summed over the module's versions."""
    definition, counts, version_ids = None, {}, _version_ids(slug)
    for vid in version_ids:  # one grouped query per version, newest first
        found = vignettes.vignette_definition(vid, vignette_id)
        if found is None:
            continue
        definition = definition or found
        for node_id, choices in vignettes.choice_distribution(vid, vignette_id).items():
            for choice_id, count in choices.items():
                counts.setdefault(node_id, {}).setdefault(choice_id, 0)
                counts[node_id][choice_id] += count
    if definition is None:
        return None
    return {"slug": slug, "module_title": content.module_payload(version_ids[0])["title"],
            "vignette": definition, "nodes": _decision_rows(definition, counts)}


def _decision_rows(definition: dict[str, Any], counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    nodes = []
    for node_id, node in definition["nodes"].items():
        if node["type"] != "decision":
            continue
        taken = counts.get(node_id, {})
        total = sum(taken.values())
        known = {c["id"] for c in node["choices"]}
        choices = [{"id": c["id"], "text": c["text"], "unsafe": bool(c.get("unsafe")), "expert": bool(c.get("expert")),
                    "count": taken.get(c["id"], 0), "percent": statistics.percentage(taken.get(c["id"], 0), total)}
                   for c in node["choices"]]
        # Choices an older version offered that the newest no longer does.
        choices += [{"id": cid, "text": f"(retired choice {cid})", "unsafe": False, "expert": False,
                     "count": n, "percent": statistics.percentage(n, total)}
                    for cid, n in sorted(taken.items()) if cid not in known]
        nodes.append({"id": node_id, "title": node.get("title", node_id), "total": total, "choices": choices})
    return nodes
