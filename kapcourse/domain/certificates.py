"""Certificate codes, status, and the rules for superseding and revoking certificates.

Pure Python: the clock and the random source come in as parameters.
"""
from __future__ import annotations

import enum
import math
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

# No 0/O, 1/I/L, U/V or 2/Z confusion: people read codes off paper and type them. The size
# must be even for the Luhn mod N check character to catch every single-character typo.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXY"
PREFIX = "KAP"
GROUPS = 5
GROUP_SIZE = 4
BODY_LENGTH = GROUPS * GROUP_SIZE  # the last character is a check character
RANDOM_LENGTH = BODY_LENGTH - 1
RANDOM_BITS = RANDOM_LENGTH * math.log2(len(ALPHABET))
MAX_REASON_LENGTH = 500


class CertificateError(ValueError):
    """A rule about certificates was broken; the message says which."""


class Status(str, enum.Enum):
    """Where a certificate stands: still valid, replaced by a newer one, or withdrawn."""

    VALID = "valid"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


def _check_character(body: str) -> str:
    """Luhn mod N check character: catches every single-character typo and most swaps."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def _format(body: str) -> str:
    groups = [body[i:i + GROUP_SIZE] for i in range(0, len(body), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])


def generate_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A new random code such as `KAP-5CJJ-PY59...`: 19 random characters plus a check."""
    body = "".join(choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return _format(body + _check_character(body))


def normalise_code(typed: str) -> str | None:
    """The canonical form of a user-typed code, or None when it cannot be a valid code.

    Accepts lower case, spaces, missing or extra hyphens, and a missing `KAP` prefix.
    """
    compact = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n")
    if len(compact) == BODY_LENGTH + len(PREFIX) and compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    if len(compact) != BODY_LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    if _check_character(compact[:-1]) != compact[-1]:
        return None
    return _format(compact)


def status_of(revoked_at: datetime | None, superseded_by_id: int | None) -> Status:
    """A certificate's status from its stored fields; revocation wins over superseding."""
    if revoked_at is not None:
        return Status.REVOKED
    if superseded_by_id is not None:
        return Status.SUPERSEDED
    return Status.VALID


@dataclass(frozen=True)
class Held:
    """A certificate the learner already holds for the same module or bundle."""

    id: int
    version_id: int
    status: Status


@dataclass(frozen=True)
class IssueDecision:
    """What to do when a learner is eligible: issue (superseding some) or keep one held."""

    issue: bool
    existing_id: int | None = None
    supersede_ids: tuple[int, ...] = ()
    reason: str = ""


def decide_issue(held: Sequence[Held], version_id: int) -> IssueDecision:
    """Decide whether an eligible learner gets a new certificate for `version_id`.

    One valid certificate per version: asking again returns it. A revoked certificate for
    the same version blocks re-issue (the revocation would otherwise be undone at once);
    completing a newer version issues a new certificate that supersedes the valid ones.
    """
    same = [h for h in held if h.version_id == version_id]
    for h in same:
        if h.status is Status.VALID:
            return IssueDecision(False, existing_id=h.id, reason="already issued")
    if any(h.status is Status.REVOKED for h in same):
        return IssueDecision(False, reason="revoked for this version")
    older_valid = tuple(h.id for h in held if h.status is Status.VALID)
    return IssueDecision(True, supersede_ids=older_valid)


def check_supersede(old_status: Status, old_subject: str, new_subject: str,
                    old_user_id: int, new_user_id: int) -> None:
    """Raise unless a valid certificate is replaced by one for the same learner and subject."""
    if old_status is not Status.VALID:
        raise CertificateError(f"only a valid certificate can be superseded, not {old_status.value}")
    if old_subject != new_subject or old_user_id != new_user_id:
        raise CertificateError("a certificate is superseded only by the same learner's "
                               "certificate for the same module or bundle")


@dataclass(frozen=True)
class Revocation:
    """When and why a certificate was revoked."""

    revoked_at: datetime
    reason: str


def revoke(status: Status, reason: str, now: datetime) -> Revocation:
    """Check a revocation request and return what to record; raise if it is not allowed."""
    if status is Status.REVOKED:
        raise CertificateError("the certificate is already revoked")
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise CertificateError("a reason is required to revoke a certificate")
    if len(cleaned) > MAX_REASON_LENGTH:
        raise CertificateError(f"the reason is longer than {MAX_REASON_LENGTH} characters")
    if now.tzinfo is None:
        raise CertificateError("the revocation time must be timezone-aware")
    return Revocation(revoked_at=now, reason=cleaned)


def title_for(accredited: bool) -> str:
    """The certificate heading: honest unless an accreditation statement is configured."""
    return "Continuing Education Certificate" if accredited else "Certificate of Completion"


def download_name(full_name: str, subject_slug: str, completed_on: datetime) -> str:
    """A safe, sensible file name such as `certificate-kap-medical-assessment-jane-doe-2026-05-01.pdf`."""
    plain = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    ascii_person = "-".join("".join(ch if ch.isalnum() else " " for ch in plain.lower()).split())
    ascii_person = ascii_person or "learner"
    return f"certificate-{subject_slug}-{ascii_person}-{completed_on:%Y-%m-%d}.pdf"
