"""Vietnamese formatting of numbers and dates, through Babel's CLDR data (locale `vi`).

36000 -> "36.000"; 61.9 -> "61,9%"; 2020-12-07 -> "07/12/2020".
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

# Parsed once: Babel parses a locale given as text again on every call (twice the time per number).
LOCALE = Locale.parse("vi")
QUALIFIERS = {"tren": "trên", "khoang": "khoảng", "duoi": "dưới"}


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


def _rounded(value, digits: int) -> Decimal:
    # Half-up, as people round by hand; Babel's default is banker's rounding.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


# Pages show the same figures and dates many times; Babel's formatting is the slow part of a
# macro, and its result depends only on these arguments.
@lru_cache(maxsize=4096)
def number(value, digits: int = 0) -> str:
    """A count or measure in Vietnamese style: 36.000; 70; 0,2."""
    return format_decimal(_rounded(value, digits), format=_pattern(digits), locale=LOCALE)


@lru_cache(maxsize=4096)
def percent(value, digits: int = 1) -> str:
    """A share given in percent points (61.9 means 61,9%)."""
    return format_percent(_rounded(value, digits) / 100, format=_pattern(digits) + "%", locale=LOCALE)


@lru_cache(maxsize=4096)
def date(value) -> str:
    """dd/MM/yyyy, as Vietnamese official documents write dates."""
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)


def month(value: str) -> str:
    """'2026-11' -> '11/2026'."""
    year, mon = value.split("-")
    return format_date(_dt.date(int(year), int(mon), 1), "MM/yyyy", locale=LOCALE)


def figure_text(fig, with_unit: bool = False) -> str:
    """A figure as readers see it: qualifier, number, and % or (on request) its unit."""
    text = percent(fig.value, fig.digits) if fig.is_percent else number(fig.value, fig.digits)
    if fig.qualifier:
        text = f"{QUALIFIERS[fig.qualifier]} {text}"
    if with_unit and not fig.is_percent:
        text = f"{text} {fig.unit}"
    return text
