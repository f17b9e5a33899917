"""Tests for proposals.deadlines (no database).

Calendar facts below come from the official State Council holiday arrangements as shipped in
chinesecalendar 1.11.0 (checked against its ``holidays``/``workdays`` tables, see
``test_library_data_has_the_facts_we_rely_on``):

* 2020: New Year 01-01; Spring Festival 01-24..02-02 (extended from 01-30 because of COVID-19),
  working Sunday 01-19; National Day + Mid-autumn 10-01..10-08, working Sunday 09-27 and
  working Saturday 10-10.
* 2021: New Year 01-01..01-03; Spring Festival 02-11..02-17, working Sunday 02-07 and
  working Saturday 02-20.
"""

import datetime
from datetime import date

import chinese_calendar
import pytest

from proposals.deadlines import (
    CalendarNotCovered,
    DeadlineRules,
    add_months,
    add_working_days,
    calendar_range,
    is_working_day,
    working_days_between,
)


def test_library_data_has_the_facts_we_rely_on():
    for swapped_working_day in (
        date(2020, 1, 19),
        date(2020, 9, 27),
        date(2020, 10, 10),
        date(2021, 2, 7),
        date(2021, 2, 20),
    ):
        assert swapped_working_day in chinese_calendar.workdays
        assert swapped_working_day.weekday() >= 5
    for holiday in (date(2020, 1, 31), date(2020, 2, 2), date(2020, 10, 8), date(2021, 1, 1)):
        assert holiday in chinese_calendar.holidays
    assert date(2020, 2, 3) not in chinese_calendar.holidays


# --- calendar_range ---------------------------------------------------------------------------


def test_calendar_range_comes_from_library_data():
    first, last = calendar_range()
    assert first == date(min(chinese_calendar.holidays).year, 1, 1)
    assert last == date(max(chinese_calendar.holidays).year, 12, 31)
    # chinesecalendar 1.11.0 ships 2004..2026
    assert first == date(2004, 1, 1)
    assert last >= date(2026, 12, 31)


def test_calendar_range_edges_are_usable():
    first, last = calendar_range()
    assert isinstance(is_working_day(first), bool)
    assert isinstance(is_working_day(last), bool)


# --- is_working_day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        pytest.param(date(2020, 1, 19), True, id="2020-01-19-sunday-swapped-working-day"),
        pytest.param(date(2020, 9, 27), True, id="2020-09-27-sunday-swapped-working-day"),
        pytest.param(date(2020, 10, 10), True, id="2020-10-10-saturday-swapped-working-day"),
        pytest.param(date(2021, 2, 7), True, id="2021-02-07-sunday-swapped-working-day"),
        pytest.param(date(2021, 2, 20), True, id="2021-02-20-saturday-swapped-working-day"),
        pytest.param(date(2020, 1, 18), False, id="2020-01-18-ordinary-saturday"),
        pytest.param(date(2020, 1, 1), False, id="2020-01-01-new-year-wednesday"),
        pytest.param(date(2020, 1, 31), False, id="2020-01-31-extended-spring-festival-friday"),
        pytest.param(date(2020, 2, 3), True, id="2020-02-03-first-day-after-extended-spring-festival"),
        pytest.param(date(2020, 10, 8), False, id="2020-10-08-national-day-thursday"),
        pytest.param(date(2020, 10, 9), True, id="2020-10-09-friday-after-national-day"),
        pytest.param(date(2020, 11, 11), True, id="2020-11-11-ordinary-wednesday"),
        pytest.param(date(2021, 1, 4), True, id="2021-01-04-monday-after-new-year"),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


# --- add_working_days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, expected",
    [
        pytest.param(date(2020, 11, 9), 5, date(2020, 11, 16), id="ordinary-week-monday-plus-5"),
        pytest.param(date(2020, 11, 13), 1, date(2020, 11, 16), id="friday-plus-1-skips-weekend"),
        pytest.param(date(2020, 11, 14), 1, date(2020, 11, 16), id="start-on-saturday-not-counted"),
        pytest.param(date(2020, 9, 30), 5, date(2020, 10, 14), id="national-day-2020-skipped"),
        pytest.param(date(2020, 10, 9), 1, date(2020, 10, 10), id="saturday-2020-10-10-counts"),
        pytest.param(date(2020, 1, 17), 1, date(2020, 1, 19), id="sunday-2020-01-19-counts"),
        pytest.param(date(2020, 1, 22), 3, date(2020, 2, 4), id="spring-festival-2020-extended-to-02-02"),
        pytest.param(date(2020, 12, 28), 5, date(2021, 1, 5), id="year-end-2020-new-year-skipped"),
        pytest.param(date(2021, 2, 5), 1, date(2021, 2, 7), id="sunday-2021-02-07-counts"),
        pytest.param(date(2021, 2, 10), 1, date(2021, 2, 18), id="spring-festival-2021-skipped"),
        pytest.param(date(2021, 2, 19), 1, date(2021, 2, 20), id="saturday-2021-02-20-counts"),
        pytest.param(date(2020, 12, 28), 15, date(2021, 1, 19), id="feedback-window-over-new-year"),
        pytest.param(date(2020, 9, 21), 20, date(2020, 10, 23), id="publication-window-over-national-day"),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(date(2020, 11, 11), id="working-day"),
        pytest.param(date(2020, 10, 3), id="holiday"),
        pytest.param(date(2030, 6, 1), id="outside-calendar-range"),
    ],
)
def test_add_zero_working_days_returns_the_day(start):
    assert add_working_days(start, 0) == start


