"""Answer keys: before submission, no response depends on a key, rationale or correctness flag.

Differential check: the pages and autosave answers of an open attempt are fetched, every secret of every
drawn question (one of each type in the fixture bank) is changed in the stored copy, and the same requests
must then give byte-identical bodies (CSRF tokens aside) that contain none of the changed secrets.
"""
from __future__ import annotations

import copy
import re

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from kapcourse.extensions import db
from kapcourse.models import AttemptItem

MARK = "ZZSECRET"
TOKEN_VALUE = re.compile(r'(name="csrf_token"[^>]*?value=")[^"]+')


def _changed_secrets(q: dict) -> dict:
    """The question with every secret replaced by a different value, everything shown unchanged."""
    q = copy.deepcopy(q)
    for name in ("rationale", "rationale_html", "why_wrong"):
        if name in q:
            q[name] = f"{MARK} {name}"
    for group in ("options", "items", "premises", "choices"):
        for entry in q.get(group, []):
            if "why" in entry:
                entry["why"] = f"{MARK} why"
    if q.get("common_errors"):
        q["common_errors"] = [{"value": -1, "why": f"{MARK} error"}]
    kind = q["type"]
    if kind == "single":
        q["key"] = next(o["id"] for o in q["options"] if o["id"] != q["key"])
    elif kind == "multiple":
        q["key"] = [o["id"] for o in q["options"] if o["id"] not in q["key"]][:1]
    elif kind == "true_false":
        q["key"] = not q["key"]
    elif kind == "numeric":
        q["answer"], q["tolerance"] = q["answer"] + 17, {"absolute": 99}
    elif kind == "ordering" and "key" in q:
        q["key"] = list(reversed(q["key"]))
    elif kind == "matching":
        ids = [c["id"] for c in q["choices"]]
        q["key"] = {p: ids[(ids.index(c) + 1) % len(ids)] for p, c in q["key"].items()}
    return q


def _bodies(client, attempt_id: int, numeric_position: int) -> dict[str, str]:
    """Every response a learner can get about an open attempt, with CSRF token values blanked."""
    json_headers = {"Accept": "application/json"}
    responses = {
        "overview": client.get("/modules/alpha-module/quiz"),
        "take": client.get(f"/quiz/attempts/{attempt_id}"),
        "confirm": client.get(f"/quiz/attempts/{attempt_id}/confirm"),
        "autosave": client.post(f"/quiz/attempts/{attempt_id}/answers", headers=json_headers,
                                data={"q1.present": "1", f"q{numeric_position}.value": "12",
                                      f"q{numeric_position}.unit": "mg"}),
        "invalid": client.post(f"/quiz/attempts/{attempt_id}/answers",
                               data={f"q{numeric_position}.value": "not a number", "action": "save"}),
        "module": client.get("/modules/alpha-module"),
    }
    return {name: TOKEN_VALUE.sub(r"\1", r.get_data(as_text=True)) for name, r in responses.items()}


def test_no_key_rationale_or_correctness_before_submission(app, client, login, make_user, publish_fixture_content):
    publish_fixture_content()
    learner = make_user()
    login(client, learner)
    client.post("/modules/alpha-module/enrol")
    attempt_id = int(client.post("/modules/alpha-module/quiz/start").location.rstrip("/").rsplit("/", 1)[1])
    items = list(db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)))
    assert {i.question["type"] for i in items} == {"single", "multiple", "true_false", "numeric", "ordering", "matching"}
    numeric = next(i.position for i in items if i.question["type"] == "numeric")
    _bodies(client, attempt_id, numeric)  # the autosave lands once, so both rounds see the same state

    before = _bodies(client, attempt_id, numeric)
    for item in items:
        item.question = _changed_secrets(item.question)
        flag_modified(item, "question")
    db.session.commit()
    after = _bodies(client, attempt_id, numeric)

    assert before["invalid"] != before["take"] and "not a number" not in before["take"]  # the pages are real
    for name in before:
        assert MARK not in after[name], f"a secret reached the {name} response"
        assert after[name] == before[name], f"the {name} response depends on a key or rationale"
    for word in ("is_correct", "data-correct", "data-key", '"key"', '"correct"', "rationale"):
        assert all(word not in body for body in after.values()), word
