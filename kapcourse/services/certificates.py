"""Certificates: requirements, issuing (module and bundle), verification, revocation."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import certificates as rules
from ..domain.eligibility import (
    CompletionRules, Eligibility, ProgressSnapshot, bundle_eligibility, module_eligibility,
)
from ..extensions import db
from ..models import AuditEvent, BundleVersion, Certificate, ModuleVersion, User
from ..models.base import utcnow
from . import content, enrolment, evaluations, progress
from .quiz import quiz_status
from .vignettes import vignette_status


@dataclass(frozen=True)
class CertificateSettings:
    """Deployment configuration for certificates: never hard-coded claims."""

    organisation: str
    accreditation_statement: str
    credit_designation: dict[str, str]
    page_size: str
    signatory: str
    signatory_caption: str
    images: dict[str, Path]
    public_base_url: str


def settings() -> CertificateSettings:
    """Certificate settings from the app config (`KAPCOURSE_CERTIFICATE_*` in the environment)."""
    cfg, instance = current_app.config, Path(current_app.instance_path)
    images = {key: instance / cfg[name] for key, name in
              (("logo", "CERTIFICATE_LOGO"), ("signature", "CERTIFICATE_SIGNATURE"))
              if cfg.get(name)}
    return CertificateSettings(
        organisation=cfg.get("CERTIFICATE_ORGANISATION") or cfg.get("ORGANISATION_NAME") or "kapcourse",
        accreditation_statement=(cfg.get("CERTIFICATE_ACCREDITATION_STATEMENT") or "").strip(),
        credit_designation={k: str(v) for k, v in
                            (cfg.get("CERTIFICATE_CREDIT_DESIGNATION") or {}).items()},
        page_size=str(cfg.get("CERTIFICATE_PAGE_SIZE") or "letter").lower(),
        signatory=cfg.get("CERTIFICATE_SIGNATORY") or "",
        signatory_caption=cfg.get("CERTIFICATE_SIGNATORY_CAPTION") or "",
        images=images,
        public_base_url=(cfg.get("PUBLIC_BASE_URL") or "").rstrip("/"),
    )


# --- requirements -----------------------------------------------------------------------

def progress_snapshot(user: User, version: ModuleVersion, now: datetime,
                      known: Mapping[str, Any] | None = None) -> ProgressSnapshot:
    """Gather what the learner has done on this module version into plain values.

    known may carry the "quiz" and "vignettes" statuses a caller already computed for this
    learner and version (the module page does), so they are not queried twice.
    """
    known = known or {}
    per_vignette = (known.get("vignettes") or vignette_status(user.id, version.id)).get("vignettes", {})
    quiz = known.get("quiz") or quiz_status(user.id, version.id)
    return ProgressSnapshot(
        lessons_completed=progress.completed_lessons(user.id, version.id),
        vignettes_completed=frozenset(vid for vid, st in per_vignette.items()
                                      if st.get("status") == "completed"),
        vignette_scores={vid: st["percent"] for vid, st in per_vignette.items()
                         if st.get("percent") is not None},
        quiz_passed=bool(quiz.get("passed")),
        evaluation_submitted=evaluations.evaluation_for(user.id, version.id) is not None,
        minutes_on_task=_minutes_enrolled(user.id, version.slug, now),
        profile_complete=user.profile_complete,
    )


def _minutes_enrolled(user_id: int, slug: str, now: datetime) -> float | None:
    """Minutes since enrolment: the upper bound on time on task that the records support."""
    row = enrolment.enrolment_for(user_id, slug)
    return None if row is None else (now - row.enrolled_at).total_seconds() / 60


def module_requirements(user: User, version: ModuleVersion, now: datetime | None = None,
                        known: Mapping[str, Any] | None = None) -> Eligibility:
    """Every certificate requirement of this module version with the learner's state."""
    payload = content.module_payload(version.id)
    snapshot = progress_snapshot(user, version, now or utcnow(), known)
    return module_eligibility(CompletionRules.from_payload(payload), snapshot)


# --- queries ----------------------------------------------------------------------------

def certificates_of(user_id: int) -> list[Certificate]:
    """The learner's certificates, newest first (all statuses)."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def held_certificate(user_id: int, kind: str, slug: str) -> Certificate | None:
    """The learner's valid certificate for a module or bundle, or None."""
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.kind == kind, Certificate.subject_slug == slug,
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None)))


def owned_certificate(user_id: int, certificate_id: int) -> Certificate | None:
    """A certificate only if it belongs to this learner (others' look like missing ones)."""
    cert = db.session.get(Certificate, certificate_id)
    return cert if cert is not None and cert.user_id == user_id else None


