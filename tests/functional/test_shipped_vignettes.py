"""Every shipped vignette validates and can be played to an end: along the expert path, and
along a path that takes an unsafe choice (which must be acknowledged)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import g

from kapcourse.content.vignettes import compile_vignette
from kapcourse.content.yamlio import load_yaml
from kapcourse.extensions import db
from kapcourse.models import ModuleVersion
from kapcourse.services import vignettes

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "modules").glob("*/vignettes/*.yaml"))


@pytest.fixture(autouse=True)
def one_user_per_request(app):
    """Tests share one app context, so flask-login's cached user would leak between clients."""
    @app.before_request
    def _forget_cached_user():
        g.pop("_login_user", None)


def compiled(path: Path) -> dict:
    module = load_yaml((path.parents[1] / "module.yaml").read_text())
    objective_ids = {o["id"] for o in module["objectives"]}
    vignette, problems = compile_vignette(load_yaml(path.read_text()), path.stem, objective_ids)
    assert problems == [], problems
    return vignette


def run_url(client, make_user, login, path: Path) -> tuple[str, dict]:
    vignette = compiled(path)
    slug = path.parents[1].name
    version = ModuleVersion(slug=slug, version=1, content_hash="x" * 64, title=slug,
                            payload={"slug": slug, "title": slug, "vignettes": [vignette], "lessons": []})
    db.session.add(version)
    db.session.commit()
    user = make_user()
    login(client, user)
    run = vignettes.start_run(user.id, version.id, vignette["id"])
    return f"/vignette-runs/{run.id}", vignette


def play(client, url: str, vignette: dict, take_unsafe: bool) -> str:
    """Walk to an end: expert choices, except the first unsafe choice when take_unsafe."""
    took_unsafe = False
    for _ in range(4 * len(vignette["nodes"])):
        html = client.get(url).get_data(as_text=True)
        fields = {"node": re.search(r'name="node" value="([^"]+)"', html),
                  "position": re.search(r'name="position" value="(\d+)"', html)}
        if fields["node"] is None:
            return html  # the end page has no step forms
        data = {k: m.group(1) for k, m in fields.items()}
        node = vignette["nodes"][data["node"]]
        if 'class="vignette-feedback' not in html and node["type"] == "decision":
            unsafe = [c for c in node["choices"] if c["unsafe"]]
            choice = unsafe[0] if take_unsafe and unsafe and not took_unsafe else next(c for c in node["choices"] if c["expert"])
            took_unsafe |= choice["unsafe"]
            assert client.post(f"{url}/choose", data={**data, "choice": choice["id"]}).status_code == 302
            if choice["unsafe"]:
                assert "Unsafe choice" in client.get(url).get_data(as_text=True)
            continue
        for exhibit in node.get("exhibits", []) if 'class="vignette-feedback' not in html else []:
            assert client.post(f"{url}/reveal", data={**data, "exhibit": exhibit["id"]}).status_code == 302
        assert client.post(f"{url}/continue", data=data).status_code == 302
    raise AssertionError("the walk never reached an end")


def test_there_are_shipped_vignettes():
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_expert_path_reaches_a_full_score(app, client, make_user, login, path):
    url, vignette = run_url(client, make_user, login, path)
    html = play(client, url, vignette, take_unsafe=False)
    end = vignette["nodes"][vignette["expert_path"][-1]["node"]]
    assert end["debrief_html"] in html and "(100%)" in html and "Key teaching points" in html


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_path_with_an_unsafe_choice_reaches_an_end(app, client, make_user, login, path):
    url, vignette = run_url(client, make_user, login, path)
    html = play(client, url, vignette, take_unsafe=True)
    assert "Unsafe</span>" in html and "Your path and the expert path" in html
