"""Map the LTI role vocabulary to kapcourse roles; custom parameters are never consulted."""
from __future__ import annotations

from collections.abc import Iterable

_PREFIXES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#",
)
_CONTEXT_AUTHOR = {"Instructor", "ContentDeveloper"}
_ADMIN = {"Administrator", "SysAdmin"}


def _short(role: str) -> tuple[str, str]:
    """(vocabulary, short name); a sub-role like membership/Instructor#TeachingAssistant is dropped."""
    for prefix in _PREFIXES:
        if role.startswith(prefix):
            return prefix.rsplit("/", 1)[-1].rstrip("#"), role[len(prefix):]
    return "", ""


def map_roles(roles: Iterable[object]) -> dict[str, bool]:
    """{'author': …, 'admin': …} from LTI role URIs; unknown or non-string values are ignored."""
    author = admin = False
    for role in roles:
        if not isinstance(role, str):
            continue
        vocabulary, name = _short(role)
        if vocabulary == "membership" and name in _CONTEXT_AUTHOR:
            author = True
        if name in _ADMIN and vocabulary in ("membership", "person"):
            admin = True
    return {"author": author, "admin": admin}


def context_role(roles: Iterable[object]) -> str:
    """'admin', 'author' or 'learner' for the launch's context."""
    mapped = map_roles(roles)
    if mapped["admin"]:
        return "admin"
    return "author" if mapped["author"] else "learner"
