"""Forms for LTI administration and deep-link selection."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class PlatformForm(FlaskForm):
    """A manual platform registration: the values the LMS shows after adding the tool."""

    name = StringField("Name", validators=[Optional(), Length(max=200)],
                       description="Your own label, e.g. 'University Canvas'.")
    issuer = StringField("Issuer (platform ID)", validators=[DataRequired(), URL(require_tld=False), Length(max=500)],
                         description="Canvas: https://canvas.instructure.com; Moodle: the site URL.")
    client_id = StringField("Client ID", validators=[DataRequired(), Length(max=255)])
    auth_login_url = StringField("Authentication request URL", validators=[DataRequired(), URL(require_tld=False)])
    token_url = StringField("Access token URL", validators=[DataRequired(), URL(require_tld=False)])
    jwks_url = StringField("Public keyset URL", validators=[DataRequired(), URL(require_tld=False)])
    token_audience = StringField("Token audience (optional)", validators=[Optional(), Length(max=1000)],
                                 description="Only D2L Brightspace: its 'OAuth2 Audience'.")
    deployment_ids = TextAreaField("Deployment IDs", validators=[DataRequired()],
                                   description="One per line.")


class DeepLinkForm(FlaskForm):
    """What an instructor places in the course."""

    items = SelectMultipleField("Choose what to add", validators=[DataRequired()],
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
