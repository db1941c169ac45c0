"""Response headers, user loading and proxy handling."""
from __future__ import annotations

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Install the user loader, security headers and (when configured) proxy header trust."""
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.after_request(_security_headers)

    @login_manager.user_loader
    def load_user(user_id: str):
        from .models import User

        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def content_security_policy(frame_ancestors: str, form_action_extra: tuple[str, ...] = ()) -> str:
    """The CSP: no inline script or style, no plugins, framing only by configured hosts."""
    form_action = " ".join(("'self'",) + tuple(form_action_extra))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        f"form-action {form_action}; frame-ancestors {frame_ancestors}"
    )


def _security_headers(response):
    extra = tuple(getattr(g, "csp_form_action", ()))
    frame_ancestors = getattr(g, "csp_frame_ancestors", None) or _configured_ancestors()
    response.headers.setdefault("Content-Security-Policy", content_security_policy(frame_ancestors, extra))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin-allow-popups")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _configured_ancestors() -> str:
    from flask import current_app

    return current_app.config.get("FRAME_ANCESTORS") or "'self'"
