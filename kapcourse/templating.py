"""Jinja helpers available to every template."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    """Register filters and the context every page needs."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["nice_date"] = nice_date
    app.jinja_env.filters["minutes"] = minutes_label
    app.context_processor(_site_context)


def nice_date(value: date | datetime | str | None) -> str:
    """A date as '22 November 2026' (ISO strings accepted)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def minutes_label(value: int | None) -> str:
    """A duration as '1 h 30 min'."""
    value = int(value or 0)
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def _site_context() -> dict:
    return {
        "organisation_name": current_app.config.get("ORGANISATION_NAME", "kapcourse"),
        "crisis_resources": current_app.config.get("CRISIS_RESOURCES", []),
    }
