"""Fixed-window rate limiting, counted in the database so every app server agrees."""
from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import RateLimitHit


def hit(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one use of key; return True while the key is within its limit for this window.

    Runs in its own short transaction so a blocked request still leaves its count behind.
    """
    current = int((now if now is not None else time.time()) // window_seconds)
    for _ in range(3):  # two servers may create the same window row at once; retry the loser
        try:
            row = db.session.get(RateLimitHit, (key, current), with_for_update=True)
            if row is None:
                row = RateLimitHit(key=key, window=current, count=0)
                db.session.add(row)
            row.count += 1
            allowed = row.count <= limit
            db.session.commit()
            return allowed
        except IntegrityError:
            db.session.rollback()
    return False


def is_limited(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """True when key has already used its limit in this window (does not count a use)."""
    current = int((now if now is not None else time.time()) // window_seconds)
    count = db.session.scalar(
        select(RateLimitHit.count).where(RateLimitHit.key == key, RateLimitHit.window == current)
    )
    return (count or 0) >= limit


def reset(key: str) -> None:
    """Forget every window of key (after a successful login)."""
    db.session.query(RateLimitHit).filter(RateLimitHit.key == key).delete()
    db.session.commit()
