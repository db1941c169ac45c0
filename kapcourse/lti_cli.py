"""`flask --app kapcourse lti add-platform|rotate-key|deliver|show-jwks`."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

lti_cli = AppGroup("lti", help="LTI 1.3: platform registrations, tool keys, grade delivery.")


@lti_cli.command("add-platform")
@click.option("--issuer", required=True, help="The platform's issuer (iss).")
@click.option("--client-id", required=True, help="The client ID the platform gave the tool.")
@click.option("--auth-login-url", required=True, help="Platform OIDC authorization endpoint.")
@click.option("--token-url", required=True, help="Platform OAuth2 token endpoint.")
@click.option("--jwks-url", required=True, help="Platform public keyset URL.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True,
              help="A deployment ID; repeat for several.")
@click.option("--name", default="", help="A label for administrators.")
@click.option("--token-audience", default="", help="D2L only: the OAuth2 audience.")
def add_platform_command(issuer, client_id, auth_login_url, token_url, jwks_url,
                         deployment_ids, name, token_audience) -> None:
    """Register a platform keyed by (issuer, client_id) with its deployments."""
    from .services.lti_registry import PlatformFields, RegistrationError, add_platform

    fields = PlatformFields(issuer=issuer, client_id=client_id, auth_login_url=auth_login_url,
                            token_url=token_url, jwks_url=jwks_url, name=name,
                            token_audience=token_audience)
    try:
        registration = add_platform(fields, list(deployment_ids))
    except RegistrationError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"registered platform {registration.id}: {issuer} client {client_id}")


@lti_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Promote the next key to current; the old current key stays published until the next rotation."""
    from .services.lti_registry import rotate_key

    click.echo(f"current key is now {rotate_key()}")


@lti_cli.command("deliver")
@click.option("--limit", default=500, show_default=True, help="Most scores to send in one run.")
def deliver_command(limit: int) -> None:
    """Send every pending score that is due (for a cron job or a worker loop)."""
    from .services.lti_grades import deliver_due

    click.echo(json.dumps(deliver_due(limit=limit), sort_keys=True))


@lti_cli.command("show-jwks")
def show_jwks_command() -> None:
    """Print the tool's public key set (what /lti/jwks serves)."""
    from .services.lti_registry import tool_jwks

    click.echo(json.dumps(tool_jwks(), indent=2))
