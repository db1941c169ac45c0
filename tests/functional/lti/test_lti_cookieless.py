"""Launches whose state cookie is blocked: platform storage, else "open in a new window"."""

def _auth(client, platform, **extra):
    login = client.get(platform.login_url(**extra))
    return login


def test_platform_storage_login_and_launch(client, platform):
    login = _auth(client, platform, lti_storage_target="post_message_forwarding")
    html = login.get_data(as_text=True)
    assert login.status_code == 200 and "lti-storage.js" in html
    assert 'data-mode="put"' in html and 'data-target="post_message_forwarding"' in html
    assert 'data-origin="https://platform.test"' in html
    redirect = html.split('data-redirect="')[1].split('"')[0].replace("&amp;", "&")
    launch = platform.authorize(redirect)
    client.delete_cookie("kapcourse_lti_state", path="/lti/", domain="kapcourse.test")
    form = {"id_token": launch["id_token"], "state": launch["state"]}
    first = client.post("/lti/launch", data=form)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and 'data-mode="get"' in page and "Open in a new window" in page
    # The script read the state back from platform storage and posts it with the form.
    done = client.post("/lti/launch", data={**form, "lti_storage_state": launch["state"]})
    assert done.status_code == 302


def test_no_cookie_and_no_storage_offers_a_new_window(client, platform):
    login = _auth(client, platform)
    launch = platform.authorize(login.headers["Location"])
    client.delete_cookie("kapcourse_lti_state", path="/lti/", domain="kapcourse.test")
    response = client.post("/lti/launch", data={"id_token": launch["id_token"], "state": launch["state"]})
    html = response.get_data(as_text=True)
    assert "Open in a new window" in html and 'target="_blank"' in html
    assert 'name="lti_message_hint"' in html and 'name="login_hint"' in html


def test_session_cookie_is_partitioned_in_production_config():
    from kapcourse.config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "None"
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.SESSION_COOKIE_PARTITIONED


def test_state_cookie_over_https_is_cross_site_and_partitioned(client, platform):
    url = platform.login_url().replace("http%3A%2F%2Fkapcourse", "https%3A%2F%2Fkapcourse")
    response = client.get(url, base_url="https://kapcourse.test")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "SameSite=None" in cookie and "Partitioned" in cookie


def _unbound_launch(client, platform, **extra):
    login = _auth(client, platform, **extra)
    location = login.headers.get("Location") or \
        login.get_data(as_text=True).split('data-redirect="')[1].split('"')[0].replace("&amp;", "&")
    launch = platform.authorize(location)
    client.delete_cookie("kapcourse_lti_state", path="/lti/", domain="kapcourse.test")
    return client.post("/lti/launch", data={"id_token": launch["id_token"], "state": launch["state"]})


def test_new_window_form_may_follow_the_login_redirect_to_the_platform(client, platform):
    # Browsers apply form-action to the redirect /lti/login answers with (to the platform).
    for extra in ({}, {"lti_storage_target": "_parent"}):
        response = _unbound_launch(client, platform, **extra)
        csp = response.headers["Content-Security-Policy"]
        assert "form-action 'self' https://platform.test;" in csp, (extra, csp)


def test_state_cookie_over_http_can_ride_the_platforms_cross_site_post(client, platform):
    cookie = client.get(platform.login_url()).headers["Set-Cookie"]
    assert "kapcourse_lti_state=" in cookie and "SameSite" not in cookie and "Secure" not in cookie
