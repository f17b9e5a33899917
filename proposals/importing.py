"""Batch import of proposals from an Excel sheet (one row per proposal), in two steps.

`check_workbook(file, committee)` reads and checks every row and writes nothing: each row gets its
problems ("第3行：…"), whether it repeats an earlier row or a proposal on file (same session, same
folded title — tracker.chinese.fold_title — and same first proposer), and for each proposer whether
the name is on file, probably a typo of someone on file (edit distance 1 among the committee's
proposers of the same kind, or the same name with another kind), or new. The office's upload keeps
the result in an IntakeBatch (`start_batch`) for the preview; `confirm_batch` checks the rows against
the database again and creates them, with the clerk's decisions, in one transaction: all or nothing.
`import_workbook(file, committee, actor)` does both at once for scripts and tests (repeated rows are
skipped, a probable typo is refused).
"""

import datetime
import hashlib
import io
import re
from dataclasses import asdict, dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from pagecache import scopes
from tracker import limits
from tracker.chinese import chinese_numeral, fold_title
from tracker.spreadsheets import cell_date as _parse_date
from tracker.spreadsheets import cell_text as _text
from tracker.workbooks import Column, read_sheet

from . import bulk, workflow
from .intake import IntakeBatch
from .models import Proposal, ProposalProposer, Proposer, Session

HEADERS = [
    "会议(如 十二届三次)",
    "类型(提案|建议)",
    "案由",
    "正文",
    "类别",
    "提交日期",
    "提案者(顿号分隔，第一个为第一提案人)",
    "提案者类型(委员|代表|集体；可用顿号逐一对应)",
]
# What each column may hold, checked while the file is streamed (tracker.workbooks.read_sheet).
COLUMNS = [
    Column("会议", 50),
    Column("类型", 20),
    Column("案由", limits.TITLE_MAX),
    Column("正文", limits.BODY_MAX),  # read_sheet caps it at Excel's 32,767 characters per cell
    Column("类别", 20),
    Column("提交日期", 50),
    Column("提案者", 2_000),
    Column("提案者类型", 2_000),
]
MAX_ROWS = limits.WORKBOOK_MAX_ROWS
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


# How many people on file a probable typo may be offered as (the closest first).
MAX_SUGGESTIONS = 5


class NameStatus:
    EXACT = "exact"  # one proposer on file of this name and kind
    SUGGEST = "suggest"  # none, but someone close: the clerk picks one or a new proposer
    NEW = "new"  # nobody close: created on confirm
    AMBIGUOUS = "ambiguous"  # several of this name and kind: the row is refused


@dataclass
class Name:
    """One proposer of a row, as written in the sheet, and who on file it matches."""

    name: str
    kind: str
    status: str = NameStatus.NEW
    person: int | None = None  # Proposer pk when EXACT
    options: list = field(default_factory=list)  # [[pk, label, why]] when SUGGEST

    @property
    def kind_label(self):
        return Proposer.Kind(self.kind).label


