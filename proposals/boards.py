"""Sections that higher apps add to the office's overdue board (逾期与催办).

The board lives here, but some of what can be overdue lives in apps above this one (a 回头看 task
in responses): such an app registers a function at start-up, so the board shows it without this
app importing it. Each function takes (today, within) and returns a BoardSection or None.
"""

from dataclasses import dataclass, field

_sections = []


@dataclass
class BoardSection:
    template: str  # rendered with `section` in its context
    rows: list = field(default_factory=list)


def register(section_function):
    if section_function not in _sections:
        _sections.append(section_function)
    return section_function


def sections(today, within):
    found = (function(today, within) for function in _sections)
    return [section for section in found if section is not None]
