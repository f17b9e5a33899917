"""Unit scoring (/office/scores/): each part counted on hand-made data, the weighted total, the weights'
startup check, the Excel download, and the public copy that exists only when the setting says so."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from opendata import checks, scoring
from proposals.models import Assignment, DeadlineExtension, Proposal
from responses.models import CoHandlingOpinion, Commitment, Feedback, Response
from tests.factories import (
    make_assignment,
    make_department,
    make_promise,
    make_proposal,
    make_proposer,
    make_response,
    make_session,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
URL = "/office/scores/"  # opendata:office_scores


def assign(session, department, role=Assignment.Role.LEAD, due_on=TODAY - 10 * DAY, **fields):
    proposal = make_proposal(session=session, status=Proposal.Status.IN_HANDLING, is_published=False)
    return make_assignment(
        proposal, department, role=role, assigned_on=TODAY - 120 * DAY, due_on=due_on, **fields
    )


def reply(assignment, issued_on, version=1, rating=None):
    response = make_response(
        assignment.proposal,
        assignment.department,
        version=version,
        status=Response.Status.ISSUED,
        issued_on=issued_on,
    )
    if rating:
        Feedback.objects.create(response=response, proposer=make_proposer(), rating=rating, comments="评价")
    return response


@pytest.fixture
def units(personas):
    """Three units of one session with known parts (see each block); one late case in another session."""
    session = make_session()
    lead, co, returner = make_department("甲局"), make_department("乙局"), make_department("丙局")

    # 甲局 answers: on time 2 of 4 cases (the fifth is neither answered nor due).
    on_time = assign(session, lead)
    first = reply(on_time, TODAY - 11 * DAY, rating=Feedback.Rating.SATISFIED)
    late = assign(session, lead)
    reply(late, TODAY - 9 * DAY, rating=Feedback.Rating.BASICALLY_SATISFIED)
    assign(session, lead)  # past due, no reply: late
    assign(session, lead, due_on=TODAY + 10 * DAY)  # not due yet, no reply: not a case
    extended = assign(session, lead, due_on=TODAY - 2 * DAY)
    DeadlineExtension.objects.create(
        assignment=extended, previous_due_on=TODAY - 20 * DAY, new_due_on=TODAY - 2 * DAY, reason="延期"
    )
    refused = reply(extended, TODAY - 5 * DAY, rating=Feedback.Rating.UNSATISFIED)  # on time thanks to it
    # Re-handled after 不满意, then rated 满意: the proposer's latest rating counts.
    proposer = refused.feedback.get().proposer
    again = reply(extended, TODAY - DAY, version=2)
    Feedback.objects.create(response=again, proposer=proposer, rating=Feedback.Rating.SATISFIED)
    # 甲局's promises: 2 kept of 4 due or settled; one not due yet; one owned by 乙局.
    make_promise(reply=first, position=1, due_on=TODAY - DAY, status=Commitment.Status.DONE)
    make_promise(reply=first, position=2, due_on=TODAY - DAY, status=Commitment.Status.IN_PROGRESS)
    make_promise(reply=first, position=3, due_on=TODAY + 30 * DAY, status=Commitment.Status.PLANNED)
    make_promise(reply=first, position=4, due_on=TODAY - DAY, status=Commitment.Status.DROPPED)
    make_promise(reply=first, position=5, due_on=TODAY + 30 * DAY, status=Commitment.Status.DONE)
    make_promise(reply=first, position=6, due_on=TODAY - DAY, status=Commitment.Status.DONE, owner=co)

    # 乙局 co-handles: opinions on time 1 of 3 cases (the fourth is not due yet).
    sent = assign(session, co, Assignment.Role.CO_HANDLING)
    CoHandlingOpinion.objects.create(
        assignment=sent, text="意见", status=CoHandlingOpinion.Status.SUBMITTED, submitted_on=TODAY - 12 * DAY
    )
    sent_late = assign(session, co, Assignment.Role.CO_HANDLING)
    CoHandlingOpinion.objects.create(
        assignment=sent_late, text="意见", status=CoHandlingOpinion.Status.SUBMITTED, submitted_on=TODAY
    )
    draft_only = assign(session, co, Assignment.Role.CO_HANDLING)
    CoHandlingOpinion.objects.create(assignment=draft_only, text="草稿")  # a draft is not sent
    assign(session, co, Assignment.Role.CO_HANDLING, due_on=TODAY + 10 * DAY)

    # 丙局 returned one of its two assignments (the office kept it): nothing else is counted.
    assign(session, returner, due_on=TODAY + 30 * DAY)
    assign(
        session,
        returner,
        due_on=TODAY + 30 * DAY,
        returned_on=TODAY - 100 * DAY,
        return_reason="不属于本单位职责",
        objection_decision=Assignment.ObjectionDecision.KEPT,
        objection_note="属贵单位职责",
    )

    assign(make_session(), lead)  # another session's late case changes nothing here
    return session, {"甲局": lead, "乙局": co, "丙局": returner}


def rows_by_name(session, **kwargs):
    return {row.name: row for row in scoring.score_table(session, **kwargs)}


def values(row):
    return {key: measure.value for key, measure in row.measures.items()}


def test_each_part_counts_what_the_page_says(units):
    session, _units = units
    rows = rows_by_name(session)
    assert values(rows["甲局"]) == {
        "on_time": 2 / 4,
        "satisfaction": pytest.approx((1 + 0.5 + 1) / 3),
        "promises": 2 / 4,
        "opinions": None,
        "returns": 1.0,
    }
    assert values(rows["乙局"]) == {
        "on_time": None,
        "satisfaction": None,
        "promises": 1.0,
        "opinions": pytest.approx(1 / 3),
        "returns": 1.0,
    }
    assert values(rows["丙局"]) == {
        "on_time": None,
        "satisfaction": None,
        "promises": None,
        "opinions": None,
        "returns": 0.5,
    }
    measures = rows["甲局"].measures
    assert (measures["on_time"].achieved, measures["on_time"].cases) == (2, 4)
    assert (measures["satisfaction"].achieved, measures["satisfaction"].cases) == (2.5, 3)


def test_a_part_without_cases_spreads_its_weight_over_the_others(units):
    session, _units = units
    rows = rows_by_name(session)
    # 甲局: (30×0.5 + 30×5/6 + 20×0.5 + 10×1) / 90 (opinions, weight 10, has no case)
    assert rows["甲局"].total == round(100 * (15 + 25 + 10 + 10) / 90, 1) == 66.7
    # 乙局: (20×1 + 10×1/3 + 10×1) / 40
    assert rows["乙局"].total == round(100 * (20 + 10 / 3 + 10) / 40, 1) == 83.3
    assert rows["丙局"].total == 50.0
    assert [(row.rank, row.name) for row in scoring.score_table(session)] == [
        (1, "乙局"),
        (2, "甲局"),
        (3, "丙局"),
    ]


def test_weights_change_the_total(units, settings):
    session, _units = units
    settings.TRACKER_SCORE_WEIGHTS = {
        "on_time": 100,
        "satisfaction": 0,
        "promises": 0,
        "opinions": 0,
        "returns": 0,
    }
    rows = rows_by_name(session)
    assert rows["甲局"].total == 50.0
    # Only weightless parts have cases: no total, no rank, listed last.
    assert rows["乙局"].total is None and rows["乙局"].rank is None
    assert [row.name for row in scoring.score_table(session)][0] == "甲局"


def test_the_office_page_shows_parts_counts_and_how_they_are_counted(office, units):
    session, named = units
    response = office.get(URL, {"session": session.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "承办单位考评" in page and "单位考评" in page
    assert f'data-department="{named["甲局"].pk}"' in page
    assert "66.7" in page and "83.3" in page and "2/4" in page and "2.5/3" in page
    assert "某项没有应计件数时显示“—”" in page and "权重按比例分摊" in page
    assert "首次签发答复的日期不晚于办理期限" in page
    assert "本页仅办公厅可见" in page


def test_the_office_page_defaults_to_the_latest_session_and_refuses_a_bad_one(office, units):
    session, _units = units
    assert office.get(URL).status_code == 200
    response = office.get(URL, {"session": "abc"})
    assert response.status_code == 200
    assert "请从列表中选择会议。" in response.content.decode()
    assert response.context["rows"] == []
    assert office.get(URL, {"session": session.pk, "format": "pdf"}).status_code == 400


def test_the_export_opens_in_excel_and_holds_the_rows(office, units):
    session, _units = units
    response = office.get(URL, {"session": session.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "承办单位", "按期答复（0–1）", "按期答复（达成/应计）")
    assert rows[0][-1] == "总分（0–100）"
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"甲局", "乙局", "丙局"}
    assert by_name["甲局"][0] == 2 and by_name["甲局"][2:4] == (0.5, "2/4") and by_name["甲局"][-1] == 66.7
    assert by_name["乙局"][2:4] == (None, "0/0")


def test_the_public_page_is_off_unless_published(client, units, settings):
    session, _units = units
    assert reverse("opendata:office_scores") == URL and reverse("opendata:scores") == "/scores/"
    assert client.get("/scores/").status_code == 404
    settings.TRACKER_PUBLISH_SCORES = True
    response = client.get("/scores/", {"session": session.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "66.7" in page and "本页仅办公厅可见" not in page and "office-nav" not in page


def test_the_page_runs_a_fixed_number_of_queries(office, units, django_assert_num_queries):
    session, _units = units
    # session, user, profile; sessions for the picker; on time, ratings, promises, opinions, returns,
    # department names.
    with django_assert_num_queries(10):
        first = office.get(URL, {"session": session.pk})
    for _ in range(10):
        department = make_department()
        assignment = assign(session, department)
        make_promise(
            reply=reply(assignment, TODAY - 20 * DAY, rating=Feedback.Rating.SATISFIED), due_on=TODAY
        )
        assign(session, department, Assignment.Role.CO_HANDLING)
    with django_assert_num_queries(10):
        second = office.get(URL, {"session": session.pk})
    assert len(second.context["rows"]) == len(first.context["rows"]) + 10
    with django_assert_num_queries(10):
        office.get(URL, {"session": session.pk, "format": "xlsx"})


def test_the_public_copy_runs_a_fixed_number_of_queries(client, units, settings, django_assert_num_queries):
    session, _units = units
    settings.TRACKER_PUBLISH_SCORES = True
    # sessions for the picker; on time, ratings, promises, opinions, returns, department names
    with django_assert_num_queries(7):
        response = client.get("/scores/", {"session": session.pk})
    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize(
    "weights, error",
    [
        ({"on_time": 30, "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 10}, None),
        ({"on_time": 30, "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 0}, "opendata.E004"),
        ({"on_time": 110, "satisfaction": -10, "promises": 0, "opinions": 0, "returns": 0}, "opendata.E003"),
        (
            {"on_time": "30", "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 10},
            "opendata.E003",
        ),
        ({"on_time": 50, "satisfaction": 50}, "opendata.E002"),
        ([30, 30, 20, 10, 10], "opendata.E001"),
    ],
)
def test_the_weights_are_checked_at_startup(settings, weights, error):
    settings.TRACKER_SCORE_WEIGHTS = weights
    found = checks.score_weights(None)
    assert [e.id for e in found] == ([error] if error else [])
    if error == "opendata.E004":
        assert "add up to 90" in found[0].msg


def test_publishing_opens_the_public_copy_to_everyone_but_not_the_office_page(client_for, settings):
    settings.TRACKER_PUBLISH_SCORES = True
    personas = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
    assert {p: client_for(p).get("/scores/").status_code for p in personas} == dict.fromkeys(personas, 200)
    office_page = {p: client_for(p).get(URL).status_code for p in personas}
    assert office_page == {**dict.fromkeys(personas, 403), "office": 200, "anonymous": 302}


@pytest.mark.parametrize(
    "raw, weights",
    [
        (None, {"on_time": 30, "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 10}),
        ("on_time=40, satisfaction=20,promises=20,opinions=10,returns=10", None),
    ],
)
def test_the_weights_come_from_the_environment(monkeypatch, raw, weights):
    from tracker.settings import envweights

    default = {"on_time": 30, "satisfaction": 30, "promises": 20, "opinions": 10, "returns": 10}
    if raw is None:
        monkeypatch.delenv("TRACKER_SCORE_WEIGHTS", raising=False)
    else:
        monkeypatch.setenv("TRACKER_SCORE_WEIGHTS", raw)
    expected = weights or {
        "on_time": 40.0,
        "satisfaction": 20.0,
        "promises": 20.0,
        "opinions": 10.0,
        "returns": 10.0,
    }
    assert envweights("TRACKER_SCORE_WEIGHTS", default) == expected


def test_unreadable_weights_stop_the_process_with_their_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from tracker.settings import envweights

    monkeypatch.setenv("TRACKER_SCORE_WEIGHTS", "on_time=thirty")
    with pytest.raises(ImproperlyConfigured, match="TRACKER_SCORE_WEIGHTS='on_time=thirty'"):
        envweights("TRACKER_SCORE_WEIGHTS", {})
