"""Schemas for module.yaml, lesson front matter and bundles.yaml (pydantic 2)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Identifier = Field(pattern=ID_PATTERN, max_length=64)


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently drop a setting."""

    model_config = ConfigDict(extra="forbid", strict=False)


class Objective(Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=64)
    text: str = Field(min_length=5)


class BlueprintRow(Strict):
    objective: str | None = None
    tag: str | None = None
    count: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _one_selector(self) -> "BlueprintRow":
        if (self.objective is None) == (self.tag is None):
            raise ValueError("a blueprint row names either an objective or a tag")
        return self


class QuizSettings(Strict):
    pass_mark: float = Field(default=80, ge=1, le=100)
    attempt_limit: int | None = Field(default=3, ge=1)
    cooldown_minutes: int = Field(default=0, ge=0)
    time_limit_minutes: int | None = Field(default=None, ge=1)
    shuffle_options: bool = True
    review: Literal["score_only", "incorrect", "full"] = "full"
    rationales_after: Literal["always", "passed_or_final"] = "passed_or_final"
    blueprint: list[BlueprintRow] = Field(min_length=1)


class Completion(Strict):
    vignette_min_score: float | None = None
    min_minutes: int | None = Field(default=None, ge=1)


class ModuleFile(Strict):
    slug: str = Field(pattern=ID_PATTERN, max_length=64)
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10)
    audience: list[str] = Field(min_length=1)
    estimated_minutes: int = Field(ge=1)
    credit_hours: float = Field(ge=0)
    last_reviewed: date
    reviewed_against: list[str] = Field(min_length=1)
    crisis_resources: bool = False
    objectives: list[Objective] = Field(min_length=1)
    lessons: list[str] = Field(min_length=1)
    vignettes: list[str] = Field(default_factory=list)
    completion: Completion = Field(default_factory=Completion)
    quiz: QuizSettings
    references: list[str] = Field(default_factory=list)


class LessonFrontMatter(Strict):
    title: str = Field(min_length=3, max_length=200)
    objectives: list[str] = Field(min_length=1, max_length=6)
    minutes: int = Field(ge=1, le=240)


class Bundle(Strict):
    slug: str = Field(pattern=ID_PATTERN, max_length=64)
    title: str = Field(min_length=3)
    summary: str = Field(min_length=10)
    modules: list[str] = Field(min_length=2)
    credit_hours: float = Field(ge=0)


class BundlesFile(Strict):
    bundles: list[Bundle] = Field(default_factory=list)
