"""A content problem, printed as `path:line: message`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One thing wrong with one file, at one line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
