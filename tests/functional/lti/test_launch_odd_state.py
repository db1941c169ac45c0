"""A launch whose state holds non-ASCII characters is rejected, never a 500."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("state", ["é" * 40, "état", "\u2603"])
def test_non_ascii_state_is_rejected_not_a_crash(client, state):
    client.set_cookie("kapcourse_lti_state", "ascii-state", domain="kapcourse.test")
    response = client.post("/lti/launch", data={"id_token": "x.y.z", "state": state})
    assert response.status_code in (400, 401, 403, 422)
