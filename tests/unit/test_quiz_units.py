"""Units: canonical spellings and exact conversion within a dimension only."""
from fractions import Fraction

import pytest

from kapcourse.domain.questions import units

CONVERSIONS = [
    (Fraction(1), "g", "mg", Fraction(1000)),
    (Fraction(250), "mcg", "mg", Fraction(1, 4)),
    (Fraction(1, 2), "mg/kg/h", "mcg/kg/min", Fraction(25, 3)),
    (Fraction(1), "mg/min", "mg/h", Fraction(60)),
    (Fraction(1), "L", "mL", Fraction(1000)),
    (Fraction(40), "min", "h", Fraction(2, 3)),
    (Fraction(5), "mg/kg", "mcg/kg", Fraction(5000)),
]


@pytest.mark.parametrize("value,src,dst,expected", CONVERSIONS)
def test_convert(value, src, dst, expected):
    assert units.convert(value, src, dst) == expected


@pytest.mark.parametrize("src,dst", [("mg", "mL"), ("days", "years"), ("%", "points"), ("mg/h", "mg/kg/h")])
def test_no_conversion_across_dimensions(src, dst):
    with pytest.raises(ValueError):
        units.convert(Fraction(1), src, dst)


@pytest.mark.parametrize("text,unit", [("ml", "mL"), (" MG ", "mg"), ("µg", "mcg"), ("mg / kg / h", "mg/kg/h"),
                                       ("percent", "%"), ("MMHG", "mmHg"), ("furlongs", None)])
def test_canonical(text, unit):
    assert units.canonical(text) == unit
