"""Certificate codes (format, entropy, typed-code normalisation) and supersede/revoke rules."""
from __future__ import annotations

import math
import random
import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from kapcourse.domain import certificates as c
from kapcourse.domain.certificates import CertificateError, Held, Status

NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
CODE_RE = re.compile(r"^KAP(-[23456789ABCDEFGHJKMNPQRSTWXY]{4}){5}$")


def test_code_format():
    for _ in range(200):
        assert CODE_RE.match(c.generate_code())


def test_alphabet_has_no_ambiguous_characters():
    assert not set("01OILUVZ") & set(c.ALPHABET)
    assert len(set(c.ALPHABET)) == len(c.ALPHABET)
    assert len(c.ALPHABET) % 2 == 0  # Luhn mod N catches every single substitution only then


def test_entropy_is_at_least_80_bits():
    assert c.RANDOM_LENGTH * math.log2(len(c.ALPHABET)) >= 80
    assert c.RANDOM_BITS >= 80


def test_codes_do_not_repeat_and_use_the_whole_alphabet():
    codes = {c.generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    seen = set("".join(code[4:].replace("-", "")[:-1] for code in codes))
    assert seen == set(c.ALPHABET)


def test_generation_uses_the_given_random_source():
    rng = random.Random(7)
    assert c.generate_code(rng.choice) == c.generate_code(random.Random(7).choice)


@given(st.randoms(use_true_random=False))
def test_generated_codes_normalise_to_themselves(rng):
    code = c.generate_code(rng.choice)
    assert c.normalise_code(code) == code
    assert c.normalise_code(code.lower().replace("-", " ")) == code
    assert c.normalise_code(code[4:].replace("-", "")) == code


@given(st.randoms(use_true_random=False), st.integers(0, c.BODY_LENGTH - 1), st.data())
def test_any_single_character_typo_is_rejected(rng, position, data):
    code = c.generate_code(rng.choice)
    body = code[4:].replace("-", "")
    wrong = data.draw(st.sampled_from([ch for ch in c.ALPHABET if ch != body[position]]))
    typo = body[:position] + wrong + body[position + 1:]
    assert c.normalise_code(typo) is None


@pytest.mark.parametrize("typed", [
    "", "KAP", "KAP-1234", "hello world", "KAP-AAAA-AAAA-AAAA-AAAA-AAA0",
    "KAP-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "<script>",
])
def test_malformed_codes_are_rejected(typed):
    assert c.normalise_code(typed) is None


@pytest.mark.parametrize("revoked_at, superseded_by, status", [
    (None, None, Status.VALID), (None, 5, Status.SUPERSEDED),
    (NOW, None, Status.REVOKED), (NOW, 5, Status.REVOKED),
])
def test_status_of(revoked_at, superseded_by, status):
    assert c.status_of(revoked_at, superseded_by) is status


def test_first_completion_issues():
    assert c.decide_issue([], 10) == c.IssueDecision(True)


def test_same_version_returns_the_held_certificate():
    decision = c.decide_issue([Held(1, 10, Status.VALID)], 10)
    assert not decision.issue and decision.existing_id == 1


def test_newer_version_supersedes_valid_ones_only():
    held = [Held(1, 9, Status.SUPERSEDED), Held(2, 10, Status.VALID), Held(3, 8, Status.REVOKED)]
    decision = c.decide_issue(held, 11)
    assert decision.issue and decision.supersede_ids == (2,)


def test_revoked_certificate_blocks_reissue_for_the_same_version():
    decision = c.decide_issue([Held(1, 10, Status.REVOKED)], 10)
    assert not decision.issue and decision.existing_id is None
    assert "revoked" in decision.reason


def test_supersede_rules():
    c.check_supersede(Status.VALID, "m", "m", 1, 1)
    for status in (Status.SUPERSEDED, Status.REVOKED):
        with pytest.raises(CertificateError, match="only a valid"):
            c.check_supersede(status, "m", "m", 1, 1)
    with pytest.raises(CertificateError, match="same learner"):
        c.check_supersede(Status.VALID, "m", "other", 1, 1)
    with pytest.raises(CertificateError, match="same learner"):
        c.check_supersede(Status.VALID, "m", "m", 1, 2)


@pytest.mark.parametrize("status", [Status.VALID, Status.SUPERSEDED])
def test_revoke_records_time_and_cleaned_reason(status):
    assert c.revoke(status, "  issued   in error ", NOW) == c.Revocation(NOW, "issued in error")


@pytest.mark.parametrize("status, reason, now, message", [
    (Status.REVOKED, "again", NOW, "already revoked"),
    (Status.VALID, "   ", NOW, "reason is required"),
    (Status.VALID, "x" * 501, NOW, "longer than"),
    (Status.VALID, "ok", datetime(2026, 5, 1), "timezone-aware"),
])
def test_revoke_refusals(status, reason, now, message):
    with pytest.raises(CertificateError, match=message):
        c.revoke(status, reason, now)


def test_honest_title_by_default():
    assert c.title_for(False) == "Certificate of Completion"
    assert c.title_for(True) != "Certificate of Completion"


def test_download_name_is_ascii_and_sensible():
    name = c.download_name("José  O'Brien, MD", "kap-medical-assessment", NOW)
    assert name == "certificate-kap-medical-assessment-jose-o-brien-md-2026-05-01.pdf"
    assert c.download_name("李", "m", NOW) == "certificate-m-learner-2026-05-01.pdf"


def test_every_single_substitution_of_a_code_is_rejected():
    body = c.generate_code(random.Random(1).choice)[4:].replace("-", "")
    for position, original in enumerate(body):
        for wrong in c.ALPHABET.replace(original, ""):
            assert c.normalise_code(body[:position] + wrong + body[position + 1:]) is None
