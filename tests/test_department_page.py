"""Public department pages (/departments/, /departments/<pk>/): assignments, on-time reply rate and
satisfaction as /stats/ counts them, open commitments and lists from public data only, on a small
hand-made dataset."""

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

from opendata import stats
from proposals.models import Assignment, Department
from responses.models import Commitment, Feedback, Response

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
DUE = datetime.date(2024, 3, 1)


def rate(department, rating, reply, comments=""):
    return Feedback.objects.create(
        response=reply, proposer=make_proposer(), rating=rating, comments=comments, submitted_on=TODAY
    )


@pytest.fixture
def dataset():
    """自治区交通运输厅 with one of everything the figures must count or leave out."""
    department = make_department("自治区交通运输厅")
    other = make_department("自治区水利厅")
    session = make_session(year=2024)

    def proposal(title, **fields):
        return make_proposal(session, title=title, **fields)

    on_time = proposal("按期答复的提案")
    make_assignment(on_time, department, due_on=DUE)
    reply_on_time = make_response(on_time, department, issued_on=DUE - 10 * DAY)

    late = proposal("逾期答复的提案")
    make_assignment(late, department, due_on=DUE)
    # issued but disclosed on request only: counts for the rate, its text stays out of the page
    reply_late = make_response(
        late, department, issued_on=DUE + 4 * DAY, status=Response.Status.ISSUED, disclosure="on_request"
    )

    waiting = proposal("分办尚未答复的提案", status="in_handling")
    make_assignment(waiting, department, role=Assignment.Role.SEPARATE, due_on=TODAY - DAY)

    co = proposal("会办的提案")
    make_assignment(co, other)
    make_assignment(co, department, role=Assignment.Role.CO_HANDLING, due_on=DUE)

    undated = proposal("没有办理期限的提案")
    make_assignment(undated, department)
    make_response(undated, department, issued_on=DUE)

    hidden = proposal("未公开的提案", is_published=False)
    make_assignment(hidden, department, due_on=DUE)
    reply_hidden = make_response(hidden, department, issued_on=DUE - DAY)

    returned = proposal("已退回的提案")
    make_assignment(
        returned, department, due_on=DUE, returned_on=DUE - 20 * DAY, return_reason="不属于本单位职责"
    )

    rate(department, Feedback.Rating.SATISFIED, reply_on_time, comments="这是私下的评价意见")
    rate(department, Feedback.Rating.BASICALLY_SATISFIED, reply_on_time)
    rate(department, Feedback.Rating.UNSATISFIED, reply_late)
    rate(department, Feedback.Rating.SATISFIED, reply_hidden)

    make_promise("一是三月底前完成路网规划。", reply_on_time, 1, owner=department, due_on=TODAY - DAY)
    make_promise(
        "二是年内开工建设。", reply_on_time, 2, owner=department, status="in_progress", due_on=TODAY + DAY
    )
    make_promise("三是已经落实的事项。", reply_on_time, 3, owner=department, status=Commitment.Status.DONE)
    make_promise("水利厅负责的事项。", reply_on_time, 4, owner=other)
    make_promise("依申请公开答复中的承诺。", reply_late, 1, owner=department, due_on=TODAY - DAY)
    make_promise("未公开提案答复中的承诺。", reply_hidden, 1, owner=department, due_on=TODAY - DAY)
    return department


class TestFigures:
    def test_they_are_the_statistics_figures(self, client, dataset):
        department = client.get(reverse("units:detail", args=[dataset.pk])).context["department"]
        # standing assignments on registered proposals, published or not (not the returned one):
        # on time, late, separate, undated, unpublished as lead or separate; one co-handling
        assert (department.assignment_count, department.answering_count) == (6, 5)
        # replied by the due date, or replied without one: on time, undated, unpublished → 3 of 5
        assert (department.on_time_count, department.on_time_rate) == (3, 60.0)
        # the latest rating of each proposer: 满意 ×2 (one on the unpublished proposal), 基本满意, 不满意
        assert department.feedback_count == 4
        assert (department.satisfied_rate, department.basically_rate) == (50.0, 25.0)
        # its open commitments from public replies only: one overdue, one in progress
        assert (department.open_commitments, department.overdue_commitments) == (2, 1)

    def test_they_equal_the_statistics_page(self, client, dataset):
        department = client.get(reverse("units:detail", args=[dataset.pk])).context["department"]
        row = stats.department_table().row(dataset.pk)
        assert (department.on_time_rate, department.satisfied_rate, department.basically_rate) == (
            row.on_time_rate,
            row.satisfied_rate,
            row.basically_satisfied_rate,
        )

    def test_the_page_shows_them_with_their_counts(self, client, dataset):
        page = client.get(reverse("units:detail", args=[dataset.pk])).content.decode()
        assert "60.0%" in page and "（3/5）" in page
        assert "50.0%" in page and "（2/4）" in page
        assert "25.0%" in page and "（1/4）" in page

    def test_a_department_without_data_shows_dashes(self, client, dataset):
        quiet = make_department("自治区档案局")
        department = client.get(reverse("units:detail", args=[quiet.pk])).context["department"]
        assert (department.on_time_rate, department.satisfied_rate, department.open_commitments) == (
            None,
            None,
            0,
        )

    def test_the_index_gives_the_same_figures(self, client, dataset):
        response = client.get(reverse("units:list"))
        figures = {d.name: d for d in response.context["departments"]}
        assert figures["自治区交通运输厅"].on_time_rate == 60.0
        assert figures["自治区交通运输厅"].open_commitments == 2
        assert figures["自治区水利厅"].open_commitments == 1
        assert figures["自治区水利厅"].assignment_count == 1
        page = response.content.decode()
        assert f'href="{reverse("units:detail", args=[dataset.pk])}"' in page
        assert f"?department={dataset.pk}&amp;status=open" in page


