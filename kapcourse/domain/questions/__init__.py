"""Question types, units, item selection and grading: pure Python, no Flask or SQLAlchemy."""
from .base import Problem, QuestionType, ResponseError
from .grading import Grade, ObjectiveResult, grade, item_decimal, score_item, to_percent
from .registry import QUESTION_TYPES, public_view, question_type, validate_question
from .selection import BlueprintError, arrange_all, draw, row_matches

__all__ = [
    "Problem", "QuestionType", "ResponseError", "Grade", "ObjectiveResult", "grade", "item_decimal",
    "score_item", "to_percent", "QUESTION_TYPES", "public_view", "question_type", "validate_question",
    "BlueprintError", "arrange_all", "draw", "row_matches",
]