def by_id(certificate_id: int) -> Certificate | None:
    """A certificate by id (admin use)."""
    return db.session.get(Certificate, certificate_id)


def recent(limit: int) -> list[Certificate]:
    """The most recently issued certificates (admin list)."""
    return list(db.session.scalars(select(Certificate).order_by(Certificate.id.desc()).limit(limit)))


def newer_certificate(cert: Certificate) -> Certificate | None:
    """The certificate that superseded this one, if any."""
    return db.session.get(Certificate, cert.superseded_by_id) if cert.superseded_by_id else None


def enrolled_version(user_id: int, slug: str) -> ModuleVersion | None:
    """The module version the learner is enrolled on, or None when not enrolled."""
    row = enrolment.enrolment_for(user_id, slug)
    return db.session.get(ModuleVersion, row.module_version_id) if row else None


@dataclass(frozen=True)
class ModulePanel:
    """What the module page shows about the certificate."""

    eligibility: Eligibility
    certificate: Certificate | None
    evaluation_submitted: bool


def module_panel(user: User, version: ModuleVersion, known: Mapping[str, Any] | None = None) -> ModulePanel:
    """Requirements with their state and the learner's valid certificate for the module."""
    eligibility = module_requirements(user, version, known=known)
    return ModulePanel(eligibility, held_certificate(user.id, "module", version.slug),
                       evaluations.evaluation_for(user.id, version.id) is not None)


def find_by_code(typed: str) -> Certificate | None:
    """The certificate with this (user-typed) code, or None."""
    code = rules.normalise_code(typed)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def download_name(cert: Certificate) -> str:
    """The file name a learner's browser saves the PDF under."""
    return rules.download_name(cert.learner_name, cert.subject_slug, cert.completed_at)


# --- issuing ----------------------------------------------------------------------------

@dataclass
class IssueResult:
    """The outcome of a request for a certificate."""

    eligibility: Eligibility
    certificate: Certificate | None = None
    issued: list[Certificate] = field(default_factory=list)
    reason: str = ""


def request_module_certificate(user: User, version: ModuleVersion, base_url: str,
                               now: datetime | None = None) -> IssueResult:
    """Issue the module certificate (and any bundle now complete) if the learner is eligible."""
    try:
        return _request_module_certificate(user, version, base_url, now or utcnow())
    except IntegrityError:  # a concurrent request issued it first: answer with that one
        db.session.rollback()
        return _request_module_certificate(user, version, base_url, now or utcnow())


def _request_module_certificate(user: User, version: ModuleVersion, base_url: str, now: datetime) -> IssueResult:
    eligibility = module_requirements(user, version, now)
    if not eligibility.eligible:
        return IssueResult(eligibility, reason="requirements missing")
    cfg = settings()
    result = _issue(user, "module", version.slug, version.id, _module_facts(user, version, cfg),
                    cfg, base_url, now)
    result.eligibility = eligibility
    if result.certificate is not None:  # also catches up a bundle published after the module
        for bundle in content.current_bundles().values():
            if version.slug in bundle.payload.get("modules", []):
                result.issued += _issue_bundle(user, bundle, cfg, base_url, now).issued
    if result.issued:
        db.session.commit()
    return result


def _module_facts(user: User, version: ModuleVersion, cfg: CertificateSettings) -> dict:
    quiz = quiz_status(user.id, version.id)
    payload = content.module_payload(version.id)
    designation = cfg.credit_designation.get(version.slug, "")
    return dict(module_version_id=version.id, subject_title=version.title,
                subject_version=version.version, score=quiz.get("best_score"),
                credit_designation=designation,
                credit_hours=payload.get("credit_hours") if designation else None)


def bundle_requirements(user_id: int, bundle: BundleVersion) -> Eligibility:
    """Each module of the bundle with whether the learner holds a valid certificate for it."""
    modules = content.current_module_versions()
    titles = {slug: modules[slug].title if slug in modules else slug
              for slug in bundle.payload.get("modules", [])}
    certified = [slug for slug in titles if held_certificate(user_id, "module", slug)]
    return bundle_eligibility(titles, certified)


def _issue_bundle(user: User, bundle: BundleVersion, cfg: CertificateSettings, base_url: str,
                  now: datetime) -> IssueResult:
    eligibility = bundle_requirements(user.id, bundle)
    if not eligibility.eligible:
        return IssueResult(eligibility)
    designation = cfg.credit_designation.get(bundle.slug, "")
    facts = dict(bundle_version_id=bundle.id, subject_title=bundle.title,
                 subject_version=bundle.version, score=None, credit_designation=designation,
                 credit_hours=bundle.payload.get("credit_hours") if designation else None)
    result = _issue(user, "bundle", bundle.slug, bundle.id, facts, cfg, base_url, now)
    result.eligibility = eligibility
    return result