class TestDepartmentPage:
    def test_it_lists_its_public_assignments_with_role_due_date_and_state(self, client, dataset):
        response = client.get(reverse("units:detail", args=[dataset.pk]), {"sort": "number"})
        rows = {
            a.proposal.title: (a.get_role_display(), a.due_on, str(a.state)) for a in response.context["page"]
        }
        assert rows == {
            "按期答复的提案": ("主办", DUE, "已答复"),
            "逾期答复的提案": ("主办", DUE, "已答复（逾期）"),
            "分办尚未答复的提案": ("分办", TODAY - DAY, "逾期未复"),
            "会办的提案": ("会办", DUE, "会办"),
            "没有办理期限的提案": ("主办", None, "已答复"),
        }
        page = response.content.decode()
        assert "2024年3月1日" in page

    def test_it_lists_open_commitments_from_public_replies_only(self, client, dataset):
        page = client.get(reverse("units:detail", args=[dataset.pk])).content.decode()
        assert "一是三月底前完成路网规划。" in page and "二是年内开工建设。" in page
        for absent in [
            "三是已经落实的事项",
            "水利厅负责的事项",
            "依申请公开答复中的承诺",
            "未公开提案答复中的承诺",
        ]:
            assert absent not in page

    def test_it_never_shows_unpublished_proposals_or_feedback_comments(self, client, dataset):
        page = client.get(reverse("units:detail", args=[dataset.pk])).content.decode()
        assert "未公开的提案" not in page and "已退回的提案" not in page
        assert "这是私下的评价意见" not in page

    def test_its_table_filters_by_role_and_overdue(self, client, dataset):
        url = reverse("units:detail", args=[dataset.pk])
        titles = [a.proposal.title for a in client.get(url, {"role": "co"}).context["page"]]
        assert titles == ["会办的提案"]
        titles = [a.proposal.title for a in client.get(url, {"overdue": "on"}).context["page"]]
        assert titles == ["分办尚未答复的提案"]

    def test_its_table_filters_by_session(self, client, dataset):
        earlier = make_proposal(make_session(year=2023), title="二〇二三年的提案")
        make_assignment(earlier, dataset)
        url = reverse("units:detail", args=[dataset.pk])
        titles = [a.proposal.title for a in client.get(url, {"session": earlier.session_id}).context["page"]]
        assert titles == ["二〇二三年的提案"]

    def test_the_committee_office_and_unknown_departments_have_no_page(self, client):
        office = make_department("自治区政协办公厅", kind=Department.Kind.OFFICE)
        assert client.get(reverse("units:detail", args=[office.pk])).status_code == 404
        assert client.get(reverse("units:detail", args=[999999])).status_code == 404
        assert "自治区政协办公厅" not in client.get(reverse("units:list")).content.decode()


