"""逐条答复 in the statistics: proposals with numbered suggestions, those answered point by point
(every suggestion linked to an item of a current issued reply), the rate; on the page with its rule."""

import pytest
from django.urls import reverse
from factories import (
    make_assignment,
    make_committee,
    make_department,
    make_item,
    make_proposal,
    make_response,
    make_session,
)

from opendata import stats
from proposals.models import Proposal, Suggestion
from proposals.suggestions import save_suggestions
from responses.models import Response

pytestmark = pytest.mark.django_db


def with_suggestions(session, count, **fields):
    proposal = make_proposal(session, **fields)
    rows = [
        Suggestion.objects.create(proposal=proposal, position=n, text=f"建议{n}") for n in range(1, count + 1)
    ]
    return proposal, rows


def answer(proposal, suggestions, *, status=Response.Status.PUBLISHED, version=1, department=None):
    department = department or make_department()
    make_assignment(proposal, department)
    reply = make_response(proposal, department, status=status, version=version, issued_on="2024-05-01")
    for n, suggestion in enumerate(suggestions, 1):
        make_item(reply, n).answers.add(suggestion)
    return reply


@pytest.fixture
def session():
    return make_session(make_committee(), year=2024, term=12, number=2)


def test_the_counts_and_the_rate(session):
    # 1: every suggestion answered by a published reply → point by point
    full, rows = with_suggestions(session, 3)
    answer(full, rows)
    # 2: answered by an issued, unpublished reply → counts too (the statistics count issued replies)
    issued, rows = with_suggestions(session, 2)
    answer(issued, rows, status=Response.Status.ISSUED)
    # 3: one suggestion of three unanswered → not point by point
    partial, rows = with_suggestions(session, 3)
    answer(partial, rows[:2])
    # 4: answered only in a draft → not
    drafted, rows = with_suggestions(session, 2)
    answer(drafted, rows, status=Response.Status.DRAFT)
    # 5: no numbered suggestions → in neither count; a draft proposal with suggestions → not received
    make_proposal(session)
    with_suggestions(session, 2, status=Proposal.Status.DRAFT, number="")
    row = stats.compute().sessions.row(session.pk)
    assert (row.with_suggestions, row.point_by_point, row.point_by_point_rate) == (4, 2, 50.0)


def test_a_superseded_version_does_not_count(session):
    proposal, rows = with_suggestions(session, 2)
    department = make_department()
    first = answer(proposal, rows, department=department)
    correction = make_response(
        proposal,
        department,
        version=2,
        status=Response.Status.ISSUED,
        issued_on="2024-06-01",
        supersedes=first,
        correction_reason="更正",
    )
    make_item(correction, 1).answers.add(rows[0])  # the correction answers only the first
    row = stats.compute().sessions.row(session.pk)
    assert (row.with_suggestions, row.point_by_point) == (1, 0)


def test_no_suggestions_means_no_rate(session):
    make_proposal(session)
    row = stats.compute().sessions.row(session.pk)
    assert (row.with_suggestions, row.point_by_point, row.point_by_point_rate) == (0, 0, None)


def test_the_page_shows_the_columns_and_how_they_are_counted(client, session):
    proposal, rows = with_suggestions(session, 2)
    answer(proposal, rows)
    page = client.get(reverse("opendata:stats")).content.decode()
    assert "有编号建议的提案" in page and "逐条答复率（%）" in page
    assert "每一条建议都有单位最新签发的答复函中的条目对应答复" in page


@pytest.mark.django_db(transaction=True)
def test_editing_suggestions_clears_the_snapshot(session):
    """Committed for real: each write's invalidation runs at once."""
    proposal, rows = with_suggestions(session, 2)
    answer(proposal, rows)
    assert stats.session_table().row(session.pk).point_by_point == 1
    Suggestion.objects.create(proposal=proposal, position=3, text="新增的建议")
    assert stats.session_table().row(session.pk).point_by_point == 0
    save_suggestions(proposal, [(rows[0], "建议1"), (rows[1], "建议2")])  # the office removes it
    assert stats.session_table().row(session.pk).point_by_point == 1
