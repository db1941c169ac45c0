"""What the catalogue, module overview and dashboard pages show (read-only queries)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Enrolment, ModuleVersion
from . import content, enrolment as enrolments, progress


@dataclass
class ModuleView:
    """A module as one learner sees it: the version they study and their progress."""

    version: ModuleVersion
    payload: dict[str, Any]
    enrolment: Enrolment | None
    lessons: progress.LessonProgress
    sections: dict[str, Any] = field(default_factory=dict)

    @property
    def steps(self) -> tuple[int, int]:
        """Completed and total steps of the module: lessons, then cases and the quiz when loaded."""
        done, total = self.lessons.done, self.lessons.total
        cases = (self.sections.get("vignettes") or {}).get("vignettes", {})
        done += sum(1 for case in cases.values() if case["status"] == "completed" and case["meets_min_score"])
        total += len(cases)
        quiz = self.sections.get("quiz")
        if quiz is not None:
            done, total = done + bool(quiz["passed"]), total + 1
        return done, total

    @property
    def steps_percent(self) -> int:
        """Share of the module's steps completed, rounded down."""
        done, total = self.steps
        return 100 * done // total if total else 0

    @property
    def resume_lesson_id(self) -> str:
        """The lesson to continue with: the last opened, else the first not completed."""
        ids = [lesson["id"] for lesson in self.payload["lessons"]]
        if self.enrolment and self.enrolment.last_lesson_id in ids:
            last = self.enrolment.last_lesson_id
            if last not in self.lessons.completed:
                return last
        return next((i for i in ids if i not in self.lessons.completed), ids[0])


def catalogue() -> tuple[list[ModuleVersion], list]:
    """Published modules in a stable order, and bundles."""
    modules = sorted(content.current_module_versions().values(), key=lambda v: v.slug)
    return modules, list(content.current_bundles().values())


def module_view(user_id: int | None, slug: str, with_sections: bool = False) -> ModuleView | None:
    """The module as this user sees it (their pinned version when enrolled), or None.

    Only the module overview page shows the quiz, case and certificate sections, so only it
    asks for them (with_sections=True); other pages skip their queries.
    """
    enrolment, version = _enrolment_and_version(user_id, slug) if user_id else (None, None)
    if enrolment is None:
        version = content.current_module_version(slug)
    if version is None:
        return None
    payload = content.module_payload(version.id)
    lesson_ids = [lesson["id"] for lesson in payload["lessons"]]
    done = progress.lesson_progress(user_id, version.id, lesson_ids) if enrolment else progress.LessonProgress(frozenset(), len(lesson_ids))
    view = ModuleView(version=version, payload=payload, enrolment=enrolment, lessons=done)
    if enrolment is not None and with_sections:
        view.sections.update(_overview_sections(user_id, version))
    return view


def _overview_sections(user_id: int, version: ModuleVersion) -> dict[str, Any]:
    """What the quiz, case and certificate sections of the module page show for this learner."""
    # Imported here: those services build on this one (enrolled versions, progress).
    from ..models import User
    from .certificates import module_panel
    from .quiz import quiz_status
    from .vignettes import vignette_status

    sections = {"quiz": quiz_status(user_id, version.id), "vignettes": vignette_status(user_id, version.id)}
    sections["certificate"] = module_panel(db.session.get(User, user_id), version, known=sections)
    return sections


def _enrolment_and_version(user_id: int, slug: str) -> tuple[Enrolment | None, ModuleVersion | None]:
    """The enrolment and its pinned version in one query; the payload column stays unloaded
    (it is large, and the in-process cache serves it by version id)."""
    row = db.session.execute(
        select(Enrolment, ModuleVersion).join(ModuleVersion, ModuleVersion.id == Enrolment.module_version_id)
        .where(Enrolment.user_id == user_id, Enrolment.module_slug == slug)
        .options(defer(ModuleVersion.payload))
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def dashboard(user_id: int) -> list[ModuleView]:
    """Every module the learner is enrolled in, with progress."""
    views = [module_view(user_id, e.module_slug) for e in enrolments.enrolments_of(user_id)]  # no sections
    return [v for v in views if v is not None]