@dataclass
class Row:
    """One sheet row: what it holds, its problems, and what the database says about it."""

    line: int
    session_text: str = ""
    session: int | None = None  # Session pk
    kind: str = ""
    title: str = ""
    body: str = ""
    category: str = ""
    submitted_on: datetime.date | None = None
    names: list = field(default_factory=list)  # [Name], the first is the 第一提案人
    problems: list = field(default_factory=list)  # from the sheet alone
    conflicts: list = field(default_factory=list)  # from the database (ambiguous names, gone sessions)
    duplicate_line: int | None = None  # repeats this earlier row of the file
    duplicate_of: int | None = None  # repeats this proposal on file (pk)
    duplicate_label: str = ""

    @property
    def errors(self):
        return self.problems + self.conflicts

    @property
    def is_duplicate(self):
        return bool(self.duplicate_line or self.duplicate_of)

    @property
    def suggestions(self):
        return [(index, name) for index, name in enumerate(self.names) if name.status == NameStatus.SUGGEST]

    @property
    def needs_decision(self):
        return not self.errors and (self.is_duplicate or bool(self.suggestions))

    @property
    def outcome(self):
        """error / duplicate / check (a proposer to confirm) / create — the preview's filter and colour."""
        if self.errors:
            return "error"
        if self.is_duplicate:
            return "duplicate"
        if self.suggestions:
            return "check"
        return "create"

    def analysis(self):
        """What the database said about the row; confirm compares it with what the preview showed."""
        return [
            self.conflicts,
            self.duplicate_line,
            self.duplicate_of,
            [[n.status, n.person, [option[0] for option in n.options]] for n in self.names],
        ]

    def as_json(self):
        data = asdict(self)
        data["submitted_on"] = self.submitted_on.isoformat() if self.submitted_on else None
        return data

    @classmethod
    def from_json(cls, data):
        data = dict(data)
        data["names"] = [Name(**name) for name in data["names"]]
        if data["submitted_on"]:
            data["submitted_on"] = datetime.date.fromisoformat(data["submitted_on"])
        return cls(**data)


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)  # every data row, good or not
    file_errors: list = field(default_factory=list)  # about the file as a whole (unreadable, headers)
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # repeated rows left out

    @property
    def errors(self):
        """Every problem in Chinese: the file's, then "第3行：…" for each row's."""
        return self.file_errors + [
            _("第%(line)s行：%(problem)s") % {"line": row.line, "problem": problem}
            for row in self.rows
            for problem in row.errors
        ]

    @property
    def ok(self):
        return not self.errors


def _header_key(text):
    return re.split(r"[（(]", str(text or ""), maxsplit=1)[0].strip()


def _numeral(text):
    return int(text) if text.isdigit() else NUMERALS.get(text)


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def check_workbook(file, committee):
    """Read and check every row against the sheet's rules and the database; nothing is written."""
    result = ImportResult()
    sheet = read_sheet(file, COLUMNS, MAX_ROWS)
    if not sheet.ok:
        result.file_errors = sheet.errors
        return result
    if [_header_key(cell) for cell in sheet.header] != [_header_key(h) for h in HEADERS]:
        result.file_errors.append(
            _("表头与模板不符：第1行应依次为%(headers)s。")
            % {"headers": "、".join(_header_key(h) for h in HEADERS)}
        )
        return result
    if not sheet.rows:
        result.file_errors.append(_("文件中没有提案：请从第2行起每行填写一件提案。"))
        return result

    sessions = {(s.term, s.number): s.pk for s in committee.sessions.all()}
    result.rows = [_check_row(line, values, sessions) for line, values in sheet.rows]
    analyse(result.rows, committee)
    return result


def _check_row(line, values, sessions):
    session_text, kind_text, title, body, category_text, date_value, names_text, proposer_kind_text = values
    row = Row(line=line, session_text=_text(session_text), title=_text(title), body=_text(body))
    kind_text, category_text = _text(kind_text), _text(category_text)
    names_text, proposer_kind_text = _text(names_text), _text(proposer_kind_text)
    problems = row.problems

    match = SESSION_PATTERN.match(row.session_text.replace(" ", ""))
    if not row.session_text:
        problems.append(_("会议不能为空（如“十二届三次”）"))
    elif not match or _numeral(match["term"]) is None or _numeral(match["number"]) is None:
        problems.append(_("会议“%(value)s”格式不对，应如“十二届三次”") % {"value": row.session_text})
    else:
        row.session = sessions.get((_numeral(match["term"]), _numeral(match["number"])))
        if row.session is None:
            problems.append(_("会议“%(value)s”不存在，请先在管理后台添加") % {"value": row.session_text})

    row.kind = KINDS.get(kind_text, "")
    if not row.kind:
        problems.append(_("类型“%(value)s”应为“提案”或“建议”") % {"value": kind_text})

    if not row.title:  # its length was checked while reading (COLUMNS)
        problems.append(_("案由不能为空"))

    if category_text:
        row.category = CATEGORIES.get(category_text, "")
        if not row.category:
            problems.append(
                _("类别“%(value)s”不在可选范围（%(choices)s）")
                % {"value": category_text, "choices": "、".join(CATEGORIES)}
            )

    try:
        row.submitted_on = _parse_date(date_value)
    except ValueError:
        problems.append(_("提交日期“%(value)s”不是有效日期") % {"value": _text(date_value)})

    names = [name.strip() for name in PROPOSER_SEPARATORS.split(names_text) if name.strip()]
    if not names:
        problems.append(_("提案者不能为空"))
    for name in sorted({n for n in names if names.count(n) > 1}, key=names.index):
        problems.append(_("提案者“%(name)s”重复") % {"name": name})
    for name in names:
        if len(name) > limits.NAME_MAX:
            problems.append(_("提案者“%(name)s”超过%(max)s字") % {"name": name[:20], "max": limits.NAME_MAX})
    kinds = _proposer_kinds(proposer_kind_text, len(names), problems)
    if not problems:
        row.names = [Name(name=name, kind=kind) for name, kind in zip(names, kinds, strict=True)]
    return row


