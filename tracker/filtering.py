"""Bounded whole numbers in query strings: one helper for every id or year filter (HTML pages and
the API), so that an out-of-range value is a clear 400 or an empty result, never a database error.

SQLite stores integers in 64 bits and raises OverflowError on a larger parameter; PostgreSQL's
bigint has the same range. No record has an id outside 1..ID_MAX, so a value outside it is refused
before it reaches a query.
"""

import re

import django_filters
from django import forms
from drf_spectacular.drainage import set_override

ID_MAX = 2**63 - 1  # the largest BigAutoField (DEFAULT_AUTO_FIELD) value on both databases
YEAR_MIN, YEAR_MAX = 1, 9999
# How an integer is written in a query string: ASCII digits, no sign other than minus, no leading zero.
# int() and Django's and DRF's integer fields also take "1.0", " 1", "+1", "01" and "１"; the API's
# schema says integer, so those are refused rather than read as 1.
INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def is_integer(value):
    """Whether a query-string value is an integer written plainly (see INTEGER)."""
    return isinstance(value, int) or bool(INTEGER.fullmatch(str(value)))


class BoundedIntegerField(forms.IntegerField):
    """A whole number within [min_value, max_value] (by default a record id: 1..ID_MAX)."""

    def __init__(self, *, min_value=1, max_value=ID_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not is_integer(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def in_range(value, min_value=1, max_value=ID_MAX):
    """`value` (a string from a query string or a URL) as an int within the bounds, or None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if min_value <= number <= max_value else None


class IdFilter(django_filters.NumberFilter):
    """A record id (or, with other bounds, a year): a whole number within its bounds, documented so in
    the API schema (NumberFilter alone would take and document decimals and any magnitude)."""

    field_class = BoundedIntegerField

    def __init__(self, *args, min_value=1, max_value=ID_MAX, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        # Document it as a bounded integer, keeping its help text (a class-level override would drop it).
        set_override(
            self,
            "field",
            {
                "type": "integer",
                "minimum": min_value,
                "maximum": max_value,
                "description": self.extra.get("help_text", ""),
            },
        )


def year_filter(**kwargs):
    return IdFilter(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)
