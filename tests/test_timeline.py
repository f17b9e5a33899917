"""The timeline partial (templates/includes/timeline.html): the events it is given, oldest first."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from factories import make_department, make_proposal

from proposals.models import Event

pytestmark = pytest.mark.django_db

SHANGHAI_EVENING = datetime.datetime(2025, 6, 30, 17, 30, tzinfo=datetime.UTC)  # 1 July, 01:30 in China


def render(events):
    return render_to_string("includes/timeline.html", {"events": events})


@pytest.fixture
def proposal():
    proposal = make_proposal()
    department = make_department("自治区科技厅")
    Event.objects.create(
        proposal=proposal,
        kind=Event.Kind.ASSIGNED,
        department=department,
        message="交办主办",
        is_public=True,
        created_at=SHANGHAI_EVENING - datetime.timedelta(days=60),
    )
    Event.objects.create(
        proposal=proposal,
        kind=Event.Kind.RETURNED,
        department=department,
        message="内部退回理由",
        created_at=SHANGHAI_EVENING - datetime.timedelta(days=30),
    )
    Event.objects.create(
        proposal=proposal,
        kind=Event.Kind.REPLY_ISSUED,
        department=department,
        message="第一行\n第二行",
        is_public=True,
        created_at=SHANGHAI_EVENING,
    )
    return proposal


def test_it_lists_date_kind_department_and_message_in_order(proposal):
    html = render(proposal.events.all().select_related("department"))
    items = re.findall(r'<li class="timeline-event[^"]*" data-kind="(\w+)">', html)
    assert items == ["assigned", "returned", "reply_issued"]
    assert "<ol" in html
    assert "2025年5月2日" in html and "交办" in html and "交办主办" in html
    assert "自治区科技厅" in html
    assert "第一行<br>第二行" in html


def test_dates_are_china_dates(proposal):
    html = render(proposal.events.filter(kind=Event.Kind.REPLY_ISSUED))
    assert "2025年7月1日" in html and "2025年6月30日" not in html


def test_the_caller_decides_what_is_shown(proposal):
    html = render(proposal.events.public().select_related("department"))
    assert "交办主办" in html and "答复签发" in html
    assert "内部退回理由" not in html


def test_it_runs_one_query_for_the_events_it_is_given(proposal, django_assert_num_queries):
    # the events with their departments; nothing per event
    with django_assert_num_queries(1):
        render(proposal.events.all().select_related("department"))


def test_no_events_says_so(db):
    html = render([])
    assert "暂无办理记录。" in html and "<ol" not in html