def _proposer_kinds(text, count, problems):
    """One kind for every proposer ("委员"), or one per proposer in order ("委员、代表")."""
    texts = [part.strip() for part in PROPOSER_SEPARATORS.split(text) if part.strip()] or [""]
    kinds = [PROPOSER_KINDS.get(part) for part in texts]
    for part, kind in zip(texts, kinds, strict=True):
        if kind is None:
            problems.append(_("提案者类型“%(value)s”应为“委员”“代表”或“集体”") % {"value": part})
    if len(kinds) == 1:
        return kinds * count
    if count and len(kinds) != count:
        problems.append(
            _("提案者类型有%(kinds)s项而提案者有%(names)s位：填一种类型适用于全部提案者，或按顺序逐一对应")
            % {"kinds": len(kinds), "names": count}
        )
    return kinds


# What the database says ---------------------------------------------------------------------


def analyse(rows, committee):
    """Match every proposer and flag every repeated row, against the database as it is now.

    Rows with problems of their own are left alone. Costs a fixed number of queries whatever the
    number of rows: sessions, proposers by name, the committee's proposers (only when a name is not
    on file) and the first proposers of the sessions' proposals."""
    live_sessions = set(
        committee.sessions.filter(pk__in={r.session for r in rows}).values_list("pk", flat=True)
    )
    for row in rows:
        row.conflicts, row.duplicate_line, row.duplicate_of, row.duplicate_label = [], None, None, ""
        if not row.problems and row.session not in live_sessions:
            row.conflicts.append(_("会议“%(value)s”已不存在") % {"value": row.session_text})
    good = [row for row in rows if not row.errors]
    _match_proposers(good, committee)
    _flag_duplicates(good)


def _match_proposers(rows, committee):
    names = {name.name for row in rows for name in row.names}
    by_key, by_name = {}, {}
    for pk, name, kind in (
        Proposer.objects.filter(name__in=names).order_by("pk").values_list("pk", "name", "kind")
    ):
        by_key.setdefault((name, kind), []).append(pk)
        by_name.setdefault(name, []).append((pk, kind))
    typos = None
    for row in rows:
        for entry in row.names:
            entry.person, entry.options = None, []
            found = by_key.get((entry.name, entry.kind), [])
            if len(found) == 1:
                entry.status, entry.person = NameStatus.EXACT, found[0]
                continue
            if len(found) > 1:
                entry.status = NameStatus.AMBIGUOUS
                row.conflicts.append(
                    _("提案者“%(name)s”（%(kind)s）在系统中有重名，请改为逐件录入")
                    % {"name": entry.name, "kind": entry.kind_label}
                )
                continue
            if typos is None:
                typos = TypoIndex(committee)
            options = [
                [
                    pk,
                    _label(entry.name, kind),
                    _("同名，类型为%(kind)s") % {"kind": Proposer.Kind(kind).label},
                ]
                for pk, kind in by_name.get(entry.name, [])
            ]
            options += [
                [pk, _label(name, entry.kind), _("一字之差")]
                for pk, name in typos.near(entry.name, entry.kind)
            ]
            entry.options = options[:MAX_SUGGESTIONS]
            entry.status = NameStatus.SUGGEST if entry.options else NameStatus.NEW


