"""Certificate eligibility: which completion requirements a learner has met, by name.

Pure functions over plain values. The service layer gathers the learner's progress into a
`ProgressSnapshot`; this module decides, and names every requirement still missing so the
module page can show each one with its state.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Stable keys: templates and tests refer to requirements by these.
PROFILE = "profile"
LESSONS = "lessons"
VIGNETTES = "vignettes"
VIGNETTE_SCORES = "vignette_scores"
QUIZ = "quiz"
EVALUATION = "evaluation"
TIME_ON_TASK = "time_on_task"
MODULE_CERTIFICATES = "module_certificates"


@dataclass(frozen=True)
class CompletionRules:
    """What a module asks of a learner before a certificate, from its published version."""

    lesson_ids: tuple[str, ...]
    vignette_ids: tuple[str, ...] = ()
    vignette_min_score: float | None = None
    min_minutes: float | None = None

    @classmethod
    def from_payload(cls, payload: Mapping) -> "CompletionRules":
        """Rules from a compiled module payload (lessons, vignettes, completion settings)."""
        completion = payload.get("completion") or {}
        return cls(
            lesson_ids=tuple(_ids(payload.get("lessons", ()))),
            vignette_ids=tuple(_ids(payload.get("vignettes", ()))),
            vignette_min_score=completion.get("vignette_min_score"),
            min_minutes=completion.get("min_minutes"),
        )


def _ids(items: Iterable) -> Iterable[str]:
    """Ids from a list of ids or of dicts carrying an `id`."""
    for item in items:
        yield item["id"] if isinstance(item, Mapping) else str(item)


@dataclass(frozen=True)
class ProgressSnapshot:
    """What a learner has done on one module version, gathered by the service layer."""

    lessons_completed: frozenset[str] = frozenset()
    vignettes_completed: frozenset[str] = frozenset()
    vignette_scores: Mapping[str, float] = field(default_factory=dict)
    quiz_passed: bool = False
    evaluation_submitted: bool = False
    minutes_on_task: float | None = None
    profile_complete: bool = False


@dataclass(frozen=True)
class Requirement:
    """One named requirement and whether it is met; `detail` says how far along it is."""

    key: str
    label: str
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Eligibility:
    """Every requirement with its state; eligible when none is missing."""

    requirements: tuple[Requirement, ...]

    @property
    def eligible(self) -> bool:
        """True when every requirement is met."""
        return all(r.met for r in self.requirements)

    @property
    def missing(self) -> tuple[Requirement, ...]:
        """The requirements not yet met, in display order."""
        return tuple(r for r in self.requirements if not r.met)

    @property
    def missing_keys(self) -> tuple[str, ...]:
        """Keys of the requirements not yet met."""
        return tuple(r.key for r in self.missing)


def module_eligibility(rules: CompletionRules, progress: ProgressSnapshot) -> Eligibility:
    """Decide whether a learner may receive the module certificate, naming each requirement."""
    reqs = [_lessons(rules, progress)]
    if rules.vignette_ids:
        reqs.append(_vignettes(rules, progress))
        if rules.vignette_min_score is not None:
            reqs.append(_vignette_scores(rules, progress))
    reqs.append(Requirement(QUIZ, "Pass the quiz", progress.quiz_passed,
                            "Passed" if progress.quiz_passed else "Not passed yet"))
    reqs.append(Requirement(EVALUATION, "Submit the course evaluation",
                            progress.evaluation_submitted,
                            "Submitted" if progress.evaluation_submitted else "Not submitted"))
    if rules.min_minutes:
        reqs.append(_time_on_task(rules.min_minutes, progress.minutes_on_task))
    reqs.append(Requirement(PROFILE, "Add your full name to your profile",
                            progress.profile_complete,
                            "Done" if progress.profile_complete else "Full name missing"))
    return Eligibility(tuple(reqs))


def _lessons(rules: CompletionRules, progress: ProgressSnapshot) -> Requirement:
    done = sum(1 for lid in rules.lesson_ids if lid in progress.lessons_completed)
    total = len(rules.lesson_ids)
    return Requirement(LESSONS, "Complete every lesson", done == total,
                       f"{done} of {total} lessons completed")


def _vignettes(rules: CompletionRules, progress: ProgressSnapshot) -> Requirement:
    done = sum(1 for vid in rules.vignette_ids if vid in progress.vignettes_completed)
    total = len(rules.vignette_ids)
    return Requirement(VIGNETTES, "Finish every case vignette", done == total,
                       f"{done} of {total} case vignettes finished")


def _vignette_scores(rules: CompletionRules, progress: ProgressSnapshot) -> Requirement:
    floor = float(rules.vignette_min_score or 0)
    below = [vid for vid in rules.vignette_ids
             if progress.vignette_scores.get(vid) is None
             or progress.vignette_scores[vid] < floor]
    detail = (f"All case vignettes scored at least {floor:g}" if not below
              else f"{len(below)} case vignette(s) below {floor:g}")
    return Requirement(VIGNETTE_SCORES, f"Score at least {floor:g} on every case vignette",
                       not below, detail)


def _time_on_task(minimum: float, minutes: float | None) -> Requirement:
    spent = minutes or 0.0
    return Requirement(TIME_ON_TASK, f"Spend at least {minimum:g} minutes on the module",
                       spent >= minimum, f"{spent:.0f} of {minimum:g} minutes")


def bundle_eligibility(module_titles: Mapping[str, str],
                       certified_slugs: Iterable[str]) -> Eligibility:
    """A bundle is eligible when each of its modules has a valid certificate.

    `module_titles` maps each module slug of the bundle to its title, in bundle order.
    """
    certified = set(certified_slugs)
    reqs = tuple(
        Requirement(f"{MODULE_CERTIFICATES}:{slug}", f"Certificate for {title}",
                    slug in certified, "Issued" if slug in certified else "Not yet issued")
        for slug, title in module_titles.items()
    )
    return Eligibility(reqs)
