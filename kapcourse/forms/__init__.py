"""Flask-WTF forms; every form carries a CSRF token."""
from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button-only form (enrol, mark complete, log out): only the CSRF token is checked."""