def _label(name, kind):
    return str(Proposer(name=name, kind=kind))


class TypoIndex:
    """The committee's proposers (those on one of its proposals), looked up by edit distance 1: one
    character replaced, added or left out. Each name is indexed under its one-character deletions
    and its one-character wildcards, so a lookup costs a few dictionary reads (one query to build)."""

    def __init__(self, committee):
        self.exact, self.deleted, self.wildcard = {}, {}, {}
        people = (
            Proposer.objects.filter(proposal_links__proposal__session__committee=committee)
            .values_list("pk", "name", "kind")
            .distinct()
        )
        for pk, name, kind in people:
            self.exact.setdefault((kind, name), set()).add((pk, name))
            for variant in self._deletions(name):
                self.deleted.setdefault((kind, variant), set()).add((pk, name))
            for variant in self._wildcards(name):
                self.wildcard.setdefault((kind, variant), set()).add((pk, name))

    @staticmethod
    def _deletions(name):
        return {name[:i] + name[i + 1 :] for i in range(len(name))}

    @staticmethod
    def _wildcards(name):
        return {name[:i] + "\0" + name[i + 1 :] for i in range(len(name))}

    def near(self, name, kind):
        """[(pk, name)] of this kind at edit distance exactly 1, by name."""
        found = set(self.deleted.get((kind, name), ()))  # one character more on file
        for variant in self._deletions(name):  # one character fewer on file
            found |= self.exact.get((kind, variant), set())
        for variant in self._wildcards(name):  # one character replaced
            found |= self.wildcard.get((kind, variant), set())
        return sorted((pk, other) for pk, other in found if other != name)


def _duplicate_key(row):
    return (row.session, fold_title(row.title), row.names[0].name)


def _flag_duplicates(rows):
    """The same session, the same folded title and the same first proposer: in the file (the later
    row repeats the earlier) or on file (any proposal of the session)."""
    on_file = {}
    firsts = ProposalProposer.objects.filter(
        position=1, proposal__session__in={row.session for row in rows}
    ).values_list(
        "proposal_id", "proposal__session_id", "proposal__title", "proposal__number", "proposer__name"
    )
    for pk, session, title, number, first in firsts:
        on_file.setdefault((session, fold_title(title), first), (pk, number, title))
    seen = {}
    for row in rows:
        key = _duplicate_key(row)
        if key in on_file:
            pk, number, title = on_file[key]
            row.duplicate_of = pk
            row.duplicate_label = f"第{number}号 {title}" if number else title
        elif key in seen:
            row.duplicate_line = seen[key]
        seen.setdefault(key, row.line)


# Creating ------------------------------------------------------------------------------------


class Decisions:
    """What the clerk chose on the preview: which repeated rows to import anyway, and for each
    suggested proposer the person on file or "new". Read from the confirm form's fields."""

    def __init__(self, include=(), people=None):
        self.include = set(include)  # lines
        self.people = people or {}  # (line, index) → pk or "new"

    @classmethod
    def from_post(cls, data):
        include = {int(key[8:]) for key in data if key.startswith("include-") and key[8:].isdigit()}
        people = {}
        for key, value in data.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "person" and parts[1].isdigit() and parts[2].isdigit():
                people[(int(parts[1]), int(parts[2]))] = value
        return cls(include, people)

    def unresolved(self, rows):
        """ "第3行：…" for every suggested proposer without a valid choice."""
        problems = []
        for row in rows:
            if row.errors or (row.is_duplicate and row.line not in self.include):
                continue
            for index, entry in row.suggestions:
                choice = self.people.get((row.line, index), "")
                if choice != "new" and choice not in {str(option[0]) for option in entry.options}:
                    problems.append(
                        _("第%(line)s行：请确认提案者“%(name)s”是系统中的哪一位，或新建")
                        % {"line": row.line, "name": entry.name}
                    )
        return problems


