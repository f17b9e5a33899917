"""The commitments tracker (/commitments/) and a commitment's page (/commitments/<pk>/): promises from
public replies, their progress as a timeline, and later proposals citing them."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from factories import (
    make_department,
    make_promise,
    make_proposal,
    make_response,
    make_session,
)

from proposals.models import Department
from responses.models import Commitment, CommitmentCitation, CommitmentProgress, Response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LIST = reverse("commitments:list")
EXPORT_HEADERS = [
    "承诺内容",
    "提案编号",
    "案由",
    "会议",
    "责任单位",
    "完成期限",
    "状态",
    "是否逾期",
    "最新进展日期",
    "最新进展",
    "答复函链接",
]


def report(commitment, reported_on, text, status=Commitment.Status.IN_PROGRESS):
    return CommitmentProgress.objects.create(
        commitment=commitment, reported_on=reported_on, text=text, status=status
    )


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [commitment.text for commitment in response.context["page"].object_list]


def detail(commitment):
    return reverse("commitments:detail", args=[commitment.pk])


@pytest.fixture
def hidden():
    """Commitments the public must never see, one per way of being hidden."""
    return [
        make_promise("草稿答复中的承诺。", make_response(status=Response.Status.DRAFT)),
        make_promise("已签发未公开答复中的承诺。", make_response(status=Response.Status.ISSUED)),
        make_promise("依申请公开答复中的承诺。", make_response(disclosure=Response.Disclosure.ON_REQUEST)),
        make_promise("未公开提案的答复中的承诺。", make_response(make_proposal(is_published=False))),
    ]


class TestList:
    def test_each_row_has_proposal_owner_due_status_latest_progress_and_the_letter_link(self, client):
        owner = make_department("自治区交通运输厅")
        reply = make_response(make_proposal(number="20240077"))
        commitment = make_promise("下一步，我们将加快路网建设。", reply, owner=owner, due_on=TODAY - DAY)
        report(commitment, TODAY - 30 * DAY, "已完成规划编制。")
        report(commitment, TODAY - 3 * DAY, "已开工三个项目。")
        report(commitment, TODAY - 10 * DAY, "已完成招标。")
        page = client.get(LIST).content.decode()
        assert "下一步，我们将加快路网建设。" in page
        assert f'href="{reply.proposal.get_absolute_url()}"' in page and "第20240077号" in page
        assert f'href="{reverse("units:detail", args=[owner.pk])}">自治区交通运输厅</a>' in page
        assert (TODAY - DAY).strftime("%Y年%-m月%-d日") in page
        assert "计划中" in page and "逾期" in page
        assert "已开工三个项目。" in page  # the latest report, not the last one entered
        assert "已完成招标" not in page and "已完成规划编制" not in page
        assert f'href="{reply.get_absolute_url()}#commitment-{commitment.pk}"' in page
        assert f'href="{detail(commitment)}"' in page

    def test_long_commitments_are_truncated(self, client):
        make_promise("下一步" + "加快建设" * 40 + "。")
        page = client.get(LIST).content.decode()
        assert "加快建设" * 10 in page and "加快建设" * 40 not in page

    def test_overdue_means_open_and_past_due(self, client):
        make_promise("逾期未完成。", due_on=TODAY - DAY)
        make_promise("逾期但已完成。", due_on=TODAY - DAY, status=Commitment.Status.DONE)
        make_promise("今天到期。", due_on=TODAY)
        rows = {c.text: c.is_overdue() for c in client.get(LIST).context["page"]}
        assert rows == {"逾期未完成。": True, "逾期但已完成。": False, "今天到期。": False}

    def test_it_is_ordered_by_due_date_without_dates_last(self, client):
        make_promise("没有期限。")
        make_promise("后到期。", due_on=TODAY + 9 * DAY)
        make_promise("先到期。", due_on=TODAY + DAY)
        assert listed(client) == ["先到期。", "后到期。", "没有期限。"]
        assert listed(client, sort="-due") == ["后到期。", "先到期。", "没有期限。"]

    def test_it_sorts_by_latest_progress(self, client):
        quiet = make_promise("没有进展。")
        old, recent = make_promise("早有进展。"), make_promise("近有进展。")
        report(old, TODAY - 20 * DAY, "旧")
        report(recent, TODAY - DAY, "新")
        assert listed(client, sort="-progress") == ["近有进展。", "早有进展。", quiet.text]

    def test_a_corrected_reply_lists_its_promises_once(self, client):
        original = make_response(make_proposal())
        make_promise("下一步，修订规划。", original)
        correction = make_response(
            original.proposal,
            original.department,
            version=2,
            supersedes=original,
            correction_reason="更正文号",
        )
        kept = make_promise("下一步，修订规划。", correction)
        assert [c.pk for c in client.get(LIST).context["page"]] == [kept.pk]


class TestFilters:
    def test_department(self, client):
        owner = make_department("自治区交通运输厅")
        make_promise("交通厅负责。", owner=owner)
        make_promise("别的单位负责。", owner=make_department())
        assert listed(client, department=owner.pk) == ["交通厅负责。"]

    def test_session(self, client):
        earlier = make_proposal(make_session(year=2023))
        make_promise("二〇二三年的承诺。", make_response(earlier))
        make_promise("二〇二四年的承诺。", make_response(make_proposal(make_session(year=2024))))
        assert listed(client, session=earlier.session_id) == ["二〇二三年的承诺。"]

    @pytest.mark.parametrize(
        "status, expected",
        [
            ("open", ["计划中。", "推进中。"]),
            ("planned", ["计划中。"]),
            ("in_progress", ["推进中。"]),
            ("done", ["已完成。"]),
            ("dropped", ["已放弃。"]),
        ],
    )
    def test_status(self, client, status, expected):
        for text, state in [
            ("计划中。", "planned"),
            ("推进中。", "in_progress"),
            ("已完成。", "done"),
            ("已放弃。", "dropped"),
        ]:
            make_promise(text, due_on=TODAY, status=state)
        assert sorted(listed(client, status=status)) == sorted(expected)

    def test_overdue(self, client):
        make_promise("逾期未完成。", due_on=TODAY - DAY)
        make_promise("逾期但已完成。", due_on=TODAY - DAY, status=Commitment.Status.DONE)
        make_promise("尚未到期。", due_on=TODAY + DAY)
        assert listed(client, overdue="on") == ["逾期未完成。"]
        assert len(listed(client)) == 3

    def test_the_form_keeps_its_state(self, client):
        owner = make_department("自治区交通运输厅")
        page = client.get(LIST, {"department": owner.pk, "status": "open", "overdue": "on"}).content.decode()
        assert f'<option value="{owner.pk}" selected>自治区交通运输厅</option>' in page
        assert '<option value="open" selected>' in page
        assert 'id="id_overdue" checked' in page

    def test_pages_keep_the_filters(self, client, settings):
        settings.PAGE_SIZE = 2
        owner = make_department()
        for n in range(5):
            make_promise(f"第{n}项。", owner=owner, due_on=TODAY + n * DAY)
        make_promise("别的单位。", owner=make_department())
        page = client.get(LIST, {"department": owner.pk, "status": "open"}).content.decode()
        assert "共 5 项" in page
        assert f'href="?department={owner.pk}&amp;status=open&amp;page=2"' in page
        texts = []
        for number in (1, 2, 3):
            texts += listed(client, department=owner.pk, status="open", page=number)
        assert texts == [f"第{n}项。" for n in range(5)]


class TestPublicOnly:
    def test_hidden_commitments_appear_nowhere(self, client, hidden):
        shown = make_promise("公开答复中的承诺。")
        assert listed(client) == [shown.text]
        for fmt in ("csv", "xlsx"):
            response = client.get(LIST, {"format": fmt})
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
            assert [row[0] for row in rows[1:]] == [shown.text]
        for commitment in hidden:
            assert client.get(detail(commitment)).status_code == 404
        assert client.get(detail(shown)).status_code == 200


def csv_rows(response):
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class TestExport:
    @pytest.fixture
    def commitment(self):
        reply = make_response(make_proposal(number="20240077", title="关于加快路网建设的建议"))
        commitment = make_promise(
            "下一步，我们将加快路网建设。",
            reply,
            owner=make_department("自治区交通运输厅"),
            due_on=TODAY - DAY,
        )
        report(commitment, datetime.date(2024, 6, 1), "已开工三个项目。")
        make_promise("已完成的另一项。", reply, 2, status=Commitment.Status.DONE)
        return commitment

    def test_xlsx(self, client, commitment):
        rows = xlsx_rows(client.get(LIST, {"format": "xlsx", "status": "open"}))
        assert rows[0] == EXPORT_HEADERS
        assert len(rows) == 2
        row = rows[1]
        assert row[:5] == [
            "下一步，我们将加快路网建设。",
            "20240077",
            "关于加快路网建设的建议",
            str(commitment.item.response.proposal.session),
            "自治区交通运输厅",
        ]
        due = TODAY - DAY
        assert row[5] == datetime.datetime(due.year, due.month, due.day)
        assert row[6:10] == ["计划中", "是", datetime.datetime(2024, 6, 1), "已开工三个项目。"]
        assert (
            row[10]
            == f"http://testserver{commitment.item.response.get_absolute_url()}#commitment-{commitment.pk}"
        )

    def test_csv(self, client, commitment):
        rows = csv_rows(client.get(LIST, {"format": "csv"}))
        assert rows[0] == EXPORT_HEADERS
        assert len(rows) == 3
        assert rows[1][8] == "2024-06-01"


def _commitments(count):
    reply = make_response()
    for n in range(1, count + 1):
        commitment = make_promise(f"第{n}项。", reply, n, owner=make_department(), due_on=TODAY - DAY)
        report(commitment, TODAY - 9 * DAY, "开始")
        report(commitment, TODAY - DAY, "推进")


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client, django_assert_num_queries, settings, count):
    settings.PAGE_SIZE = 50
    _commitments(count)
    # choices: sessions with committees, departments; count; page of commitments with owner, reply,
    # proposal, session, committee; their progress reports
    with django_assert_num_queries(5):
        response = client.get(LIST, {"status": "open", "overdue": "on"})
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 30])
def test_export_query_count_is_constant(client, django_assert_num_queries, count):
    _commitments(count)
    # choices: sessions with committees, departments; every row; their progress reports
    with django_assert_num_queries(4):  # the CSV streams: its rows are read while it is written
        rows_out = csv_rows(client.get(LIST, {"format": "csv"}))
    assert len(rows_out) == count + 1


class TestCommitmentPage:
    @pytest.fixture
    def commitment(self):
        proposal = make_proposal(make_session(year=2022), number="20220015", title="关于发展氢能产业的建议")
        reply = make_response(proposal, make_department("自治区科技厅"))
        return make_promise(
            "下一步，我们将建设氢能示范区。",
            reply,
            owner=make_department("自治区发展改革委"),
            due_on=datetime.date(2023, 12, 31),
            status=Commitment.Status.IN_PROGRESS,
        )

    def test_it_shows_the_promise_its_letter_and_proposal(self, client, commitment):
        reply = commitment.item.response
        page = client.get(detail(commitment)).content.decode()
        assert "下一步，我们将建设氢能示范区。" in page
        assert f'href="{reply.get_absolute_url()}#commitment-{commitment.pk}"' in page
        assert "自治区科技厅的答复函" in page and commitment.item.heading_line in page
        assert f'href="{reply.proposal.get_absolute_url()}"' in page and "第20220015号" in page
        assert "自治区发展改革委" in page and "2023年12月31日" in page and "推进中" in page

    def test_progress_is_a_dated_timeline_oldest_first(self, client, commitment):
        report(commitment, datetime.date(2024, 9, 1), "示范区挂牌。", Commitment.Status.DONE)
        report(commitment, datetime.date(2024, 3, 1), "完成选址。")
        report(commitment, datetime.date(2024, 3, 1), "同日：启动规划。")
        page = client.get(detail(commitment)).content.decode()
        positions = [page.index(text) for text in ["完成选址。", "同日：启动规划。", "示范区挂牌。"]]
        assert positions == sorted(positions)
        assert '<time datetime="2024-03-01"' in page and "2024年9月1日" in page

    def test_no_progress_says_so(self, client, commitment):
        assert "责任单位尚未报告进展" in client.get(detail(commitment)).content.decode()

    def test_later_published_proposals_citing_it_are_listed(self, client, commitment):
        later = make_proposal(make_session(year=2024), number="20240101", title="再次建议建设氢能示范区")
        later_still = make_proposal(make_session(year=2025), number="20250003", title="三问氢能示范区")
        secret = make_proposal(title="未公开的引用提案", is_published=False)
        CommitmentCitation.objects.create(commitment=commitment, proposal=later_still, note="仍未建成")
        CommitmentCitation.objects.create(commitment=commitment, proposal=later, note="进展缓慢")
        CommitmentCitation.objects.create(commitment=commitment, proposal=secret)
        page = client.get(detail(commitment)).content.decode()
        assert page.index("再次建议建设氢能示范区") < page.index("三问氢能示范区")
        assert f'href="{later.get_absolute_url()}"' in page and "进展缓慢" in page and "仍未建成" in page
        assert "未公开的引用提案" not in page

    def test_no_citations_says_so(self, client, commitment):
        assert "尚无后来的提案引用这项承诺" in client.get(detail(commitment)).content.decode()

    @pytest.mark.parametrize("count", [1, 12])
    def test_query_count_is_constant(self, client, django_assert_num_queries, commitment, count):
        for n in range(count):
            report(commitment, TODAY - n * DAY, f"进展{n}")
            CommitmentCitation.objects.create(commitment=commitment, proposal=make_proposal())
        # commitment with owner, item, reply, department, proposal, session, committee; progress; citations
        with django_assert_num_queries(3):
            page = client.get(detail(commitment)).content.decode()
        assert f"进展{count - 1}" in page


EVERYONE = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
# view → who gets what. Public pages only: a commitment of a hidden reply is 404 even for the office.
MATRIX = [
    ("commitments:list", dict.fromkeys(EVERYONE, 200)),
    ("commitments:detail", dict.fromkeys(EVERYONE, 200)),
    ("commitments:detail (reply not public)", dict.fromkeys(EVERYONE, 404)),
]


@pytest.mark.parametrize("view, statuses", MATRIX, ids=[view for view, _ in MATRIX])
def test_access_matrix(client_for, seed_letter, view, statuses):
    commitment = Commitment.objects.filter(item__response=seed_letter).first()
    if view.endswith("(reply not public)"):
        Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.ISSUED)
    url = LIST if view == "commitments:list" else detail(commitment)
    for persona, status in statuses.items():
        assert client_for(persona).get(url).status_code == status, persona
    if view == "commitments:list":
        owner = Department.objects.get(name="自治区科技厅")
        assert len(client_for("anonymous").get(url, {"department": owner.pk}).context["page"]) == 6


class TestLongLists:
    """Past the cap the tracker stops counting: it says so, and pages through the first rows."""

    def test_the_count_is_capped_and_the_pages_stop_at_the_cap(self, client, settings, monkeypatch):
        from tracker.pagination import CappedPaginator

        monkeypatch.setattr(CappedPaginator, "cap", 4)
        settings.PAGE_SIZE = 2
        _commitments(5)
        first = client.get(LIST)
        page = first.context["page"]
        assert page.paginator.is_capped
        assert page.paginator.num_pages == 2
        text = first.content.decode()
        assert "4 项以上" in text
        assert "共 5 项" not in text
        last = client.get(LIST, {"page": 9})
        assert len(last.context["page"].object_list) == 2  # the last page within the cap

    def test_below_the_cap_the_count_is_exact(self, client, settings):
        settings.PAGE_SIZE = 2
        _commitments(3)
        response = client.get(LIST)
        assert not response.context["page"].paginator.is_capped
        assert "共 3 项" in response.content.decode()
