"""The public proposal list (/proposals/): filters, sorting, pagination, exports; and the proposal page's
commitments, citations and public timeline. Public data only, whoever asks."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from factories import (
    make_assignment,
    make_department,
    make_promise,
    make_proposal,
    make_proposer,
    make_response,
    make_session,
)

from proposals.models import Assignment, Event, Proposal
from responses.models import Commitment, CommitmentCitation, Response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LIST = reverse("proposals:list")
EXPORT_HEADERS = [
    "编号",
    "案由",
    "会议",
    "类型",
    "提案者",
    "主办单位",
    "状态",
    "提交日期",
    "办理期限",
    "办复类别",
    "重点提案",
]


def listed(client, **params):
    """Titles on the list page for these query parameters, in page order."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [proposal.title for proposal in response.context["page"].object_list]


def xlsx_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


class TestFilters:
    def test_session(self, client):
        spring, autumn = make_session(year=2023), make_session(year=2024)
        make_proposal(spring, title="春季会议的提案")
        make_proposal(autumn, title="秋季会议的提案")
        assert listed(client, session=spring.pk) == ["春季会议的提案"]

    def test_year(self, client):
        make_proposal(make_session(year=2023), title="二〇二三年的提案")
        make_proposal(make_session(year=2024), title="二〇二四年的提案")
        assert listed(client, year=2023) == ["二〇二三年的提案"]

    def test_kind(self, client):
        make_proposal(title="委员的提案", kind=Proposal.Kind.PROPOSAL)
        make_proposal(title="代表的建议", kind=Proposal.Kind.SUGGESTION)
        assert listed(client, kind="suggestion") == ["代表的建议"]

    def test_status(self, client):
        make_proposal(title="已答复的提案", status=Proposal.Status.REPLIED)
        make_proposal(title="办理中的提案", status=Proposal.Status.IN_HANDLING)
        assert listed(client, status="in_handling") == ["办理中的提案"]

    def test_lead_department(self, client):
        department = make_department("自治区交通运输厅")
        make_assignment(make_proposal(title="交通厅主办"), department, role=Assignment.Role.LEAD)
        make_assignment(make_proposal(title="交通厅会办"), department, role=Assignment.Role.CO_HANDLING)
        assert listed(client, lead_department=department.pk) == ["交通厅主办"]

    def test_any_handling_department_but_not_a_returned_assignment(self, client):
        department = make_department("自治区交通运输厅")
        make_assignment(make_proposal(title="交通厅会办"), department, role=Assignment.Role.CO_HANDLING)
        make_assignment(make_proposal(title="别的单位办理"))
        make_assignment(
            make_proposal(title="交通厅已退回"),
            department,
            returned_on=TODAY,
            return_reason="不属于本单位职责",
        )
        assert listed(client, department=department.pk) == ["交通厅会办"]

    def test_result_class_of_the_public_reply(self, client):
        make_response(make_proposal(title="B类公开答复"), result_class="B")
        make_response(make_proposal(title="B类未公开答复"), result_class="B", status=Response.Status.ISSUED)
        make_response(make_proposal(title="A类公开答复"), result_class="A")
        assert listed(client, result_class="B") == ["B类公开答复"]

    def test_result_class_of_the_latest_public_version(self, client):
        proposal = make_proposal(title="重新办理后改为A类")
        department = make_department()
        make_response(proposal, department, result_class="C")
        make_response(proposal, department, result_class="A", version=2)
        assert listed(client, result_class="C") == []
        assert listed(client, result_class="A") == ["重新办理后改为A类"]

    def test_key_proposals(self, client):
        make_proposal(title="重点提案", is_key=True)
        make_proposal(title="一般提案")
        assert listed(client, is_key="on") == ["重点提案"]
        assert sorted(listed(client)) == ["一般提案", "重点提案"]  # unticked leaves the list alone

    def test_overdue(self, client):
        late = make_proposal(title="逾期未复", status=Proposal.Status.IN_HANDLING)
        make_assignment(late, role=Assignment.Role.SEPARATE, due_on=TODAY - DAY)
        replied = make_proposal(title="逾期但已签发答复")
        department = make_assignment(replied, due_on=TODAY - DAY).department
        make_response(replied, department, status=Response.Status.ISSUED)
        make_assignment(make_proposal(title="尚未到期"), due_on=TODAY + DAY)
        make_assignment(
            make_proposal(title="会办单位不答复"), role=Assignment.Role.CO_HANDLING, due_on=TODAY - DAY
        )
        make_assignment(
            make_proposal(title="主办已退回"),
            due_on=TODAY - DAY,
            returned_on=TODAY,
            return_reason="不属于本单位职责",
        )
        assert listed(client, overdue="on") == ["逾期未复"]

    def test_text_query(self, client):
        make_proposal(title="关于发展氢能产业的建议")
        make_proposal(title="关于加快乡村道路建设的建议")
        assert listed(client, q="氢能") == ["关于发展氢能产业的建议"]

    def test_filters_combine(self, client):
        department = make_department()
        for title, kind in [("交通厅主办的建议", "suggestion"), ("交通厅主办的提案", "proposal")]:
            make_assignment(make_proposal(title=title, kind=kind), department)
        make_proposal(title="别人的建议", kind="suggestion")
        assert listed(client, kind="suggestion", lead_department=department.pk) == ["交通厅主办的建议"]

    def test_the_form_keeps_its_state(self, client):
        department = make_department("自治区交通运输厅")
        page = client.get(
            LIST, {"q": "氢能", "lead_department": department.pk, "is_key": "on"}
        ).content.decode()
        assert 'value="氢能"' in page
        assert f'<option value="{department.pk}" selected>自治区交通运输厅</option>' in page
        assert 'name="is_key" id="id_is_key" checked' in page

    def test_an_overlong_query_is_refused_with_a_message(self, client):
        make_proposal(title="关于发展氢能产业的建议")
        response = client.get(LIST, {"q": "氢" * 101})
        assert "关键词最多100个字，请缩短后再查。" in response.content.decode()
        assert list(response.context["page"].object_list) == []

    def test_an_unknown_choice_is_an_error_not_a_crash(self, client):
        make_proposal(title="某提案")
        response = client.get(LIST, {"session": "999999", "sort": "title"})
        assert response.status_code == 200
        assert response.context["filter"].errors.keys() == {"session", "sort"}
        assert "请先修改上面标出的筛选条件" in response.content.decode()


