"""Batch import of proposals from an Excel sheet (one row per proposal).

The whole file is checked before anything is written: one bad row rejects the file, and every
problem is reported with its Excel row number ("第3行：…"). A good file is created in one
transaction. Works without views: `check_workbook(file, committee)` and
`import_workbook(file, committee, actor)`.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.chinese import chinese_numeral
from tracker.spreadsheets import cell_date as _parse_date
from tracker.spreadsheets import cell_text as _text
from tracker.spreadsheets import open_workbook as _open

from . import workflow
from .models import Proposal, Proposer

HEADERS = [
    "会议(如 十二届三次)",
    "类型(提案|建议)",
    "案由",
    "正文",
    "类别",
    "提交日期",
    "提案者(顿号分隔，第一个为第一提案人)",
    "提案者类型(委员|代表|集体)",
]
MAX_ROWS = 1000
FIRST_DATA_ROW = 2

KINDS = {"提案": Proposal.Kind.PROPOSAL, "建议": Proposal.Kind.SUGGESTION}
PROPOSER_KINDS = {
    "委员": Proposer.Kind.MEMBER,
    "代表": Proposer.Kind.DEPUTY,
    "集体": Proposer.Kind.COLLECTIVE,
}
# The Chinese labels are the msgids; compare against them, not the translated text.
CATEGORIES = {str(label): value for value, label in Proposal.Category.choices}
NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}
SESSION_PATTERN = re.compile(
    r"^(?P<term>[0-9零一二三四五六七八九十]+)届(?P<number>[0-9零一二三四五六七八九十]+)次(会议)?$"
)
PROPOSER_SEPARATORS = re.compile(r"[、，,；;]")


@dataclass
class Row:
    """A checked row, ready to be created."""

    line: int
    session: object
    kind: str
    title: str
    body: str
    category: str
    submitted_on: datetime.date | None
    proposers: list = field(default_factory=list)  # [(name, Proposer.Kind)] in order


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # Chinese sentences, "第3行：…" or about the file
    created: list = field(default_factory=list)
    on_file: dict = field(default_factory=dict)  # (name, kind) → the one Proposer of that name on file

    @property
    def ok(self):
        return not self.errors


def _header_key(text):
    return re.split(r"[（(]", str(text or ""), maxsplit=1)[0].strip()


def _numeral(text):
    return int(text) if text.isdigit() else NUMERALS.get(text)


def check_workbook(file, committee):
    """Read and check every row; nothing is written. Returns an ImportResult."""
    result = ImportResult()
    workbook = _open(file)
    if workbook is None:
        result.errors.append(_("无法读取文件：请上传用模板填写的 .xlsx 文件。"))
        return result
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows or [_header_key(cell) for cell in rows[0][: len(HEADERS)]] != [
        _header_key(h) for h in HEADERS
    ]:
        result.errors.append(
            _("表头与模板不符：第1行应依次为%(headers)s。")
            % {"headers": "、".join(_header_key(h) for h in HEADERS)}
        )
        return result
    data = [
        (line, list(values[: len(HEADERS)]) + [None] * (len(HEADERS) - len(values[: len(HEADERS)])))
        for line, values in enumerate(rows[1:], FIRST_DATA_ROW)
        if any(_text(value) for value in values)
    ]
    if not data:
        result.errors.append(_("文件中没有提案：请从第2行起每行填写一件提案。"))
        return result
    if len(data) > MAX_ROWS:
        result.errors.append(
            _("一次最多导入%(max)s行，本文件有%(count)s行。") % {"max": MAX_ROWS, "count": len(data)}
        )
        return result

    sessions = {(s.term, s.number): s for s in committee.sessions.select_related("committee")}
    for line, values in data:
        row, problems = _check_row(line, values, sessions)
        if problems:
            result.errors += [_("第%(line)s行：%(problem)s") % {"line": line, "problem": p} for p in problems]
        else:
            result.rows.append(row)
    _check_proposers(result)
    return result


def _check_row(line, values, sessions):
    session_text, kind_text, title, body, category_text, date_value, names_text, proposer_kind_text = values
    session_text, kind_text, title = _text(session_text), _text(kind_text), _text(title)
    category_text, names_text, proposer_kind_text = (
        _text(category_text),
        _text(names_text),
        _text(proposer_kind_text),
    )
    problems = []

    session = None
    match = SESSION_PATTERN.match(session_text.replace(" ", ""))
    if not session_text:
        problems.append(_("会议不能为空（如“十二届三次”）"))
    elif not match or _numeral(match["term"]) is None or _numeral(match["number"]) is None:
        problems.append(_("会议“%(value)s”格式不对，应如“十二届三次”") % {"value": session_text})
    else:
        session = sessions.get((_numeral(match["term"]), _numeral(match["number"])))
        if session is None:
            problems.append(_("会议“%(value)s”不存在，请先在管理后台添加") % {"value": session_text})

    kind = KINDS.get(kind_text)
    if kind is None:
        problems.append(_("类型“%(value)s”应为“提案”或“建议”") % {"value": kind_text})

    if not title:
        problems.append(_("案由不能为空"))
    elif len(title) > 300:
        problems.append(_("案由超过300字"))

    category = ""
    if category_text:
        category = CATEGORIES.get(category_text)
        if category is None:
            problems.append(
                _("类别“%(value)s”不在可选范围（%(choices)s）")
                % {"value": category_text, "choices": "、".join(CATEGORIES)}
            )

    submitted_on = None
    try:
        submitted_on = _parse_date(date_value)
    except ValueError:
        problems.append(_("提交日期“%(value)s”不是有效日期") % {"value": _text(date_value)})

    names = [name.strip() for name in PROPOSER_SEPARATORS.split(names_text) if name.strip()]
    if not names:
        problems.append(_("提案者不能为空"))
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(_("提案者“%(name)s”重复") % {"name": name})
    for name in names:
        if len(name) > 100:
            problems.append(_("提案者“%(name)s”超过100字") % {"name": name[:20]})
    proposer_kind = PROPOSER_KINDS.get(proposer_kind_text)
    if proposer_kind is None:
        problems.append(_("提案者类型“%(value)s”应为“委员”“代表”或“集体”") % {"value": proposer_kind_text})

    if problems:
        return None, problems
    return (
        Row(
            line=line,
            session=session,
            kind=kind,
            title=title,
            body=_text(body),
            category=category,
            submitted_on=submitted_on,
            proposers=[(name, proposer_kind) for name in names],
        ),
        [],
    )


def _check_proposers(result):
    """A name that matches several proposers of the same kind cannot be told apart: reject the row."""
    names = {name for row in result.rows for name, _kind in row.proposers}
    on_file = {}
    for proposer in Proposer.objects.filter(name__in=names):
        on_file.setdefault((proposer.name, proposer.kind), []).append(proposer)
    good = []
    for row in result.rows:
        clashes = [(name, kind) for name, kind in row.proposers if len(on_file.get((name, kind), [])) > 1]
        for name, kind in clashes:
            result.errors.append(
                _("第%(line)s行：提案者“%(name)s”（%(kind)s）在系统中有重名，请改为逐件录入")
                % {"line": row.line, "name": name, "kind": Proposer.Kind(kind).label}
            )
        if not clashes:
            good.append(row)
    result.rows = good
    result.on_file = {key: found[0] for key, found in on_file.items() if len(found) == 1}


def import_workbook(file, committee, actor):
    """Check the file, then create every row in one transaction, or nothing if any row is bad."""
    result = check_workbook(file, committee)
    if not result.ok:
        return result
    with transaction.atomic():
        proposers = dict(result.on_file)
        for row in result.rows:
            people = []
            for name, kind in row.proposers:
                if (name, kind) not in proposers:
                    proposers[(name, kind)] = Proposer.objects.create(name=name, kind=kind)
                people.append(proposers[(name, kind)])
            result.created.append(
                workflow.log_proposal(
                    session=row.session,
                    kind=row.kind,
                    title=row.title,
                    body=row.body,
                    category=row.category,
                    submitted_on=row.submitted_on,
                    proposers=people,
                    actor=actor,
                )
            )
    return result


def build_template():
    """The Excel template: the headers on the first sheet, with drop-down lists, and a sheet of notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "提案"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for letter, width in zip("ABCDEFGH", [18, 14, 40, 60, 14, 14, 36, 22], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for column, choices in (("B", KINDS), ("E", CATEGORIES), ("H", PROPOSER_KINDS)):
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{column}{FIRST_DATA_ROW}:{column}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("说明")
    for line in [
        ["填写说明"],
        ["每行一件提案，从第2行起填写；不要改动第1行表头。"],
        ["会议：如“十二届三次”，须是系统中已有的会议。"],
        ["类型：提案 或 建议。类别：" + "、".join(CATEGORIES) + "，可留空。"],
        ["提交日期：如 2020-01-15，可留空。"],
        ["提案者：多人联名时用顿号（、）分隔，第一个为第一提案人；系统中没有的提案者将按姓名新建。"],
        ["提案者类型：委员、代表 或 集体，适用于该行所有提案者。"],
        ["任何一行有误，整个文件都不会导入，页面会列出出错的行号和原因。"],
        [],
        ["示例"],
        HEADERS,
        [
            "十二届三次",
            "提案",
            "关于加快发展数字经济的建议",
            "正文……",
            "经济建设",
            "2020-01-15",
            "张三、李四",
            "委员",
        ],
    ]:
        notes.append(line)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
