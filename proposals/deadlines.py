"""Deadlines of the proposal workflow (办理期限).

Pure Python: the standard library plus ``chinese_calendar`` for the Chinese statutory calendar.
No Django imports, so this module can be used and tested without a database.

Two kinds of periods are used (see "Life of a proposal" in the domain notes):

* calendar months (自然月): the reply is due within 3 months of assignment, the co-handling
  opinion (会办意见) within 1 month;
* working days (工作日), on the statutory calendar including swapped working weekends (调休):
  the objection/return window (交办异议/退回) of 5 working days after assignment, the feedback
  window of 15 and the publication window of 20 working days after the reply.

In every function the starting day itself (the day of assignment or of the reply) is **not**
counted: the period starts on the following day. The returned date is the last day on which the
act is still on time (inclusive). No adjustment is made when a month-based due date falls on a
weekend or holiday: the date is returned as computed.

The holiday calendar only covers the years for which ``chinese_calendar`` ships data (see
``calendar_range()``). Working-day arithmetic that needs a day outside that range raises
``CalendarNotCovered`` instead of guessing.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass

import chinese_calendar

__all__ = [
    "CalendarNotCovered",
    "DeadlineRules",
    "add_months",
    "add_working_days",
    "calendar_range",
    "is_working_day",
    "working_days_between",
]

_ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(ValueError):
    """A date outside the statutory holiday calendar shipped with ``chinese_calendar``.

    ``day`` is the first date that could not be classified; ``first`` and ``last`` give the
    covered range. The message is Chinese first, with an English gloss.
    """

    def __init__(self, day: datetime.date):
        self.day = day
        self.first, self.last = calendar_range()
        super().__init__(
            f"节假日日历未覆盖 {day.isoformat()}"
            f"（已覆盖 {self.first.isoformat()} 至 {self.last.isoformat()}）："
            "请升级 chinesecalendar 或手动填写期限 "
            f"(holiday calendar does not cover {day.isoformat()}; "
            f"covered: {self.first.isoformat()} to {self.last.isoformat()})"
        )


def _check_date(value, name: str = "day") -> datetime.date:
    """Accept a plain ``datetime.date`` only.

    A ``datetime.datetime`` is refused rather than truncated: the date of an aware datetime
    depends on its time zone (UTC vs. China time), so callers must pick the local date
    themselves (e.g. ``django.utils.timezone.localdate()``).
    """
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _check_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


@functools.lru_cache(maxsize=1)
def calendar_range() -> tuple[datetime.date, datetime.date]:
    """The dates the holiday calendar covers, as ``(first_date, last_date)``, both inclusive.

    Computed from the data of the installed ``chinese_calendar``: it holds the official holiday
    arrangements year by year and accepts exactly the whole years from the first to the last year
    present in its ``holidays`` table, so the range runs from 1 January of the first year to
    31 December of the last. (With chinesecalendar 1.11.0: 2004-01-01 to 2026-12-31.)

    Caveat: the arrangement for the year after the last one is not yet known, and it has in the
    past moved the last days of December (e.g. 2018-12-29 was a working Saturday, 2018-12-30/31
    holidays, for New Year 2019). Upgrade the package when the State Council publishes a new year.
    """
    years = {day.year for day in chinese_calendar.holidays}
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` calendar months later (earlier if negative).

    When the target month is shorter the result is clamped to its last day:
    2020-01-31 + 1 month is 2020-02-29, 2021-11-30 + 3 months is 2022-02-28.
    Weekends and holidays are not considered, so no holiday calendar is needed.
    """
    _check_date(day)
    _check_int(months, "months")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} + {months} months is out of range")
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day on the Chinese statutory calendar.

    Monday to Friday are working days unless they are statutory holidays or days off in lieu;
    a Saturday or Sunday is a working day when it is a swapped working day (调休上班),
    e.g. Sunday 2020-01-19 before the Spring Festival.

    Raises ``CalendarNotCovered`` for a date outside ``calendar_range()``.
    """
    _check_date(day)
    first, last = calendar_range()
    if not first <= day <= last:
        raise CalendarNotCovered(day)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:  # the library's own range check; should not happen
        raise CalendarNotCovered(day) from exc


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day``.

    ``day`` itself is not counted, whether or not it is a working day: counting starts on the
    following day, so from Monday 2020-12-28, 5 working days end on 2021-01-05 (New Year's Day
    and the weekend after it are skipped). ``n == 0`` returns ``day`` unchanged. A negative
    ``n`` raises ``ValueError``.

    Raises ``CalendarNotCovered`` if a day that has to be checked is outside ``calendar_range()``.
    """
    _check_date(day)
    _check_int(n, "n")
    if n < 0:
        raise ValueError(f"n must not be negative (got {n})")
    current = day
    remaining = n
    while remaining:
        current += _ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days in ``(start, end]``: ``start`` excluded, ``end`` included.

    Meant for "working days left" displays: ``working_days_between(today, deadline)`` is 0 when
    the deadline is today, and ``working_days_between(d, add_working_days(d, n)) == n``.
    When ``end`` is before ``start`` the result is negative: minus the number of working days in
    ``(end, start]`` (e.g. -1 one working day after the deadline).

    Raises ``CalendarNotCovered`` if a day that has to be checked is outside ``calendar_range()``.
    """
    _check_date(start, "start")
    _check_date(end, "end")
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += _ONE_DAY
        if is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class DeadlineRules:
    """The deadline settings of one committee, with the common defaults.

    * ``reply_months``: the lead unit's reply (答复) is due this many calendar months after
      assignment (交办);
    * ``opinion_months``: co-handling units' opinions (会办意见) are due this many calendar months
      after assignment;
    * ``objection_working_days``: a unit may return a wrongly assigned proposal (交办异议/退回)
      within this many working days after assignment;
    * ``feedback_working_days``: the proposer's feedback (反馈) is expected within this many
      working days after the reply;
    * ``publication_working_days``: the reply is published (公开) within this many working days
      after the reply.

    The day of assignment or of the reply is never counted. Each method returns the last day
    that is still on time.
    """

    reply_months: int = 3
    opinion_months: int = 1
    objection_working_days: int = 5
    feedback_working_days: int = 15
    publication_working_days: int = 20

    def __post_init__(self):
        for name in (
            "reply_months",
            "opinion_months",
            "objection_working_days",
            "feedback_working_days",
            "publication_working_days",
        ):
            value = _check_int(getattr(self, name), name)
            if value < 1:
                raise ValueError(f"{name} must be at least 1 (got {value})")

    def reply_due(self, assigned_on: datetime.date) -> datetime.date:
        """Last day for the reply: ``reply_months`` calendar months after assignment."""
        return add_months(assigned_on, self.reply_months)

    def opinion_due(self, assigned_on: datetime.date) -> datetime.date:
        """Last day for co-handling opinions: ``opinion_months`` calendar months after assignment."""
        return add_months(assigned_on, self.opinion_months)

    def objection_deadline(self, assigned_on: datetime.date) -> datetime.date:
        """Last day to return the assignment: ``objection_working_days`` working days after it."""
        return add_working_days(assigned_on, self.objection_working_days)

    def feedback_deadline(self, replied_on: datetime.date) -> datetime.date:
        """Last day for the proposer's feedback: ``feedback_working_days`` working days after the reply."""
        return add_working_days(replied_on, self.feedback_working_days)

    def publication_deadline(self, replied_on: datetime.date) -> datetime.date:
        """Last day to publish the reply: ``publication_working_days`` working days after the reply."""
        return add_working_days(replied_on, self.publication_working_days)
