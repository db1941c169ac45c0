"""Forms of the vignette player; each carries the node and position it was drawn for."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import HiddenInput


class StepForm(FlaskForm):
    """Continue, acknowledge or go back; node and position reject stale or repeated submits."""

    node = HiddenField(validators=[DataRequired()])
    position = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ChoiceForm(StepForm):
    """One choice at a decision node."""

    choice = RadioField("Your decision", validators=[InputRequired(message="Choose one option before you go on.")])

    def offer(self, choices: list[dict]) -> "ChoiceForm":
        """Limit the accepted values to the node's choice ids."""
        self.choice.choices = [(c["id"], c["text"]) for c in choices]
        return self


class RevealForm(StepForm):
    """Open one exhibit; the exhibit id comes from the pressed button."""

    exhibit = HiddenField(validators=[DataRequired()])
