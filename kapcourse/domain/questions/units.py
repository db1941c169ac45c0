"""Units a numeric answer may be given in, and exact conversion between them."""
from __future__ import annotations

from fractions import Fraction

# dimension -> unit -> factor to the dimension's base unit (exact fractions, never floats)
DIMENSIONS: dict[str, dict[str, Fraction]] = {
    "mass": {"mcg": Fraction(1, 1000), "mg": Fraction(1), "g": Fraction(1000)},
    "mass per weight": {"mcg/kg": Fraction(1, 1000), "mg/kg": Fraction(1)},
    "dose rate": {"mg/kg/h": Fraction(1), "mg/kg/min": Fraction(60), "mcg/kg/min": Fraction(60, 1000)},
    "rate": {"mg/h": Fraction(1), "mg/min": Fraction(60)},
    "volume": {"mL": Fraction(1), "L": Fraction(1000)},
    "time": {"s": Fraction(1), "min": Fraction(60), "h": Fraction(3600)},
    "concentration": {"mg/mL": Fraction(1)},
    "pressure": {"mmHg": Fraction(1)},
    # counts never convert: each is its own dimension
    "points": {"points": Fraction(1)},
    "percent": {"%": Fraction(1)},
    "days": {"days": Fraction(1)},
    "years": {"years": Fraction(1)},
}

_DIMENSION_OF = {unit: dim for dim, units in DIMENSIONS.items() for unit in units}
# spellings a learner may type, mapped to the canonical unit
_ALIASES = {"µg": "mcg", "ug": "mcg", "ml": "mL", "l": "L", "hr": "h", "sec": "s", "mmhg": "mmHg",
            "percent": "%", "point": "points", "day": "days", "year": "years"}


def known_units() -> list[str]:
    """Every canonical unit, in table order."""
    return list(_DIMENSION_OF)


def canonical(unit: str) -> str | None:
    """The canonical spelling of a unit, or None when it is not a known unit."""
    text = unit.strip().replace(" ", "")
    if text in _DIMENSION_OF:
        return text
    lowered = text.lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    matches = [u for u in _DIMENSION_OF if u.lower() == lowered]
    return matches[0] if matches else None


def dimension(unit: str) -> str | None:
    """The dimension a canonical unit measures, or None."""
    return _DIMENSION_OF.get(unit)


def convert(value: Fraction, from_unit: str, to_unit: str) -> Fraction:
    """Convert an exact value between two units of the same dimension."""
    dim = _DIMENSION_OF[from_unit]
    if _DIMENSION_OF[to_unit] != dim:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    return value * DIMENSIONS[dim][from_unit] / DIMENSIONS[dim][to_unit]
