"""Logging proposals one at a time, and in a batch from an Excel sheet."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import importing
from proposals.models import Committee, Event, Proposal, ProposalAttachment, Proposer, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def session(seed_letter):
    return seed_letter.proposal.session


def rows_data(*rows):
    data = {"proposers-TOTAL_FORMS": len(rows), "proposers-INITIAL_FORMS": 0}
    for i, (proposer, name, kind) in enumerate(rows):
        data.update(
            {
                f"proposers-{i}-proposer": proposer,
                f"proposers-{i}-new_name": name,
                f"proposers-{i}-new_kind": kind,
            }
        )
    return data


def proposal_data(session, **extra):
    return {
        "session": session.pk,
        "kind": Proposal.Kind.PROPOSAL,
        "title": "关于加快发展林下经济的建议",
        "body": "林下经济……",
        "category": Proposal.Category.ECOLOGY,
        "submitted_on": "2020-01-15",
        **extra,
    }


# One at a time --------------------------------------------------------------------------------


def test_logging_a_proposal_with_proposers_in_order_and_an_attachment(office, session, personas):
    jiang = Proposer.objects.get(name="蒋俏玲")
    data = proposal_data(
        session, **rows_data(("", "王五", "member"), (jiang.pk, "", "member"), ("", "", "member"))
    )
    data["attachments"] = [SimpleUploadedFile("说明.txt", b"hello"), SimpleUploadedFile("b.txt", b"2")]
    response = office.post(reverse("office:proposal_new"), data)
    proposal = Proposal.objects.get(title="关于加快发展林下经济的建议")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:proposal_detail", args=[proposal.pk])
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.number == ""
    assert proposal.created_by == personas["office"]
    assert proposal.submitted_on == datetime.date(2020, 1, 15)
    assert [(link.position, link.proposer.name) for link in proposal.proposer_links.order_by("position")] == [
        (1, "王五"),
        (2, "蒋俏玲"),
    ]
    assert Proposer.objects.get(name="王五").kind == Proposer.Kind.MEMBER
    assert sorted(ProposalAttachment.objects.filter(proposal=proposal).values_list("name", flat=True)) == [
        "b.txt",
        "说明.txt",
    ]
    assert proposal.events.get().kind == Event.Kind.SUBMITTED


def test_the_office_can_download_an_attachment(office, session):
    data = proposal_data(session, **rows_data(("", "王五", "member")))
    data["attachments"] = [SimpleUploadedFile("说明.txt", b"hello")]
    office.post(reverse("office:proposal_new"), data)
    attachment = ProposalAttachment.objects.get()
    response = office.get(reverse("office:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"


def test_a_proposal_needs_a_proposer(office, session):
    response = office.post(
        reverse("office:proposal_new"), proposal_data(session, **rows_data(("", "", "member")))
    )
    assert response.status_code == 200
    assert response.context["rows"].non_form_errors() == ["请至少填写一位提案者（第一行为第一提案人）。"]
    assert not Proposal.objects.filter(title="关于加快发展林下经济的建议").exists()


def test_a_proposer_cannot_be_listed_twice(office, session):
    jiang = Proposer.objects.get(name="蒋俏玲")
    response = office.post(
        reverse("office:proposal_new"),
        proposal_data(session, **rows_data((jiang.pk, "", "member"), (jiang.pk, "", "member"))),
    )
    assert response.context["rows"].forms[1].errors["proposer"] == ["提案者重复。"]
    assert not Proposal.objects.filter(title="关于加快发展林下经济的建议").exists()


def test_a_row_names_either_a_known_proposer_or_a_new_one(office, session):
    jiang = Proposer.objects.get(name="蒋俏玲")
    response = office.post(
        reverse("office:proposal_new"), proposal_data(session, **rows_data((jiang.pk, "王五", "member")))
    )
    assert response.context["rows"].forms[0].errors["new_name"] == ["已选择已有提案者时，不要再填写新姓名。"]
    assert not Proposer.objects.filter(name="王五").exists()


def test_a_title_is_required(office, session):
    response = office.post(
        reverse("office:proposal_new"), proposal_data(session, title="", **rows_data(("", "王五", "member")))
    )
    assert "title" in response.context["form"].errors
    assert not Proposer.objects.filter(name="王五").exists()


# Excel import ---------------------------------------------------------------------------------

GOOD_ROWS = [
    [
        "十二届三次",
        "提案",
        "关于发展数字经济的建议",
        "正文一",
        "经济建设",
        datetime.datetime(2020, 1, 15),
        "蒋俏玲、王五",
        "代表",
    ],
    ["十二届三次", "建议", "关于加强职业教育的建议", "", "", "2020-01-16", "王五", "代表"],
    ["12届3次", "提案", "关于保护漓江的建议", "", "生态文明建设", "2020年1月17日", "民盟广西区委会", "集体"],
]


def workbook(rows, headers=importing.HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "proposals.xlsx"
    return buffer


def test_a_good_file_creates_every_row_in_order(seed_letter, personas):
    committee = Committee.objects.get()
    result = importing.import_workbook(workbook(GOOD_ROWS), committee, personas["office"])
    assert result.errors == []
    created = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).order_by("pk")
    assert [p.title for p in created] == [row[2] for row in GOOD_ROWS]
    first, second, third = created
    assert first.session == Session.objects.get(term=12, number=3)
    assert (first.category, first.submitted_on) == (Proposal.Category.ECONOMY, datetime.date(2020, 1, 15))
    assert [link.proposer.name for link in first.proposer_links.order_by("position")] == ["蒋俏玲", "王五"]
    # 蒋俏玲 (代表) is on file; 王五 is created once for both rows.
    assert first.proposer_links.get(position=1).proposer == Proposer.objects.get(name="蒋俏玲")
    assert Proposer.objects.filter(name="王五").count() == 1
    assert second.kind == Proposal.Kind.SUGGESTION and second.submitted_on == datetime.date(2020, 1, 16)
    assert third.proposer_links.get().proposer.kind == Proposer.Kind.COLLECTIVE
    assert third.submitted_on == datetime.date(2020, 1, 17)
    assert Event.objects.filter(kind=Event.Kind.SUBMITTED).count() == 3
    assert {p.created_by for p in created} == {personas["office"]}


def test_a_bad_row_rejects_the_whole_file_and_names_the_row(seed_letter, personas):
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:5], "2020-13-01", "王五", "代表"], GOOD_ROWS[2]]
    result = importing.import_workbook(workbook(rows), Committee.objects.get(), personas["office"])
    assert result.errors == ["第3行：提交日期“2020-13-01”不是有效日期"]
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()
    assert not Proposer.objects.filter(name="王五").exists()


def test_every_problem_of_every_row_is_listed(seed_letter):
    rows = [
        ["十二届九次", "议案", "", "", "教育", "明天", "", "群众"],
        ["第十二届", "提案", "关于发展数字经济的建议", "", "", "", "张三、张三", "委员"],
    ]
    result = importing.check_workbook(workbook(rows), Committee.objects.get())
    assert result.errors == [
        "第2行：会议“十二届九次”不存在，请先在管理后台添加",
        "第2行：类型“议案”应为“提案”或“建议”",
        "第2行：案由不能为空",
        "第2行：类别“教育”不在可选范围（经济建设、政治建设、文化建设、社会建设、生态文明建设、其他）",
        "第2行：提交日期“明天”不是有效日期",
        "第2行：提案者不能为空",
        "第2行：提案者类型“群众”应为“委员”“代表”或“集体”",
        "第3行：会议“第十二届”格式不对，应如“十二届三次”",
        "第3行：提案者“张三”重复",
    ]


def test_blank_rows_are_skipped_but_keep_their_numbers(seed_letter):
    rows = [GOOD_ROWS[0], [None] * 8, [*GOOD_ROWS[1][:2], "", *GOOD_ROWS[1][3:]]]
    result = importing.check_workbook(workbook(rows), Committee.objects.get())
    assert result.errors == ["第4行：案由不能为空"]


def test_a_sheet_with_other_headers_is_refused(seed_letter):
    result = importing.check_workbook(workbook(GOOD_ROWS, headers=["标题", "正文"]), Committee.objects.get())
    assert len(result.errors) == 1 and result.errors[0].startswith("表头与模板不符")


def test_a_file_that_is_not_a_workbook_is_refused(seed_letter):
    result = importing.check_workbook(io.BytesIO(b"not a workbook"), Committee.objects.get())
    assert result.errors == ["无法读取文件：请上传用模板填写的 .xlsx 文件。"]


def test_an_ambiguous_proposer_name_is_refused(seed_letter):
    Proposer.objects.create(name="王五", kind=Proposer.Kind.DEPUTY)
    Proposer.objects.create(name="王五", kind=Proposer.Kind.DEPUTY, affiliation="另一位")
    result = importing.check_workbook(workbook(GOOD_ROWS), Committee.objects.get())
    assert result.errors == [
        "第2行：提案者“王五”（代表）在系统中有重名，请改为逐件录入",
        "第3行：提案者“王五”（代表）在系统中有重名，请改为逐件录入",
    ]


def test_the_import_page_previews_then_creates_the_proposals_of_a_good_file(office, seed_letter):
    upload = SimpleUploadedFile("proposals.xlsx", workbook(GOOD_ROWS).getvalue())
    response = office.post(
        reverse("office:proposal_import"),
        {"committee": Committee.objects.get().pk, "file": upload},
        follow=True,
    )
    assert "将新建3行，重复0行，需确认提案者0行，有错误0行" in response.content.decode()
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()  # not before confirming
    batch = response.context["batch"]
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]), follow=True)
    assert "已导入3件提案，待审查。" in response.content.decode()
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 3


def test_the_import_preview_lists_the_bad_rows_and_offers_no_confirmation(office, seed_letter):
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:5], "2020-13-01", "王五", "代表"]]
    upload = SimpleUploadedFile("proposals.xlsx", workbook(rows).getvalue())
    response = office.post(
        reverse("office:proposal_import"),
        {"committee": Committee.objects.get().pk, "file": upload},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "提交日期“2020-13-01”不是有效日期" in page
    assert "确认导入" not in page
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()


def test_an_unreadable_file_stays_on_the_upload_page_with_its_error(office, seed_letter):
    upload = SimpleUploadedFile("proposals.xlsx", b"not a workbook")
    response = office.post(
        reverse("office:proposal_import"), {"committee": Committee.objects.get().pk, "file": upload}
    )
    assert response.status_code == 200
    assert "无法读取文件：请上传用模板填写的 .xlsx 文件。" in response.content.decode()


def test_the_import_page_wants_an_xlsx_file(office, seed_letter):
    upload = SimpleUploadedFile("proposals.csv", b"a,b")
    response = office.post(
        reverse("office:proposal_import"), {"committee": Committee.objects.get().pk, "file": upload}
    )
    assert response.context["form"].errors["file"] == ["请上传 .xlsx 格式的Excel文件。"]


def test_the_template_downloads_and_opens_with_the_headers(office, seed_letter):
    response = office.get(reverse("office:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book.worksheets[0][1]] == [
        "会议(如 十二届三次)",
        "类型(提案|建议)",
        "案由",
        "正文",
        "类别",
        "提交日期",
        "提案者(顿号分隔，第一个为第一提案人)",
        "提案者类型(委员|代表|集体；可用顿号逐一对应)",
    ]
    assert book.worksheets[0].max_row == 1  # headers only: an unchanged template imports nothing


def test_the_template_itself_passes_the_header_check(seed_letter):
    result = importing.check_workbook(io.BytesIO(importing.build_template()), Committee.objects.get())
    assert result.errors == ["文件中没有提案：请从第2行起每行填写一件提案。"]