@pytest.mark.parametrize("n", [pytest.param(-1, id="minus-1"), pytest.param(-20, id="minus-20")])
def test_add_negative_working_days_is_refused(n):
    with pytest.raises(ValueError):
        add_working_days(date(2020, 11, 11), n)


def test_negative_working_days_error_is_not_calendar_not_covered():
    with pytest.raises(ValueError) as excinfo:
        add_working_days(date(2020, 11, 11), -1)
    assert not isinstance(excinfo.value, CalendarNotCovered)


# --- working_days_between ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, expected",
    [
        pytest.param(date(2020, 11, 11), date(2020, 11, 11), 0, id="same-day"),
        pytest.param(date(2020, 11, 13), date(2020, 11, 16), 1, id="friday-to-monday"),
        pytest.param(date(2020, 11, 14), date(2020, 11, 15), 0, id="weekend-only"),
        pytest.param(date(2020, 1, 18), date(2020, 1, 19), 1, id="into-swapped-sunday"),
        pytest.param(date(2020, 9, 30), date(2020, 10, 8), 0, id="national-day-week"),
        pytest.param(date(2020, 9, 30), date(2020, 10, 14), 5, id="over-national-day"),
        pytest.param(date(2020, 12, 28), date(2021, 1, 5), 5, id="over-new-year"),
        pytest.param(date(2020, 10, 14), date(2020, 9, 30), -5, id="reversed-is-negative"),
        pytest.param(date(2020, 11, 17), date(2020, 11, 16), -1, id="one-working-day-overdue"),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_working_days_between_inverts_add_working_days():
    start = date(2019, 12, 20)
    for offset in range(0, 500, 3):
        day = start + datetime.timedelta(days=offset)
        for n in (0, 1, 5, 15, 20):
            assert working_days_between(day, add_working_days(day, n)) == n


# --- add_months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, months, expected",
    [
        pytest.param(date(2020, 5, 20), 3, date(2020, 8, 20), id="plain-3-months"),
        pytest.param(date(2020, 1, 31), 1, date(2020, 2, 29), id="jan31-to-feb29-leap-year"),
        pytest.param(date(2021, 1, 31), 1, date(2021, 2, 28), id="jan31-to-feb28-common-year"),
        pytest.param(date(2021, 11, 30), 3, date(2022, 2, 28), id="nov30-plus-3-crosses-year"),
        pytest.param(date(2019, 11, 30), 3, date(2020, 2, 29), id="nov30-plus-3-into-leap-feb"),
        pytest.param(date(2020, 2, 29), 12, date(2021, 2, 28), id="feb29-plus-12"),
        pytest.param(date(2020, 3, 31), 1, date(2020, 4, 30), id="mar31-to-apr30"),
        pytest.param(date(2020, 10, 31), 3, date(2021, 1, 31), id="oct31-plus-3-keeps-31"),
        pytest.param(date(2020, 12, 15), 1, date(2021, 1, 15), id="december-to-january"),
        pytest.param(date(2020, 3, 31), -1, date(2020, 2, 29), id="negative-months-clamped"),
        pytest.param(date(2020, 5, 20), 0, date(2020, 5, 20), id="zero-months"),
        pytest.param(date(2030, 1, 31), 1, date(2030, 2, 28), id="outside-holiday-calendar-ok"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


# --- outside the covered range ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, missing",
    [
        pytest.param(lambda: is_working_day(date(2027, 1, 4)), date(2027, 1, 4), id="is-working-day-2027"),
        pytest.param(
            lambda: is_working_day(date(2003, 12, 31)), date(2003, 12, 31), id="is-working-day-2003"
        ),
        pytest.param(
            lambda: add_working_days(date(2026, 12, 28), 5),
            date(2027, 1, 1),
            id="add-working-days-runs-into-2027",
        ),
        pytest.param(
            lambda: working_days_between(date(2026, 12, 30), date(2027, 1, 8)),
            date(2027, 1, 1),
            id="between-runs-into-2027",
        ),
        pytest.param(
            lambda: DeadlineRules().objection_deadline(date(2026, 12, 28)),
            date(2027, 1, 1),
            id="objection-deadline-runs-into-2027",
        ),
    ],
)
def test_dates_outside_calendar_raise(call, missing):
    with pytest.raises(CalendarNotCovered) as excinfo:
        call()
    error = excinfo.value
    assert isinstance(error, ValueError)
    assert error.day == missing
    message = str(error)
    assert message.startswith("节假日日历未覆盖 " + missing.isoformat())
    assert missing.isoformat() in message
    assert "chinesecalendar" in message
    first, last = calendar_range()
    assert first.isoformat() in message and last.isoformat() in message


# --- input types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: is_working_day(datetime.datetime(2020, 11, 11, 9, 0)), id="is-working-day"),
        pytest.param(
            lambda: add_working_days(datetime.datetime(2020, 11, 11, 9, 0), 1), id="add-working-days"
        ),
        pytest.param(lambda: add_months(datetime.datetime(2020, 11, 11, 9, 0), 1), id="add-months"),
        pytest.param(lambda: working_days_between(date(2020, 11, 11), "2020-11-20"), id="between-string"),
        pytest.param(lambda: add_working_days(date(2020, 11, 11), 1.5), id="float-n"),
    ],
)
def test_wrong_types_are_refused(call):
    with pytest.raises(TypeError):
        call()


