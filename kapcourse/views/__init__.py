"""Blueprints, one per area; add a module name to BLUEPRINTS to register its `bp`."""
from __future__ import annotations

from importlib import import_module

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

BLUEPRINTS = [
    "health",
    "catalogue",
    "lessons",
    "auth",
    "me",
    "certificates",
    "certificate_admin",
    "vignettes",
    "quiz",
    "lti",
    "author",
]


def register_blueprints(app: Flask) -> None:
    """Import each blueprint module and register its `bp`; install the error pages."""
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"{__name__}.{name}").bp)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    return render_template("errors/error.html", code=code, error=error), code


def _csrf_error(error: CSRFError):
    return render_template("errors/error.html", code=400, error=error, csrf=True), 400