def _issue(user: User, kind: str, slug: str, version_id: int, facts: dict,
           cfg: CertificateSettings, base_url: str, now: datetime) -> IssueResult:
    """Decide, then create and render one certificate, superseding older ones (no commit)."""
    held = [c for c in certificates_of(user.id) if c.kind == kind and c.subject_slug == slug]
    version_of = (lambda c: c.module_version_id) if kind == "module" else (lambda c: c.bundle_version_id)
    decision = rules.decide_issue(
        [rules.Held(c.id, version_of(c), c.status) for c in held], version_id)
    if not decision.issue:
        existing = db.session.get(Certificate, decision.existing_id) if decision.existing_id else None
        return IssueResult(Eligibility(()), existing, reason=decision.reason)
    cert = _new_certificate(user, kind, slug, facts, cfg, base_url, now)
    db.session.add(cert)
    db.session.flush()
    for old in (c for c in held if c.id in decision.supersede_ids):
        rules.check_supersede(old.status, old.subject_slug, slug, old.user_id, user.id)
        old.superseded_by_id = cert.id
        _audit(user.id, "certificate.superseded", old, {"superseded_by": cert.code})
    _audit(user.id, "certificate.issued", cert, {"kind": kind, "sha256": cert.pdf_sha256})
    return IssueResult(Eligibility(()), cert, issued=[cert])


def _new_certificate(user: User, kind: str, slug: str, facts: dict,
                     cfg: CertificateSettings, base_url: str, now: datetime) -> Certificate:
    code = _unused_code()
    cert = Certificate(
        code=code, user_id=user.id, kind=kind, subject_slug=slug,
        heading=rules.title_for(bool(cfg.accreditation_statement)),
        learner_name=user.full_name.strip(), credentials=user.credentials.strip(),
        profession=user.profession.strip(), licence_number=user.licence_number.strip(),
        completed_at=now, issued_at=now, organisation=cfg.organisation,
        accreditation_statement=cfg.accreditation_statement,
        verify_url=f"{cfg.public_base_url or base_url.rstrip('/')}/verify/{code}", **facts)
    cert.pdf = render(cert, cfg)
    cert.pdf_sha256 = hashlib.sha256(cert.pdf).hexdigest()
    return cert


def _unused_code() -> str:
    while True:  # a collision at 92 bits is practically impossible, but cheap to rule out
        code = rules.generate_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def printed_facts(cert: Certificate) -> dict[str, str]:
    """Exactly the facts printed on the certificate, as display strings."""
    return {
        "heading": cert.heading, "organisation": cert.organisation,
        "learner_name": cert.learner_name, "credentials": cert.credentials,
        "profession": cert.profession, "licence_number": cert.licence_number,
        "kind_label": "online module" if cert.kind == "module" else "course bundle",
        "subject_title": cert.subject_title, "version": str(cert.subject_version),
        "completed_on": f"{cert.completed_at.day} {cert.completed_at:%B %Y}",
        "score": "" if cert.score is None else f"{cert.score:.0f}%",
        "credit_designation": cert.credit_designation, "code": cert.code,
        "verify_url": cert.verify_url, "accreditation_statement": cert.accreditation_statement,
    }


def render(cert: Certificate, cfg: CertificateSettings) -> bytes:
    """Render the PDF once, at issue (WeasyPrint is imported only here)."""
    from .. import pdf

    values = dict(printed_facts(cert), issued_iso=cert.issued_at.isoformat(),
                  signatory=cfg.signatory, signatory_caption=cfg.signatory_caption,
                  qr_data_uri=pdf.qr_svg_data_uri(cert.verify_url))
    return pdf.render_pdf(values, cfg.page_size, cfg.images)


# --- status changes ---------------------------------------------------------------------

def revoke(certificate_id: int, actor: User, reason: str, now: datetime | None = None) -> Certificate:
    """Revoke a certificate with a reason (admins only; the view checks the role)."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        raise LookupError(certificate_id)
    if not actor.is_admin:
        raise PermissionError("only administrators revoke certificates")
    revocation = rules.revoke(cert.status, reason, now or utcnow())
    cert.revoked_at, cert.revoked_reason, cert.revoked_by_id = (
        revocation.revoked_at, revocation.reason, actor.id)
    _audit(actor.id, "certificate.revoked", cert, {"reason": revocation.reason})
    db.session.commit()
    return cert


def _audit(actor_id: int | None, action: str, cert: Certificate, details: dict) -> None:
    db.session.add(AuditEvent(actor_id=actor_id, action=action,
                              subject=f"certificate:{cert.code}", details=details))
