"""Command-line interface: `flask --app kapcourse content|users ...`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup

content_cli = AppGroup("content", help="Validate and publish modules/ and question_banks/.")
users_cli = AppGroup("users", help="Manage accounts.")


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    for extra in _extra_groups():
        app.cli.add_command(extra)


def _extra_groups():
    """Command groups that features contribute (kept here so create_app stays small)."""
    from .lti_cli import lti_cli

    return [lti_cli]


def _root(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["CONTENT_ROOT"])


@content_cli.command("validate")
@click.argument("directory", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print counts and errors as JSON.")
def validate_command(directory: str | None, as_json: bool) -> None:
    """Check every content file; print `path:line: message` per problem; exit 1 if any."""
    from .content.tree import load_tree

    tree = load_tree(_root(directory))
    if as_json:
        click.echo(json.dumps(tree.summary(), indent=2))
    else:
        for problem in sorted(tree.problems):
            click.echo(str(problem))
        counts = tree.counts
        click.echo(
            f"{counts['modules']} modules, {counts['lessons']} lessons, {counts['vignettes']} vignettes, "
            f"{counts['questions']} questions; {len(tree.problems)} problem(s)",
            err=True,
        )
    sys.exit(1 if tree.problems else 0)


@content_cli.command("publish")
@click.argument("directory", required=False)
def publish_command(directory: str | None) -> None:
    """Publish a new version of every changed module; an invalid tree publishes nothing."""
    from .services.publishing import publish_tree

    result = publish_tree(_root(directory))
    if not result.tree.ok:
        for problem in sorted(result.tree.problems):
            click.echo(str(problem), err=True)
        click.echo("Nothing was published: fix the problems above first.", err=True)
        sys.exit(1)
    for slug in result.published:
        click.echo(f"published {slug}")
    for slug in result.unchanged:
        click.echo(f"unchanged {slug}")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--full-name", prompt="Full name")
@click.password_option()
def create_admin_command(email: str, full_name: str, password: str) -> None:
    """Create an administrator (or promote an existing account)."""
    from .services import accounts

    user = accounts.create_admin(email, password, full_name)
    click.echo(f"{user.email} is an administrator")


@users_cli.command("reset-token")
@click.argument("email")
def reset_token_command(email: str) -> None:
    """Print a one-time password-reset link for an account (no mail server needed)."""
    from .services import accounts

    user = accounts.find_by_email(email)
    if user is None:
        click.echo(f"no account with email {email}", err=True)
        sys.exit(1)
    token = accounts.make_reset_token(user)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        click.echo(url_for("auth.reset_password", token=token, _external=True))