class TestSorting:
    @pytest.fixture
    def three(self):
        session = make_session(year=2024)
        return [
            make_proposal(
                session,
                number=number,
                title=title,
                submitted_on=datetime.date(2024, 1, day),
            )
            for number, title, day in [("20240002", "乙", 3), ("20240001", "甲", 1), ("20240003", "丙", 2)]
        ]

    @pytest.mark.parametrize(
        "sort, titles",
        [
            ("number", ["甲", "乙", "丙"]),
            ("-number", ["丙", "乙", "甲"]),
            ("submitted", ["甲", "丙", "乙"]),
            ("-submitted", ["乙", "丙", "甲"]),
            ("", ["乙", "丙", "甲"]),  # default: newest submission first
        ],
    )
    def test_by_number_and_submission_date(self, client, three, sort, titles):
        assert listed(client, sort=sort) == titles

    def test_by_due_date_of_the_replying_departments(self, client, three):
        second, first, third = three
        make_assignment(first, due_on=TODAY + 5 * DAY)
        make_assignment(second, due_on=TODAY + 9 * DAY)
        make_assignment(second, role=Assignment.Role.CO_HANDLING, due_on=TODAY + DAY)  # co-handling: ignored
        # third has no due date: last both ways
        assert listed(client, sort="due") == ["甲", "乙", "丙"]
        assert listed(client, sort="-due") == ["乙", "甲", "丙"]

    def test_column_headers_toggle_the_direction_and_keep_filters(self, client, three):
        page = client.get(LIST, {"kind": "proposal", "sort": "number", "page": 1}).content.decode()
        assert 'href="?kind=proposal&amp;sort=-number">编号 ↑</a>' in page
        assert 'href="?kind=proposal&amp;sort=submitted">提交日期</a>' in page


