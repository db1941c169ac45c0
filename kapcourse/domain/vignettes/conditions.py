"""A tiny, safe condition language for vignette edges: tokenised, parsed, never eval'd.

Grammar (lowest precedence first)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom)?
    atom       := NUMBER | "true" | "false" | NAME | "(" expr ")"

Only declared variable names are accepted, and the expression is type-checked against
the declared types (bool or number), so a bad condition fails at publish time and never
while a learner plays.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Union

MAX_LENGTH = 200
MAX_DEPTH = 12
KEYWORDS = {"and", "or", "not", "true", "false"}
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
VARIABLE_TYPES = ("bool", "number")

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?(?![\w.]))|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|<|>)|(?P<paren>[()]))",
    re.ASCII,
)
# Characters that mean someone tried to write Python; each gets a message that says so.
_FORBIDDEN = {
    ".": "attribute access is not allowed",
    "[": "subscripts are not allowed",
    "]": "subscripts are not allowed",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "=": "use '==' to compare",
    "&": "use 'and'",
    "|": "use 'or'",
    "!": "use 'not'",
}


class ConditionError(ValueError):
    """A condition that cannot be accepted, with a message meant for an author."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Token:
    """One lexical token and its 0-based column."""

    kind: str  # number | name | keyword | op | paren | end
    text: str
    position: int


@dataclass(frozen=True)
class Literal:
    """A number, true or false."""

    value: bool | float


@dataclass(frozen=True)
class Name:
    """A variable read."""

    name: str


@dataclass(frozen=True)
class Not:
    """Logical negation."""

    operand: "Expr"


@dataclass(frozen=True)
class BoolOp:
    """`and` / `or` of two conditions."""

    op: str  # and | or
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Compare:
    """One comparison (chains are rejected)."""

    op: str
    left: "Expr"
    right: "Expr"


Expr = Union[Literal, Name, Not, BoolOp, Compare]


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; anything outside the language is a ConditionError."""
    if not isinstance(text, str):
        raise ConditionError("a condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is too long ({len(text)} characters, at most {MAX_LENGTH})")
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].isspace():
            break
        match = _TOKEN.match(text, position)
        if not match:
            tokens_start = len(text) - len(text[position:].lstrip())
            raise _unexpected(text, tokens_start)
        kind = match.lastgroup or ""
        value, start = match.group(kind), match.start(kind)
        if kind == "name" and value in KEYWORDS:
            kind = "keyword"
        tokens.append(Token(kind, value, start))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unexpected(text: str, position: int) -> ConditionError:
    char = text[position]
    reason = _FORBIDDEN.get(char, "it is not part of the condition language")
    return ConditionError(f"unexpected '{char}' at column {position + 1}: {reason}", position)


class _Parser:
    """Recursive descent over the token list, with a nesting limit."""

    def __init__(self, tokens: list[Token], variables: Mapping[str, str] | None):
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.variables = variables

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def descend(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"condition is nested too deeply (at most {MAX_DEPTH} levels)", self.current.position)

    def parse(self) -> Expr:
        expr = self.expr()
        if self.current.kind != "end":
            raise self.error_here("expected the end of the condition")
        return expr

    def expr(self) -> Expr:
        self.descend()
        left = self.and_expr()
        while self.current.text == "or" and self.current.kind == "keyword":
            self.take()
            left = BoolOp("or", left, self.and_expr())
        self.depth -= 1
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.current.text == "and" and self.current.kind == "keyword":
            self.take()
            left = BoolOp("and", left, self.not_expr())
        return left

    def not_expr(self) -> Expr:
        if self.current.kind == "keyword" and self.current.text == "not":
            self.take()
            self.descend()
            operand = self.not_expr()
            self.depth -= 1
            return Not(operand)
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.atom()
        if self.current.kind != "op":
            return left
        op = self.take().text
        right = self.atom()
        if self.current.kind == "op":
            raise self.error_here("chained comparisons are not allowed; join them with 'and'")
        return Compare(op, left, right)

    def atom(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "keyword" and token.text in ("true", "false"):
            return Literal(token.text == "true")
        if token.kind == "name":
            return self.name(token)
        if token.text == "(":
            inner = self.expr()
            if self.take().text != ")":
                raise ConditionError("missing ')'", token.position)
            return inner
        self.index -= 1
        raise self.error_here("expected a name, a number, true, false or '('")

    def name(self, token: Token) -> Name:
        if self.current.text == "(":
            raise ConditionError(f"function calls are not allowed ('{token.text}(')", token.position)
        if self.variables is not None and token.text not in self.variables:
            raise ConditionError(f"unknown variable '{token.text}'", token.position)
        return Name(token.text)

    def error_here(self, message: str) -> ConditionError:
        token = self.current
        found = "the end" if token.kind == "end" else f"'{token.text}'"
        return ConditionError(f"{message}, found {found} at column {token.position + 1}", token.position)


def parse(text: str, variables: Mapping[str, str] | None = None) -> Expr:
    """Parse a condition; with variables (name -> 'bool'|'number'), also check names and types."""
    tokens = tokenize(text)
    if len(tokens) == 1:
        raise ConditionError("a condition cannot be empty")
    expr = _Parser(tokens, variables).parse()
    if variables is not None:
        kind = type_of(expr, variables)
        if kind != "bool":
            raise ConditionError("a condition must be true or false, not a number")
    return expr


def type_of(expr: Expr, variables: Mapping[str, str]) -> str:
    """The type ('bool' or 'number') of an expression; ConditionError if it mixes types."""
    if isinstance(expr, Literal):
        return "bool" if isinstance(expr.value, bool) else "number"
    if isinstance(expr, Name):
        return variables[expr.name]
    if isinstance(expr, Not):
        _expect(expr.operand, "bool", variables, "'not' needs true or false")
        return "bool"
    if isinstance(expr, BoolOp):
        for side in (expr.left, expr.right):
            _expect(side, "bool", variables, f"'{expr.op}' joins conditions, not numbers")
        return "bool"
    left, right = type_of(expr.left, variables), type_of(expr.right, variables)
    if expr.op in ("==", "!="):
        if left != right:
            raise ConditionError(f"'{expr.op}' compares a {left} with a {right}")
    elif left != "number" or right != "number":
        raise ConditionError(f"'{expr.op}' compares numbers only")
    return "bool"


def _expect(expr: Expr, wanted: str, variables: Mapping[str, str], message: str) -> None:
    if type_of(expr, variables) != wanted:
        raise ConditionError(message)


def evaluate(expr: Expr, state: Mapping[str, bool | float]) -> bool | float:
    """Evaluate a parsed condition against variable values (no Python eval involved)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Name):
        return state[expr.name]
    if isinstance(expr, Not):
        return not evaluate(expr.operand, state)
    if isinstance(expr, BoolOp):
        left = evaluate(expr.left, state)
        if expr.op == "and":
            return bool(left) and bool(evaluate(expr.right, state))
        return bool(left) or bool(evaluate(expr.right, state))
    return _compare(expr.op, evaluate(expr.left, state), evaluate(expr.right, state))


def _compare(op: str, left, right) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def names_in(expr: Expr) -> set[str]:
    """Every variable name the expression reads."""
    if isinstance(expr, Name):
        return {expr.name}
    if isinstance(expr, Not):
        return names_in(expr.operand)
    if isinstance(expr, (BoolOp, Compare)):
        return names_in(expr.left) | names_in(expr.right)
    return set()


def holds(text: str, state: Mapping[str, bool | float], variables: Mapping[str, str] | None = None) -> bool:
    """Parse and evaluate a condition in one step."""
    return bool(evaluate(parse(text, variables), state))
