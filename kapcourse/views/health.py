"""Liveness and readiness: /healthz checks the database."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report ok when the database answers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