class TestExports:
    def test_the_assignments_table_exports_to_xlsx_with_dates(self, client, dataset):
        response = client.get(
            reverse("units:detail", args=[dataset.pk]), {"format": "xlsx", "sort": "number"}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert rows[0] == ["编号", "案由", "会议", "办理方式", "交办日期", "办理期限", "答复日期", "办理情况"]
        by_title = {row[1]: row for row in rows[1:]}
        assert set(by_title) == {
            "按期答复的提案",
            "逾期答复的提案",
            "分办尚未答复的提案",
            "会办的提案",
            "没有办理期限的提案",
        }
        assert by_title["逾期答复的提案"][5:] == [
            datetime.datetime(2024, 3, 1),
            datetime.datetime(2024, 3, 5),
            "已答复（逾期）",
        ]

    def test_the_assignments_table_exports_to_csv(self, client, dataset):
        response = client.get(reverse("units:detail", args=[dataset.pk]), {"format": "csv", "role": "co"})
        content = response.getvalue()
        assert content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert [row[1] for row in rows[1:]] == ["会办的提案"]

    def test_the_index_exports_its_figures(self, client, dataset):
        response = client.get(reverse("units:list"), {"format": "csv"})
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        assert rows[0] == [
            "承办单位",
            "承办件数",
            "主办、分办件数",
            "按期办复",
            "按期办复率（%）",
            "评价件数",
            "满意率（%）",
            "基本满意率（%）",
            "公开答复中未完成的承诺",
            "其中逾期",
        ]
        assert ["自治区交通运输厅", "6", "5", "3", "60.0", "4", "50.0", "25.0", "2", "1"] in rows
        xlsx = client.get(reverse("units:list"), {"format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert [cell.value for cell in sheet[1]] == rows[0]


def _departments(count):
    for _ in range(count):
        department = make_department()
        proposal = make_proposal()
        make_assignment(proposal, department, due_on=DUE)
        reply = make_response(proposal, department, issued_on=DUE)
        rate(department, Feedback.Rating.SATISFIED, reply)
        make_promise("下一步，继续推进。", reply, owner=department)


@pytest.mark.parametrize("count", [1, 30])
def test_the_index_query_count_is_constant(client, django_assert_num_queries, count):
    _departments(count)
    stats.current()  # the statistics snapshots stored, as after any earlier read
    # departments; sessions with their statistics snapshots; open public commitments by department
    with django_assert_num_queries(3):
        response = client.get(reverse("units:list"))
    assert len(response.context["departments"]) == count
    assert {d.on_time_rate for d in response.context["departments"]} == {100.0}


@pytest.mark.django_db(transaction=True)
def test_the_figures_follow_a_committed_write_at_once(client, dataset):
    # Committed for real: outside a transaction each write commits, and clears its statistics, at once.
    def figures():
        departments = client.get(reverse("units:list")).context["departments"]
        found = next(d for d in departments if d.pk == dataset.pk)
        return found.open_commitments, found.on_time_rate

    assert figures() == (2, 60.0)
    for commitment in Commitment.objects.filter(owner=dataset):
        commitment.status = Commitment.Status.DONE
        commitment.save()
    waiting = Assignment.objects.get(department=dataset, proposal__title="分办尚未答复的提案")
    make_response(waiting.proposal, dataset, issued_on=TODAY)  # replied, past its due date
    assert figures() == (0, 60.0)  # one more reply, but late: still 3 of 5 on time
    Response.objects.filter(proposal__title="逾期答复的提案").delete()
    late = Assignment.objects.get(department=dataset, proposal__title="逾期答复的提案")
    make_response(late.proposal, dataset, issued_on=DUE)  # the late reply replaced by one on time
    assert figures() == (0, 80.0)


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_query_count_is_constant(client, django_assert_num_queries, settings, count):
    settings.PAGE_SIZE = 50
    department = make_department()
    for _ in range(count):
        proposal = make_proposal()
        make_assignment(proposal, department, due_on=DUE)
        reply = make_response(proposal, department, issued_on=DUE)
        make_promise("下一步，继续推进。", reply, owner=department)
    stats.current()  # the statistics snapshots stored, as after any earlier read
    # department; sessions with their statistics snapshots; its open public commitments; session
    # choices; count; page of assignments (reply date a subquery); open commitments with their proposals
    with django_assert_num_queries(7):
        response = client.get(reverse("units:detail", args=[department.pk]))
    assert len(response.context["page"].object_list) == count
    assert len(response.context["open_commitments"]) == min(count, 10)


EVERYONE = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
# view → who gets what. Public pages: everyone reads them.
MATRIX = [
    ("units:list", dict.fromkeys(EVERYONE, 200)),
    ("units:detail", dict.fromkeys(EVERYONE, 200)),
]


@pytest.mark.parametrize("view, statuses", MATRIX, ids=[view for view, _ in MATRIX])
def test_access_matrix(client_for, seed_letter, view, statuses):
    lead = Department.objects.get(name="自治区科技厅")
    url = reverse(view, args=[lead.pk] if view.endswith("detail") else [])
    for persona, status in statuses.items():
        assert client_for(persona).get(url).status_code == status, persona
