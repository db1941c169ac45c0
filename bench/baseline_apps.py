"""Baselines for bench/lesson.py: a bare Flask hello-world, and Flask + Flask-SQLAlchemy + a 16 KB Jinja page.

Served by gunicorn as `baseline_apps:hello_app` and `baseline_apps:orm_app()` (bench/ on PYTHONPATH);
the ORM app's SQLite file comes from BENCH_ORM_DB and is filled on first start.
"""
from __future__ import annotations

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

hello_app = Flask("hello")


@hello_app.get("/")
def hello() -> str:
    """The smallest useful response."""
    return "Hello, world!"


class Base(DeclarativeBase):
    """Declarative base of the baseline models."""


db = SQLAlchemy(model_class=Base)


class Person(db.Model):
    """A user row, loaded by primary key like a session user."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Note(db.Model):
    """Rows listed on the page, like a learner's progress rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))


# 16 KB of static markup around a few variables and a loop: the size of a typical lesson page.
_PARAGRAPH = ("<p>Assessment of the patient includes history, examination and a structured review of risk; "
              "document findings clearly and revisit them at every session.</p>\n")
PAGE = ("<!doctype html><html lang=\"en\"><head><title>{{ person.name }}</title></head><body>\n"
        "<header><h1>Hello {{ person.name }}</h1></header><main>\n"
        + _PARAGRAPH * (16 * 1024 // len(_PARAGRAPH))
        + "<ul>{% for note in notes %}<li>{{ note.title }}</li>{% endfor %}</ul></main></body></html>\n")


def orm_app() -> Flask:
    """Flask + Flask-SQLAlchemy (SQLite file) rendering PAGE after two ORM queries."""
    app = Flask("orm")
    app.jinja_loader = DictLoader({"page.html": PAGE})
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.environ["BENCH_ORM_DB"]
    db.init_app(app)
    with app.app_context():
        # Every gunicorn worker runs this at boot; the loser of a race must not fail to boot
        # (gunicorn halts when a worker cannot start).
        try:
            db.create_all()
            if db.session.get(Person, 1) is None:
                db.session.add(Person(id=1, name="Alex Rivera"))
                db.session.add_all(Note(person_id=1, title=f"Note {n}") for n in range(10))
                db.session.commit()
        except (IntegrityError, OperationalError):
            db.session.rollback()

    @app.get("/")
    def page() -> str:
        person = db.session.get(Person, 1)
        notes = db.session.scalars(select(Note).where(Note.person_id == person.id)).all()
        return render_template("page.html", person=person, notes=notes)

    return app