# --- DeadlineRules ----------------------------------------------------------------------------


def test_default_rules():
    rules = DeadlineRules()
    assert (
        rules.reply_months,
        rules.opinion_months,
        rules.objection_working_days,
        rules.feedback_working_days,
        rules.publication_working_days,
    ) == (3, 1, 5, 15, 20)


@pytest.mark.parametrize(
    "method, start, expected",
    [
        pytest.param("reply_due", date(2020, 5, 20), date(2020, 8, 20), id="reply-3-months"),
        pytest.param("reply_due", date(2021, 11, 30), date(2022, 2, 28), id="reply-clamped-to-month-end"),
        pytest.param("opinion_due", date(2020, 5, 20), date(2020, 6, 20), id="opinion-1-month"),
        pytest.param("opinion_due", date(2020, 1, 31), date(2020, 2, 29), id="opinion-clamped-leap-year"),
        pytest.param(
            "objection_deadline", date(2020, 9, 30), date(2020, 10, 14), id="objection-over-national-day"
        ),
        pytest.param(
            "objection_deadline", date(2020, 12, 28), date(2021, 1, 5), id="objection-over-new-year"
        ),
        pytest.param(
            "feedback_deadline", date(2020, 9, 21), date(2020, 10, 16), id="feedback-15-working-days"
        ),
        pytest.param("feedback_deadline", date(2020, 12, 28), date(2021, 1, 19), id="feedback-over-new-year"),
        pytest.param("publication_deadline", date(2020, 9, 21), date(2020, 10, 23), id="publication-20-wd"),
        pytest.param(
            "publication_deadline", date(2020, 12, 28), date(2021, 1, 26), id="publication-new-year"
        ),
    ],
)
def test_default_rule_deadlines(method, start, expected):
    result = getattr(DeadlineRules(), method)(start)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    "rules, method, start, expected",
    [
        pytest.param(
            DeadlineRules(reply_months=2),
            "reply_due",
            date(2020, 5, 20),
            date(2020, 7, 20),
            id="reply-2-months",
        ),
        pytest.param(
            DeadlineRules(opinion_months=2),
            "opinion_due",
            date(2020, 12, 31),
            date(2021, 2, 28),
            id="opinion-2-months-clamped",
        ),
        pytest.param(
            DeadlineRules(objection_working_days=3),
            "objection_deadline",
            date(2020, 9, 30),
            date(2020, 10, 12),
            id="objection-3-working-days",
        ),
        pytest.param(
            DeadlineRules(objection_working_days=10),
            "objection_deadline",
            date(2020, 9, 30),
            date(2020, 10, 21),
            id="objection-10-working-days",
        ),
    ],
)
def test_custom_rule_deadlines(rules, method, start, expected):
    assert getattr(rules, method)(start) == expected


def test_rules_are_frozen():
    rules = DeadlineRules()
    with pytest.raises(AttributeError):
        rules.reply_months = 4


@pytest.mark.parametrize(
    "kwargs, error",
    [
        pytest.param({"reply_months": 0}, ValueError, id="zero-months"),
        pytest.param({"objection_working_days": -5}, ValueError, id="negative-working-days"),
        pytest.param({"feedback_working_days": 1.5}, TypeError, id="float"),
        pytest.param({"publication_working_days": "20"}, TypeError, id="string"),
    ],
)
def test_rules_reject_bad_settings(kwargs, error):
    with pytest.raises(error):
        DeadlineRules(**kwargs)
