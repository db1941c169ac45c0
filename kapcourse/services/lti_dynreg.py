"""Dynamic Registration: read the platform's configuration, register, store the result."""
from __future__ import annotations

from ..lti.client import ServiceError
from ..lti.dynamic_registration import ToolUrls, fetch_json, parse_openid_configuration, register
from ..models.lti import LtiRegistration
from .lti_registry import PlatformFields, RegistrationError, add_platform, http_session


def register_with_platform(config_url: str, registration_token: str | None,
                           tool: ToolUrls) -> LtiRegistration:
    """Run the whole exchange; raises RegistrationError with a message an admin can act on."""
    session = http_session()
    try:
        body = fetch_json(session, config_url, registration_token)
        platform = parse_openid_configuration(config_url, body)
        client_id, deployment_id = register(session, platform, tool, registration_token)
    except ServiceError as error:
        raise RegistrationError(str(error)) from error
    fields = PlatformFields(issuer=platform.issuer, client_id=client_id,
                            auth_login_url=platform.auth_login_url, token_url=platform.token_url,
                            jwks_url=platform.jwks_url, name=platform.product or platform.issuer,
                            token_audience=platform.token_audience
                            if platform.token_audience != platform.token_url else "")
    return add_platform(fields, [deployment_id] if deployment_id else [])
