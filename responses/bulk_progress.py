"""Progress on many commitments at once, through an Excel sheet (批量报告进展).

A department downloads its open commitments (`build_sheet`), fills in status, progress and dates,
uploads the sheet and sees every row as changed, unchanged or in error (`check_sheet`); confirming
writes every changed row or none (`apply`). Each row is checked by the form of the one-by-one page
(ProgressForm, plus the due date) and written by the same step (drafting.report_progress), so the two
ways cannot drift apart.
"""

import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from proposals import bulk
from tracker.spreadsheets import cell_date, cell_text, open_workbook

from . import drafting
from .forms import ProgressForm
from .models import Commitment

HEADERS = [
    gettext_lazy("编号"),
    gettext_lazy("提案号"),
    gettext_lazy("承诺内容"),
    gettext_lazy("当前状态"),
    gettext_lazy("当前完成期限"),
    gettext_lazy("状态"),
    gettext_lazy("进展情况"),
    gettext_lazy("报告日期"),
    gettext_lazy("完成期限"),
]
ID, NUMBER, TEXT, CURRENT_STATUS, CURRENT_DUE, STATUS, PROGRESS, REPORTED_ON, DUE_ON = range(len(HEADERS))
FIRST_EDITABLE = STATUS
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def _in_every_language(lazy_texts):
    """The texts in each interface language: a sheet downloaded in one language may be uploaded
    in another."""
    versions = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            versions.append([str(text) for text in lazy_texts])
    return versions


def _status_code(text):
    """A status from its label in either language, or its code; the text itself when unknown."""
    labels = [label for _value, label in Commitment.Status.choices]
    codes = [value for value, _label in Commitment.Status.choices]
    for names in _in_every_language(labels):
        if text in names:
            return codes[names.index(text)]
    return text


class RowForm(ProgressForm):
    """One row: the one-by-one progress form, and the due date the sheet may move."""

    due_on = forms.DateField(label=gettext_lazy("完成期限"), required=False)


@dataclass
class Row:
    line: int
    commitment: Commitment | None = None
    data: dict = field(default_factory=dict)  # what the row asks for, as form data (strings)
    errors: list = field(default_factory=list)
    changed: bool = False
    cleaned: dict = field(default_factory=dict)  # the checked values of a changed row

    @property
    def state(self):
        if self.errors:
            return "error"
        return "changed" if self.changed else "unchanged"

    def state_display(self):
        return {"error": _("有错误"), "changed": _("有变化"), "unchanged": _("无变化")}[self.state]

    def status_display(self):
        return Commitment.Status(self.cleaned["status"]).label


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # about the file as a whole

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes(self):
        return [row for row in self.rows if row.changed and not row.errors]

    @property
    def unchanged_count(self):
        return sum(1 for row in self.rows if row.state == "unchanged")

    @property
    def error_count(self):
        return sum(1 for row in self.rows if row.state == "error")

    def to_session(self):
        """The confirmed rows, as plain data a session can keep until the department confirms."""
        return [{"line": row.line, **row.data} for row in self.changes]


def _iso(day):
    return day.isoformat() if day else ""