class Refused(Exception):
    """Nothing was created; `errors` say why, in Chinese, naming the rows."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def create_rows(rows, decisions, actor):
    """Create the rows in one transaction; any refused row undoes them all (Refused names it).
    Repeated rows the clerk did not tick are left out. Returns (created, skipped lines)."""
    wanted = [row for row in rows if not row.is_duplicate or row.line in decisions.include]
    skipped = sorted({row.line for row in rows} - {row.line for row in wanted})
    chosen = {}
    for row in wanted:
        for index, entry in enumerate(row.names):
            if entry.status == NameStatus.EXACT:
                chosen[(row.line, index)] = entry.person
            elif entry.status == NameStatus.SUGGEST and decisions.people.get((row.line, index)) != "new":
                chosen[(row.line, index)] = int(decisions.people[(row.line, index)])
    people = Proposer.objects.in_bulk(set(chosen.values()))
    sessions = Session.objects.select_related("committee").in_bulk({row.session for row in wanted})
    created = []
    # The search index is written once for all rows, inside the transaction (proposals/bulk.py).
    with transaction.atomic(), bulk.batch_writes():
        new_people = _create_new_people(wanted, chosen)
        for row in wanted:
            try:
                proposers = []
                for index, entry in enumerate(row.names):
                    if (row.line, index) in chosen:
                        person = people.get(chosen[(row.line, index)])
                        if person is None:
                            raise ValidationError(_("提案者“%(name)s”已从系统中删除") % {"name": entry.name})
                    else:
                        person = new_people[(entry.name, entry.kind)]
                    proposers.append(person)
                created.append(
                    workflow.log_proposal(
                        session=sessions[row.session],
                        kind=row.kind,
                        title=row.title,
                        body=row.body,
                        category=row.category,
                        submitted_on=row.submitted_on,
                        proposers=proposers,
                        actor=actor,
                    )
                )
            except (ValidationError, DatabaseError, KeyError) as exc:
                raise Refused(
                    [
                        _("第%(line)s行：%(problem)s，整个文件未导入")
                        % {"line": row.line, "problem": _reason(exc)}
                    ]
                ) from exc
    return created, skipped


def _create_new_people(rows, chosen):
    """{(name, kind): Proposer} for the names of `rows` not matched to anyone on file, created in one
    query; the page cache hears of them as of one-by-one saves (bulk_create sends no signal)."""
    keys = {
        (entry.name, entry.kind): None
        for row in rows
        for index, entry in enumerate(row.names)
        if (row.line, index) not in chosen
    }
    people = Proposer.objects.bulk_create([Proposer(name=name, kind=kind) for name, kind in keys])
    scopes.touch(set().union(*map(scopes.refs_of, people)))
    return dict(zip(keys, people, strict=True))


def _reason(exc):
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, KeyError):
        return _("会议已不存在")
    return _("数据库拒绝保存（%(error)s）") % {"error": exc.__class__.__name__}


def import_workbook(file, committee, actor, decisions=None):
    """Check the file, then create every row in one transaction, or nothing if any row is bad.
    Without decisions, repeated rows are skipped and a probable typo of a proposer is an error."""
    result = check_workbook(file, committee)
    decisions = decisions or Decisions()
    if not result.ok:
        return result
    result.file_errors += decisions.unresolved(result.rows)
    if not result.ok:
        return result
    try:
        result.created, result.skipped = create_rows(result.rows, decisions, actor)
    except Refused as refusal:
        result.file_errors += refusal.errors
    return result


# The two steps of the office's upload ----------------------------------------------------------


def start_batch(upload, committee, actor):
    """Check an upload and keep it for the preview. Returns (batch or None, ImportResult): no batch
    when the file as a whole cannot be read (its errors say why); stale batches are cleared."""
    digest = sha256_of(upload)
    result = check_workbook(upload, committee)
    if result.file_errors:
        return None, result
    IntakeBatch.objects.stale().delete()
    batch = IntakeBatch.objects.create(
        committee=committee,
        file_name=(getattr(upload, "name", "") or "")[:200],
        sha256=digest,
        rows=[row.as_json() for row in result.rows],
        created_by=actor,
    )
    return batch, result


def batch_rows(batch):
    return [Row.from_json(data) for data in batch.rows]


@dataclass
class Confirmation:
    errors: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # lines whose check changed since the preview
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def confirm_batch(batch, decisions, actor, *, reupload_accepted=False):
    """Check the batch's rows against the database again and create them, all or nothing.

    When anything the preview showed has changed (a proposal or proposer added or removed since),
    nothing is created: the batch keeps the new check and the errors name the rows to look at."""
    outcome = Confirmation()
    with transaction.atomic():
        batch = IntakeBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.is_pending:
            outcome.errors.append(
                _("这批文件已处理（%(status)s），不能再次确认。") % {"status": batch.get_status_display()}
            )
            return outcome
        rows = batch_rows(batch)
        shown = [row.analysis() for row in rows]
        analyse(rows, batch.committee)
        outcome.changed = [
            row.line for row, before in zip(rows, shown, strict=True) if row.analysis() != before
        ]
        if outcome.changed:
            IntakeBatch.objects.filter(pk=batch.pk).update(rows=[row.as_json() for row in rows])
            outcome.errors.append(
                _("预览之后系统中的数据有变化，请重新核对第%(lines)s行后再确认。")
                % {"lines": "、".join(str(line) for line in outcome.changed)}
            )
            return outcome
        outcome.errors += [
            _("第%(line)s行：%(problem)s") % {"line": row.line, "problem": problem}
            for row in rows
            for problem in row.errors
        ]
        if outcome.errors:
            outcome.errors.insert(0, _("文件中有错误的行，整个文件未导入：请修改后重新上传。"))
            return outcome
        if IntakeBatch.objects.earlier_imports_of(batch).exists() and not reupload_accepted:
            outcome.errors.append(_("这个文件以前已经导入过：确需再次导入，请勾选“仍要再次导入”。"))
        outcome.errors += decisions.unresolved(rows)
        if outcome.errors:
            return outcome
        try:
            outcome.created, outcome.skipped = create_rows(rows, decisions, actor)
        except Refused as refusal:
            outcome.errors = refusal.errors
            return outcome
        batch.status = IntakeBatch.Status.CONFIRMED
        batch.decided_at = timezone.now()
        batch.created_count = len(outcome.created)
        batch.save(update_fields=["status", "decided_at", "created_count"])
    return outcome


def cancel_batch(batch):
    """A pending batch is dropped from the clerk's hands; nothing of it was created. Returns whether
    it was still pending."""
    return bool(
        IntakeBatch.objects.filter(pk=batch.pk, status=IntakeBatch.Status.PENDING).update(
            status=IntakeBatch.Status.CANCELLED, decided_at=timezone.now()
        )
    )


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
        ["提案者：多人联名时用顿号（、）分隔，第一个为第一提案人。"],
        [
            "提案者类型：委员、代表 或 集体。只填一种时适用于该行所有提案者；"
            "联名者类型不同时，按提案者的顺序用顿号逐一对应，如提案者“李明、蒋俏玲”、类型“委员、代表”。"
        ],
        [
            "上传后先看预览：每行标明将新建、与某行或系统中已有提案重复、提案者与系统中某人对应、"
            "可能是某人（如错一字，须选择是此人还是新建）或将新建提案者，确认后才导入。"
        ],
        [
            "重复的行（同一会议、案由相同——不计空格、标点和全角半角——且第一提案人相同）默认不导入，"
            "确需导入请在预览中勾选；同一文件再次上传时预览会提示。"
        ],
        ["任何一行有误，整个文件都不会导入，预览会列出出错的行号和原因。"],
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
        [
            "十二届三次",
            "建议",
            "关于加强职业教育的建议",
            "正文……",
            "",
            "2020-01-16",
            "李明、蒋俏玲",
            "委员、代表",
        ],
    ]:
        notes.append(line)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
