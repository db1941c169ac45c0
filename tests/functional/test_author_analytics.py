"""Author analytics pages: who may see them, and the numbers after two learners' known answers."""
from __future__ import annotations

import re

import pytest

from kapcourse.models import Role
from quiz_helpers import attempt_items, keyed_form

PAGES = ["/author", "/author/modules/alpha-module/items", "/author/modules/alpha-module/cases/alpha-case"]


def cells(html: str, marker: str) -> list[str]:
    """The text of the <td> cells in the table row that contains marker."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if marker in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def take_quiz(client, wrong: int) -> list[str]:
    """Enrol, start the alpha quiz, answer all but the first `wrong` items with the key, submit."""
    assert client.post("/modules/alpha-module/enrol").status_code == 302
    location = client.post("/modules/alpha-module/quiz/start").headers["Location"]
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)$", location).group(1))
    client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id, wrong=wrong))
    assert client.post(f"/quiz/attempts/{attempt_id}/submit").status_code in (302, 303)
    return [item.question_id for item in attempt_items(attempt_id)][:wrong]


def play_case(client, choice: str) -> None:
    """Walk alpha-case through its narrative and exhibit and make one decision."""
    url = client.post("/modules/alpha-module/vignettes/alpha-case/start").headers["Location"]
    for action, extra in (("continue", {}), ("continue", {}), ("choose", {"choice": choice})):
        html = client.get(url).get_data(as_text=True)
        fields = dict(re.findall(r'name="(node|position)" value="([^"]*)"', html))
        assert client.post(f"{url}/{action}", data={**fields, **extra}).status_code == 302


@pytest.fixture
def world(app, make_user, login, publish_fixture_content):
    publish_fixture_content()
    author = app.test_client()
    login(author, make_user(email="author@example.org", role=Role.AUTHOR))
    learners = []
    for email in ("l1@example.org", "l2@example.org"):
        client = app.test_client()
        login(client, make_user(email=email))
        learners.append(client)
    return author, learners


@pytest.mark.parametrize("path", PAGES)
def test_learners_get_403_and_anonymous_users_are_sent_to_login(world, path, client):
    _, (learner, _) = world
    assert learner.get(path).status_code == 403
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.ADMIN])
def test_authors_and_admins_see_every_page_and_the_nav_link(app, world, make_user, login, role):
    viewer = app.test_client()
    login(viewer, make_user(role=role))
    for path in PAGES:
        response = viewer.get(path)
        assert response.status_code == 200, path
        assert 'href="/author">Author analytics</a>' in response.get_data(as_text=True)
    _, (learner, _) = world
    assert "Author analytics" not in learner.get("/me").get_data(as_text=True)


def test_unknown_module_or_case_is_404(world):
    author, _ = world
    assert author.get("/author/modules/no-such-module/items").status_code == 404
    assert author.get("/author/modules/alpha-module/cases/no-such-case").status_code == 404


def test_module_and_item_numbers_after_two_known_attempts(world):
    author, (first, second) = world
    take_quiz(first, wrong=0)                 # 6/6 = 100 %, passed
    missed = take_quiz(second, wrong=2)       # 4/6 = 66.66 % (stored rounded down), failed at 80
    overview = author.get("/author").get_data(as_text=True)
    # enrolled 2, submitted 2, pass rate 1/2, mean (100.00 + 66.66) / 2 = 83.33
    assert cells(overview, "1 (newest)")[:4] == ["2", "2", "50.0 %", "83.3 %"]

    items = author.get("/author/modules/alpha-module/items").get_data(as_text=True)
    for qid in ("alpha-q-single", "alpha-q-numeric", "alpha-q-ordering", "alpha-q-multiple",
                "alpha-q-truefalse", "alpha-q-matching"):
        drawn, answered, facility, discrimination, flags = cells(items, f"<code>{qid}</code>")
        if qid in missed:   # blank for the second learner: scores 1 and 0
            assert (drawn, answered, facility, flags) == ("2", "1", "50.0 %", "None"), qid
        else:               # keyed by both
            assert (drawn, answered, facility, flags) == ("2", "2", "100.0 %", "very easy"), qid
        assert discrimination == "—"  # fewer than 5 responses
    # listed by objective, in the module's order
    assert items.index("Calculate a weight-based dose.") < items.index("Identify a safety concern before dosing.")


def test_case_choice_distribution_after_two_different_choices(world):
    author, (first, second) = world
    for client in (first, second):
        assert client.post("/modules/alpha-module/enrol").status_code == 302
    play_case(first, "recheck")
    play_case(second, "proceed")
    html = author.get("/author/modules/alpha-module/cases/alpha-case").get_data(as_text=True)
    assert "(2 choices made)" in html
    assert cells(html, "Recheck the blood pressure") == ["Expert choice", "1", "50.0 %"]
    assert cells(html, "Proceed with dosing.") == ["Unsafe", "1", "50.0 %"]
