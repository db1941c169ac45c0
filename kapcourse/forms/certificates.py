"""Forms for the course evaluation, certificate lookup and revocation."""
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

SCALE = [SelectChoice("5", "5 – Fully"), SelectChoice("4", "4"), SelectChoice("3", "3 – Partly"),
         SelectChoice("2", "2"), SelectChoice("1", "1 – Not at all")]
RELEVANCE = [SelectChoice("5", "5 – Highly relevant"), SelectChoice("4", "4"),
             SelectChoice("3", "3 – Somewhat"), SelectChoice("2", "2"),
             SelectChoice("1", "1 – Not relevant")]
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class EvaluationForm(FlaskForm):
    """The post-activity evaluation that must be submitted before a certificate."""

    objectives_met = RadioField("How well were the learning objectives met?", choices=SCALE,
                                validators=[InputRequired(message="Choose a rating.")])
    relevance = RadioField("How relevant is this module to your practice?", choices=RELEVANCE,
                           validators=[InputRequired(message="Choose a rating.")])
    free_of_bias = RadioField(
        "Was the content fair, balanced and free of commercial bias?",
        choices=YES_NO,
        validators=[InputRequired(message="Answer yes or no.")])
    bias_comment = TextAreaField("If not, what was biased? (optional)",
                                 validators=[Optional(), Length(max=2000)])
    practice_change = TextAreaField(
        "What will you change in your practice as a result of this module?",
        validators=[DataRequired(message="Describe at least one intended change."),
                    Length(max=2000)])


class VerifyForm(FlaskForm):
    """Look up a certificate by its code (GET form, so no CSRF token is needed)."""

    class Meta:
        csrf = False

    code = StringField("Certificate code", validators=[DataRequired(), Length(max=60)])


class RevokeForm(FlaskForm):
    """An administrator revokes a certificate, giving a reason."""

    reason = TextAreaField("Reason for revoking",
                           validators=[DataRequired(message="Give a reason."), Length(max=500)])