class TestPagination:
    def test_pages_keep_every_filter_in_the_url(self, client, settings):
        settings.PAGE_SIZE = 2
        for n in range(5):
            make_proposal(title=f"建议{n}", kind=Proposal.Kind.SUGGESTION)
        make_proposal(title="提案不在其中", kind=Proposal.Kind.PROPOSAL)
        first = client.get(LIST, {"kind": "suggestion", "sort": "number"})
        page = first.content.decode()
        assert "共 5 件" in page
        assert 'href="?kind=suggestion&amp;sort=number&amp;page=2"' in page
        titles = []
        for number in (1, 2, 3):
            titles += listed(client, kind="suggestion", sort="number", page=number)
        assert titles == [f"建议{n}" for n in range(5)]

    def test_the_export_links_carry_the_filters_but_not_the_page(self, client, settings):
        settings.PAGE_SIZE = 1
        make_proposal(kind="suggestion")
        make_proposal(kind="suggestion")
        page = client.get(LIST, {"kind": "suggestion", "page": 2}).content.decode()
        assert 'href="?kind=suggestion&amp;format=xlsx"' in page
        assert 'href="?kind=suggestion&amp;format=csv"' in page


class TestPublicDataOnly:
    def test_unpublished_proposals_appear_nowhere(self, client):
        shown = make_proposal(title="已公开的提案", is_key=True)
        hidden = make_proposal(title="尚未公开的提案", is_published=False, is_key=True)
        department = make_department()
        for proposal in (shown, hidden):
            make_assignment(proposal, department, due_on=TODAY - DAY)
        for params in [
            {},
            {"is_key": "on"},
            {"overdue": "on"},
            {"lead_department": department.pk},
            {"q": "提案"},
        ]:
            assert listed(client, **params) == ["已公开的提案"]
            exported = csv_rows(client.get(LIST, {**params, "format": "csv"}))
            assert [row[1] for row in exported[1:]] == ["已公开的提案"]
            exported = xlsx_rows(client.get(LIST, {**params, "format": "xlsx"}))
            assert [row[1] for row in exported[1:]] == ["已公开的提案"]
        assert client.get(hidden.get_absolute_url()).status_code == 404

    def test_non_public_replies_do_not_give_their_class(self, client):
        proposal = make_proposal(title="答复依申请公开")
        make_response(proposal, result_class="B", disclosure=Response.Disclosure.ON_REQUEST)
        response = client.get(LIST)
        assert response.context["page"].object_list[0].result_classes == ""
        assert csv_rows(client.get(LIST, {"format": "csv"}))[1][9] == ""


