"""In-transaction domain events: a service publishes, subscribers add rows before the commit."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    """Call handler(**payload) whenever event is published; registering twice is a no-op."""
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    """Run every subscriber inside the caller's transaction (the caller commits)."""
    for handler in list(_subscribers[event]):
        handler(**payload)
