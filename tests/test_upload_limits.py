"""Bounded uploads (issue 10, item 1): every imported cell is held to its field's limit while the
file is streamed, an oversized or odd file is refused with the row and column named and nothing
saved, memory stays bounded; attachments and every stored text have limits no path can pass.

The memory figures are measured with tracemalloc (Python allocations); BENCHMARKS.md has the RSS
and time of the same files at 100 MB (benchmarks/upload_limits.py)."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from workbook_files import PASSWORD_PROTECTED, chart_only, with_dimension, with_huge_cell, workbook_bytes

from proposals import importing
from proposals.forms import ProposalForm
from proposals.models import Committee, Proposal, ProposalAttachment
from tracker import limits

pytestmark = pytest.mark.django_db

ROW = ["十二届三次", "提案", "关于发展数字经济的建议", "正文", "经济建设", "2020-01-15", "王五", "代表"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted():
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED)


def import_measured(data, actor):
    """Import `data`, returning the result and the peak of Python memory allocated meanwhile."""
    tracemalloc.start()
    try:
        result = importing.import_workbook(io.BytesIO(data), Committee.objects.get(), actor)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("shared", [True, False], ids=["shared-strings", "inline-string"])
def test_a_20_million_character_cell_is_refused_naming_its_cell_without_reading_it(
    seed_letter, personas, shared
):
    data = with_huge_cell([importing.HEADERS, ROW], "D2", 20_000_000, shared=shared)
    assert len(data) < 200_000  # a small upload: the text compresses 1000:1
    result, peak = import_measured(data, personas["office"])
    assert result.errors == ["第2行：D列（正文）超过Excel单元格上限32767字，不是Excel能保存的文件"]
    assert not submitted().exists()
    # 20 million characters would take 20–80 MB once read; the check keeps a few chunks at most.
    assert peak < 4 * 1024 * 1024


def test_a_cell_over_its_field_limit_is_named_and_the_others_still_checked(seed_letter, personas):
    rows = [importing.HEADERS, [*ROW[:2], "题" * 201, *ROW[3:]], ROW, [*ROW[:6], "王五、" * 700, "代表"]]
    result = importing.import_workbook(
        io.BytesIO(workbook_bytes(rows)), Committee.objects.get(), personas["office"]
    )
    assert result.errors == [
        "第2行：C列（案由）有201字，超过上限200字",
        "第4行：G列（提案者）有2100字，超过上限2000字",
    ]
    assert not submitted().exists()


def test_a_body_as_long_as_excel_allows_is_imported(seed_letter, personas):
    data = with_huge_cell([importing.HEADERS, ROW], "D2", limits.EXCEL_CELL_LIMIT, shared=True)
    result = importing.import_workbook(io.BytesIO(data), Committee.objects.get(), personas["office"])
    assert result.errors == []
    assert len(submitted().get().body) == limits.EXCEL_CELL_LIMIT


def test_a_sheet_declaring_too_many_rows_is_refused_before_its_rows_are_read(seed_letter, personas):
    data = with_dimension([importing.HEADERS, ROW], "A1:H1501")
    result, _peak = import_measured(data, personas["office"])
    assert result.errors == ["一次最多导入1000行，本文件的工作表有1501行（含表头）：请删去多余的行后再上传。"]
    assert not submitted().exists()


def test_reading_stops_at_the_row_limit_when_the_dimension_understates_it(seed_letter, personas):
    rows = [importing.HEADERS] + [ROW] * (importing.MAX_ROWS + 1)
    data = with_dimension(rows, "A1:H2")
    result = importing.check_workbook(io.BytesIO(data), Committee.objects.get())
    assert result.errors == ["一次最多导入1000行，本文件超过了：请拆分后再上传。"]
    assert result.rows == []


def test_as_many_rows_as_allowed_are_read(seed_letter):
    rows = [importing.HEADERS] + [ROW] * importing.MAX_ROWS
    result = importing.check_workbook(io.BytesIO(workbook_bytes(rows)), Committee.objects.get())
    assert result.errors == [] and len(result.rows) == importing.MAX_ROWS


@pytest.mark.parametrize(
    "data, message",
    [
        (chart_only(), "工作簿中没有工作表（只有图表）：请上传用模板填写的 .xlsx 文件。"),
        (
            PASSWORD_PROTECTED,
            "文件设有打开密码，或是旧版 .xls 格式：请在Excel中取消密码并另存为 .xlsx 后再上传。",
        ),
        (b"", "文件是空的：请上传用模板填写的 .xlsx 文件。"),
        (b"PK\x03\x04 truncated zip", "无法读取文件：请上传用模板填写的 .xlsx 文件。"),
        (b"<html>not a workbook</html>", "无法读取文件：请上传用模板填写的 .xlsx 文件。"),
    ],
    ids=["chart-only", "password-protected", "empty", "broken-zip", "not-a-zip"],
)
def test_an_odd_workbook_gets_a_clear_message_on_the_import_page(office, seed_letter, data, message):
    upload = SimpleUploadedFile("proposals.xlsx", data)
    response = office.post(
        reverse("office:proposal_import"), {"committee": Committee.objects.get().pk, "file": upload}
    )
    assert response.status_code == 200
    if data:
        assert message in response.content.decode()
    else:  # Django's own check: an empty upload is no file at all
        assert response.context["form"].errors["file"] == ["提交的是空文件。"]
        assert importing.check_workbook(io.BytesIO(data), Committee.objects.get()).errors == [message]
    assert not submitted().exists()


def test_the_import_form_states_and_enforces_the_file_size_limit(office, seed_letter, settings):
    page = office.get(reverse("office:proposal_import")).content.decode()
    assert "文件不超过10MB，至多1000行；案由不超过200字，正文不超过32767字" in page
    upload = SimpleUploadedFile("proposals.xlsx", b"PK" + b"\0" * limits.WORKBOOK_MAX_BYTES)
    response = office.post(
        reverse("office:proposal_import"), {"committee": Committee.objects.get().pk, "file": upload}
    )
    assert response.context["form"].errors["file"] == ["文件有10.0MB，超过上限10MB：请拆分后再上传。"]


# Attachments and the limits of stored text ------------------------------------------------------


def log(office, session, attachments, **extra):
    data = {
        "session": session.pk,
        "kind": Proposal.Kind.PROPOSAL,
        "title": "关于加快发展林下经济的建议",
        "body": "林下经济……",
        "category": "",
        "submitted_on": "2020-01-15",
        "proposers-TOTAL_FORMS": 1,
        "proposers-INITIAL_FORMS": 0,
        "proposers-0-new_name": "王五",
        "proposers-0-new_kind": "member",
        "attachments": attachments,
        **extra,
    }
    return office.post(reverse("office:proposal_new"), data)


def test_the_proposal_form_states_the_attachment_limits(office, seed_letter):
    page = office.get(reverse("office:proposal_new")).content.decode()
    assert "至多10个，每个不超过20MB；类型：pdf、doc、docx" in page


@pytest.mark.parametrize(
    "attachments, message",
    [
        ([SimpleUploadedFile("run.exe", b"MZ")], "文件类型“exe”不可上传"),
        (
            [SimpleUploadedFile("scan.pdf", b"%" * (limits.ATTACHMENT_MAX_BYTES + 1))],
            "文件“scan.pdf”有20.0MB，超过上限20MB。",
        ),
        ([SimpleUploadedFile(f"{n}.pdf", b"%PDF") for n in range(11)], "一次至多上传10个附件。"),
    ],
    ids=["type", "size", "count"],
)
def test_an_attachment_over_a_limit_is_refused_and_nothing_saved(office, seed_letter, attachments, message):
    response = log(office, seed_letter.proposal.session, attachments)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert not Proposal.objects.filter(title="关于加快发展林下经济的建议").exists()
    assert not ProposalAttachment.objects.exists()


def test_the_proposal_form_holds_title_and_body_to_their_limits(seed_letter):
    session = seed_letter.proposal.session
    data = {"session": session.pk, "kind": "proposal", "submitted_on": "2020-01-15"}
    form = ProposalForm({**data, "title": "题" * 201, "body": "文" * (limits.BODY_MAX + 1)})
    assert set(form.errors) == {"title", "body"}
    assert ProposalForm({**data, "title": "题" * 200, "body": "文" * limits.BODY_MAX}).is_valid()


def test_the_database_refuses_a_body_over_the_limit_whatever_the_path(seed_letter):
    proposal = seed_letter.proposal
    proposal.body = "文" * (limits.BODY_MAX + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal.save(update_fields=["body"])


def test_a_file_that_unpacks_past_the_budget_is_refused_once_the_budget_is_spent(seed_letter, monkeypatch):
    from tracker import workbooks

    monkeypatch.setattr(workbooks, "MAX_UNPACKED_BYTES", 1024 * 1024)
    rows = [importing.HEADERS] + [[*ROW[:3], "文" * 1000, *ROW[4:]]] * 400  # ~1.2 MB of sheet XML
    result = importing.check_workbook(io.BytesIO(workbook_bytes(rows)), Committee.objects.get())
    assert result.errors == ["文件解压后超过1MB，不像是一次导入的提案表：请拆分后再上传。"]


def test_model_validation_checks_a_length_limit_without_asking_the_database(
    seed_letter, django_assert_num_queries
):
    proposal = seed_letter.proposal
    (body_length,) = [c for c in Proposal._meta.constraints if c.name == "proposals_body_length"]
    # Every ModelForm and full_clean runs this; a bulk upload once per row: a query each was an N+1.
    proposal.body = "文" * (limits.BODY_MAX + 1)
    with django_assert_num_queries(0), pytest.raises(ValidationError):
        body_length.validate(Proposal, proposal)
    proposal.body = "文" * limits.BODY_MAX
    with django_assert_num_queries(0):
        body_length.validate(Proposal, proposal)