class TestExport:
    @pytest.fixture
    def proposal(self):
        proposal = make_proposal(
            make_session(year=2024),
            number="20240123",
            title="关于发展氢能产业的建议",
            proposers=[make_proposer("蒋俏玲"), make_proposer("李明")],
            submitted_on=datetime.date(2024, 1, 20),
            is_key=True,
        )
        lead = make_assignment(proposal, make_department("自治区科技厅"), due_on=datetime.date(2024, 5, 20))
        make_response(proposal, lead.department, result_class="A")
        return proposal

    def test_xlsx_has_chinese_headers_real_dates_and_every_matching_row(self, client, settings, proposal):
        settings.PAGE_SIZE = 1
        make_proposal(title="第二件", kind="suggestion")
        make_proposal(title="第三件", kind="suggestion")
        rows = xlsx_rows(client.get(LIST, {"format": "xlsx", "sort": "number"}))
        assert rows[0] == EXPORT_HEADERS
        assert len(rows) == 4  # all matching rows, not one page
        row = rows[1]
        assert row[:7] == [
            "20240123",
            "关于发展氢能产业的建议",
            str(proposal.session),
            "提案",
            "蒋俏玲、李明",
            "自治区科技厅",
            "已答复",
        ]
        assert row[7] == datetime.datetime(2024, 1, 20)  # a date cell, not text
        assert row[8] == datetime.datetime(2024, 5, 20)
        assert row[9:] == ["A", "是"]
        filtered = xlsx_rows(client.get(LIST, {"format": "xlsx", "kind": "suggestion"}))
        assert sorted(row[1] for row in filtered[1:]) == ["第三件", "第二件"]

    def test_csv_starts_with_a_bom_and_parses(self, client, proposal):
        response = client.get(LIST, {"format": "csv", "q": "氢能"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0] == EXPORT_HEADERS
        assert rows[1][0] == "20240123" and rows[1][7] == "2024-01-20" and rows[1][10] == "是"
        assert len(rows) == 2

    def test_an_unknown_format_shows_the_page(self, client, proposal):
        response = client.get(LIST, {"format": "pdf"})
        assert response["Content-Type"].startswith("text/html")


def _rows(count, lead):
    for _ in range(count):
        proposal = make_proposal(proposers=[make_proposer("甲"), make_proposer("乙")])
        make_assignment(proposal, lead, role=Assignment.Role.LEAD, due_on=TODAY + DAY)
        make_assignment(proposal, role=Assignment.Role.CO_HANDLING)
        make_response(proposal, lead, result_class="B")


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_is_constant(client, django_assert_num_queries, settings, rows):
    settings.PAGE_SIZE = 50
    lead = make_department()
    _rows(rows, lead)
    # choices: sessions with committees, departments; the page with its count (a window: the
    # filters narrow the list; due date and the search are subqueries); proposers; lead departments;
    # public replies' classes
    with django_assert_num_queries(6):
        response = client.get(
            LIST, {"q": "建议", "lead_department": lead.pk, "result_class": "B", "overdue": ""}
        )
    assert len(response.context["page"].object_list) == rows


def test_a_narrowed_list_pages_and_counts_in_one_query(client, settings):
    """A keyword: the count and the pages come from one windowed query, and agree."""
    settings.PAGE_SIZE = 2
    lead = make_department()
    _rows(5, lead)
    first = client.get(LIST, {"q": "建议", "page": 1})
    third = client.get(LIST, {"q": "建议", "page": 3})
    assert "共 5 件" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 3
    assert len(third.context["page"].object_list) == 1
    shown = (
        [p.pk for p in first.context["page"]]
        + [p.pk for p in client.get(LIST, {"q": "建议", "page": 2}).context["page"]]
        + [p.pk for p in third.context["page"]]
    )
    assert len(set(shown)) == 5
    # A stale page number shows the last page, as before.
    assert client.get(LIST, {"q": "建议", "page": 9}).context["page"].number == 3


@pytest.mark.parametrize("rows", [1, 30])
def test_export_query_count_is_constant(client, django_assert_num_queries, rows):
    lead = make_department()
    _rows(rows, lead)
    # choices: sessions with committees, departments; rows; proposers; lead departments; public replies
    with django_assert_num_queries(6):  # the CSV streams: its rows are read while it is written
        rows_out = csv_rows(client.get(LIST, {"format": "csv"}))
    assert len(rows_out) == rows + 1


class TestProposalPage:
    @pytest.fixture
    def earlier(self):
        """A 2023 reply whose commitment the 2024 proposal cites."""
        reply = make_response(make_proposal(make_session(year=2023), number="20230042"))
        return make_promise(
            "下一步，我们将建设氢能示范区。", reply, owner=reply.department, status="in_progress"
        )

    @pytest.fixture
    def proposal(self, earlier):
        proposal = make_proposal(make_session(year=2024), title="再次建议发展氢能")
        lead = make_assignment(proposal).department
        reply = make_response(proposal, lead)
        make_promise("一是修订氢能规划。", reply, 1, owner=lead, due_on=TODAY - DAY)
        make_promise("二是设立专项资金。", reply, 2, owner=lead, status=Commitment.Status.DONE)
        hidden_reply = make_response(proposal, version=1, status=Response.Status.ISSUED)
        make_promise("未公开答复中的承诺。", hidden_reply)
        CommitmentCitation.objects.create(commitment=earlier, proposal=proposal, note="去年承诺至今未见成效")
        proposal.record(Event.Kind.REGISTERED, message="经审查予以立案", public=True)
        proposal.record(Event.Kind.CHASED, message="内部催办记录", public=False)
        return proposal

    def test_it_lists_the_commitments_of_its_public_replies(self, client, proposal):
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert "一是修订氢能规划。" in page and "二是设立专项资金。" in page
        assert page.index("一是修订氢能规划。") < page.index("二是设立专项资金。")
        assert "已完成" in page and "逾期" in page
        assert "未公开答复中的承诺" not in page

    def test_it_lists_the_earlier_commitments_it_cites(self, client, proposal, earlier):
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert "本提案引用的往届承诺" in page
        assert f'href="{reverse("commitments:detail", args=[earlier.pk])}"' in page
        assert "第20230042号提案的答复" in page and "去年承诺至今未见成效" in page

    def test_a_cited_commitment_from_a_hidden_reply_is_not_shown(self, client, proposal, earlier):
        Response.objects.filter(pk=earlier.item.response_id).update(disclosure=Response.Disclosure.ON_REQUEST)
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert "建设氢能示范区" not in page

    def test_it_shows_the_public_timeline_only(self, client, proposal):
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert "办理过程" in page and "经审查予以立案" in page
        assert "内部催办记录" not in page

    @pytest.mark.parametrize("many", [1, 12])
    def test_query_count_is_constant(self, client, django_assert_num_queries, many):
        proposal = make_proposal(proposers=[make_proposer()])
        lead = make_assignment(proposal).department
        reply = make_response(proposal, lead)
        for n in range(1, many + 1):
            make_promise(f"第{n}项承诺。", reply, n, owner=make_department())
            earlier = make_promise(f"往届第{n}项承诺。", owner=make_department())
            CommitmentCitation.objects.create(commitment=earlier, proposal=proposal)
            proposal.record(Event.Kind.CHASED, department=make_department(), public=True)
        # proposal with session, committee, merged-into; proposers; assignments; public replies;
        # public events with departments; its commitments with owners; cited commitments with their proposals
        # its numbered suggestions (none here; test_point_by_point_pages pins the page with them)
        with django_assert_num_queries(8):
            page = client.get(proposal.get_absolute_url()).content.decode()
        assert f"第{many}项承诺。" in page and f"往届第{many}项承诺。" in page


EVERYONE = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
# view → who gets what. Public pages: everyone reads them, and nobody sees unpublished rows there.
MATRIX = [
    ("proposals:list", dict.fromkeys(EVERYONE, 200)),
    ("proposals:detail", dict.fromkeys(EVERYONE, 200)),
    ("proposals:detail (unpublished)", dict.fromkeys(EVERYONE, 404)),
]


@pytest.mark.parametrize("view, statuses", MATRIX, ids=[view for view, _ in MATRIX])
def test_access_matrix(client_for, seed_letter, view, statuses):
    proposal = seed_letter.proposal
    if view.endswith("(unpublished)"):
        Proposal.objects.filter(pk=proposal.pk).update(is_published=False)
    url = LIST if view == "proposals:list" else proposal.get_absolute_url()
    for persona, status in statuses.items():
        assert client_for(persona).get(url).status_code == status, persona