def build_sheet(department):
    """The department's open commitments, one per row, with the columns to fill in. Returns bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("承诺事项"))
    sheet.append([str(header) for header in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    editable = PatternFill("solid", fgColor="FFF2CC")
    for column in range(FIRST_EDITABLE + 1, len(HEADERS) + 1):
        sheet.cell(row=1, column=column).fill = editable
    commitments = drafting.open_commitments(department)
    count = 0
    for count, commitment in enumerate(commitments, 1):
        label = commitment.get_status_display()
        proposal = commitment.item.response.proposal
        sheet.append(
            [
                commitment.pk,
                proposal.number,
                commitment.text,
                label,
                commitment.due_on,
                label,
                "",
                None,
                commitment.due_on,
            ]
        )
        for column in (CURRENT_DUE, REPORTED_ON, DUE_ON):
            sheet.cell(row=count + 1, column=column + 1).number_format = "yyyy-mm-dd"
        sheet.cell(row=count + 1, column=TEXT + 1).alignment = Alignment(wrap_text=True, vertical="top")
    labels = ",".join(str(label) for _value, label in Commitment.Status.choices)
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=False)
    validation.error = str(_("请从列表中选择状态。"))
    sheet.add_data_validation(validation)
    if count:
        validation.add(f"F2:F{count + 1}")
    for column, width in zip("ABCDEFGHI", (8, 12, 60, 10, 14, 10, 50, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_sheet(upload, department, today=None):
    """Read the uploaded sheet and check every row; nothing is written."""
    preview = Preview()
    if upload.size > MAX_BYTES:
        preview.errors.append(_("文件超过5MB，请只保留下载的承诺事项表。"))
        return preview
    workbook = open_workbook(upload)
    if workbook is None:
        preview.errors.append(_("无法读取文件：请上传下载的 .xlsx 承诺事项表。"))
        return preview
    try:
        sheet = workbook.worksheets[0]
        # Bounded: a sheet that claims a million rows is not read past the limit.
        lines = list(sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=len(HEADERS), values_only=True))
    finally:
        workbook.close()
    header = [cell_text(value) for value in (lines[0] if lines else ())]
    if header[: len(HEADERS)] not in _in_every_language(HEADERS):
        preview.errors.append(
            _("表头与下载的表格不符：第1行应依次为%(headers)s。")
            % {"headers": "、".join(str(h) for h in HEADERS)}
        )
        return preview
    entries = []
    for line, values in enumerate(lines[1:], 2):
        values = list(values) + [None] * (len(HEADERS) - len(values))
        if not any(cell_text(value) for value in values):
            continue
        if len(entries) == MAX_ROWS:
            preview.errors.append(_("一次最多%(max)s行。") % {"max": MAX_ROWS})
            return preview
        entries.append((line, values))
    if not entries:
        preview.errors.append(_("表中没有承诺事项。"))
        return preview
    rows = []
    for line, values in entries:
        row = Row(line=line, data={"id": cell_text(values[ID])})
        status = cell_text(values[STATUS])
        row.data["status"] = _status_code(status)
        row.data["text"] = cell_text(values[PROGRESS])
        for key, index, label in (
            ("reported_on", REPORTED_ON, _("报告日期")),
            ("due_on", DUE_ON, _("完成期限")),
        ):
            try:
                row.data[key] = _iso(cell_date(values[index]))
            except ValueError:
                row.data[key] = ""
                row.errors.append(
                    _("%(label)s“%(value)s”不是有效日期")
                    % {"label": label, "value": cell_text(values[index])}
                )
        rows.append(row)
    preview.rows = check_rows(rows, department, today)
    return preview


def check_rows(rows, department, today=None):
    """Find each row's commitment among the department's and check what it asks with RowForm."""
    today = today or timezone.localdate()
    ids = [int(row.data["id"]) for row in rows if row.data["id"].isdigit()]
    commitments = (
        drafting.department_commitments(department)
        .filter(pk__in=ids)
        .select_related("item__response__proposal")
    )
    by_id = {commitment.pk: commitment for commitment in commitments}
    seen = set()
    for row in rows:
        key = row.data["id"]
        row.commitment = by_id.get(int(key)) if key.isdigit() else None
        if row.commitment is None:
            row.errors.insert(0, _("编号“%(id)s”不是本单位的承诺事项") % {"id": key})
            continue
        if key in seen:
            row.errors.insert(0, _("编号%(id)s重复出现") % {"id": key})
            continue
        seen.add(key)
        # An emptied due date keeps the one on file: the sheet moves dates, it does not erase them.
        due_on = row.data["due_on"]
        row.changed = bool(
            row.data["text"]
            or row.data["status"] != row.commitment.status
            or (due_on and due_on != _iso(row.commitment.due_on))
        )
        if not row.changed or row.errors:
            continue
        data = {**row.data, "reported_on": row.data["reported_on"] or today.isoformat()}
        form = RowForm(data, today=today)
        if form.is_valid():
            row.cleaned = form.cleaned_data
        else:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                row.errors += [f"{label}：{error}" if label else error for error in errors]
    return rows


def apply(rows, department, user, today=None):
    """Report progress on every changed row, in one transaction: any refusal writes nothing.
    `rows` as Preview.to_session() keeps them; they are checked again against the data as it is now.
    Returns the preview of the check, with `.ok` false when something was refused."""
    today = today or timezone.localdate()
    entries = [
        Row(line=entry["line"], data={k: v for k, v in entry.items() if k != "line"}) for entry in rows
    ]
    preview = Preview(rows=check_rows(entries, department, today))
    if not preview.ok:
        return preview
    try:
        # Each commitment saved rewrites its proposal's search document: once at the end instead.
        with transaction.atomic(), bulk.batch_writes():
            for row in preview.changes:
                cleaned = row.cleaned
                drafting.report_progress(
                    row.commitment,
                    reported_on=cleaned["reported_on"],
                    status=cleaned["status"],
                    text=cleaned["text"],
                    user=user,
                    due_on=cleaned["due_on"],
                    today=today,
                )
    except drafting.Refused as refusal:
        preview.errors.append(refusal.message)
    return preview
