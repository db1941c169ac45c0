"""Every learner page renders from published content, logged out and logged in."""
import pytest


@pytest.fixture
def published(app, publish_fixture_content):
    return publish_fixture_content()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_catalogue_lists_modules_and_bundle(client, published):
    html = client.get("/").get_data(as_text=True)
    assert "Alpha Module" in html and "Beta Module" in html
    assert "Alpha and Beta Bundle" in html


def test_module_overview_shows_objectives_lessons_and_review_date(client, published):
    html = client.get("/modules/alpha-module").get_data(as_text=True)
    assert "Calculate a weight-based dose." in html
    assert "The first lesson" in html and "The second lesson" in html
    assert "1 November 2026" in html


def test_unknown_module_is_a_friendly_404(client, published):
    response = client.get("/modules/no-such-module")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_enrol_read_and_complete_a_lesson(client, published, make_user, login):
    user = make_user()
    login(client, user)
    assert client.post("/modules/alpha-module/enrol").status_code == 302
    lesson = client.get("/modules/alpha-module/lessons/first-lesson")
    html = lesson.get_data(as_text=True)
    assert lesson.status_code == 200
    assert "<table>" in html and 'class="callout key-points"' in html
    assert 'href="/modules/alpha-module/lessons/second-lesson"' in html
    done = client.post("/modules/alpha-module/lessons/first-lesson/complete")
    assert done.headers["Location"].endswith("/modules/alpha-module/lessons/second-lesson")
    dashboard = client.get("/me").get_data(as_text=True)
    assert "1 of 2 lessons completed" in dashboard
