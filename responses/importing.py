"""Turn a parsed reply letter into records: session, proposal, proposers, assignments, the reply,
its items and commitments.

Used by the office's import page (responses/views/letters.py) and by `manage.py import_letters`.
Nothing here changes the models: a letter becomes the rows the tracker already has.

Matching names
--------------
Letters name units and sessions the way their writers like: 自治区发改委 for 自治区发展改革委,
工信厅 for 工业和信息化厅, 青川市科学技术局 for 市科技局. A name is compared with the names on
record in three steps:

1. *exact*: equal once spaces are removed (王  芳 = 王芳);
2. *standard abbreviation*: equal once both are reduced by `ABBREVIATIONS` (发展和改革委员会 →
   发改委, 工业和信息化 → 工信, 科学技术 → 科技, …); scored 1.0 but shown as near, not exact;
3. *near*: difflib's `SequenceMatcher.ratio()` on the reduced names; a reduced name of three or
   more characters that ends the other (科技厅 / 自治区科技厅) scores at least `SUFFIX_SCORE`.

The import page offers every name scoring at least `NEAR_THRESHOLD` (0.6), exact ones first, and
preselects the best one when it scores at least `AUTO_THRESHOLD` (0.85); anything else needs the
office to tick "create new". The bulk command takes the best name scoring at least
`AUTO_THRESHOLD` and creates the rest. With the 0.85 threshold a person's name of two to four
characters only matches exactly (one character off scores 0.5–0.75), and 自治区财政厅 never
matches 自治区教育厅 (0.67).

Sessions are matched on their term and number (十二届三次): two sessions whose term or number
differ are never offered, however alike their names; the committee is the one whose short name
(自治区政协) the letter prints, or the only committee there is. Proposals are matched on their
number within the session (exact), and on the page also by title (near).

Saving
------
`save_letter` writes everything in one transaction and validates every row with `full_clean()`
first, so a bad row (a commitment that is not a substring of its paragraphs, a field too long)
rolls back the whole letter. An existing proposal is completed, never overwritten: missing
proposers and assignments are added, differing fields are reported in `ImportResult.notes` and
left as they are. A second import of the same letter (same proposal, same department, same title
and first paragraph) raises `DuplicateLetter`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from proposals.models import (
    Assignment,
    Committee,
    Department,
    Event,
    Proposal,
    ProposalProposer,
    Proposer,
    Session,
)
from tracker.chinese import chinese_numeral

from .models import Commitment, Response, ResponseItem
from .parsing import parse_letter

NEAR_THRESHOLD = 0.6
AUTO_THRESHOLD = 0.85
SUFFIX_SCORE = 0.9
IMPORT_MESSAGE = "由答复函导入"

# (full form, standard short form), applied in this order to both names before comparing them.
ABBREVIATIONS = (
    ("中国人民政治协商会议", "政协"),
    ("广西壮族自治区", "自治区"),
    ("国有资产监督管理委员会", "国资委"),
    ("发展和改革委员会", "发改委"),
    ("发展改革委员会", "发改委"),
    ("发展改革委", "发改委"),
    ("卫生和计划生育委员会", "卫计委"),
    ("卫生健康委员会", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("民族宗教事务委员会", "民宗委"),
    ("人力资源和社会保障", "人社"),
    ("人力资源社会保障", "人社"),
    ("工业和信息化", "工信"),
    ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"),
    ("市场监督管理", "市场监管"),
    ("文化和旅游", "文旅"),
    ("文化广电和旅游", "文广旅"),
    ("退役军人事务", "退役军人"),
    ("科学技术", "科技"),
    ("交通运输", "交通"),
    ("应急管理", "应急"),
    ("医疗保障", "医保"),
    ("广播电视", "广电"),
    ("人民政府", "政府"),
    ("人民代表大会常务委员会", "人大常委会"),
    ("人民代表大会", "人大"),
    ("委员会", "委"),
    ("办公室", "办"),
)

_SPACES_RE = re.compile(r"\s+")
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_SESSION_KEY_RE = re.compile(rf"第?\s*(?P<term>{_NUMERAL})\s*届.*?第?\s*(?P<number>{_NUMERAL})\s*次")
_NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}
_YEAR_PREFIX_RE = re.compile(r"^((?:19|20)\d{2})\d{2,}")
_KIND_WORD = {Proposal.Kind.PROPOSAL: "提案", Proposal.Kind.SUGGESTION: "建议"}
# States from which a reply moves the proposal on to 已答复.
_BEFORE_REPLY = (
    Proposal.Status.REGISTERED,
    Proposal.Status.ASSIGNED,
    Proposal.Status.IN_HANDLING,
    Proposal.Status.REHANDLING,
)


class ImportRefused(Exception):
    """The letter cannot be imported as it stands; the message says why, in Chinese."""


class DuplicateLetter(ImportRefused):
    def __init__(self, response):
        self.response = response
        super().__init__(
            f"重复导入：{response.proposal}已有{response.department}的同一答复函"
            f"（答复函编号 {response.pk}），未再导入。"
        )


# --------------------------------------------------------------------------- names


def squeeze(text):
    return _SPACES_RE.sub("", text or "")


def reduce_name(name):
    """The name with spaces removed and standard long forms replaced by their abbreviations."""
    reduced = squeeze(name)
    for full, short in ABBREVIATIONS:
        reduced = reduced.replace(full, short)
    return reduced


def name_score(name, other):
    """(score, exact) for two names; see the module docstring."""
    a, b = squeeze(name), squeeze(other)
    if not a or not b:
        return 0.0, False
    if a == b:
        return 1.0, True
    reduced_a, reduced_b = reduce_name(a), reduce_name(b)
    if reduced_a == reduced_b:
        return 1.0, False
    score = difflib.SequenceMatcher(None, reduced_a, reduced_b).ratio()
    shorter, longer = sorted((reduced_a, reduced_b), key=len)
    if len(shorter) >= 3 and longer.endswith(shorter):
        score = max(score, SUFFIX_SCORE)
    return score, False


def session_key(text):
    """(term, number) printed in a session's name (十二届三次 → (12, 3)), or None."""
    match = _SESSION_KEY_RE.search(squeeze(text))
    if not match:
        return None
    term, number = _NUMERALS.get(match.group("term")), _NUMERALS.get(match.group("number"))
    return (term, number) if term and number else None


def year_from(number, date):
    """The session year a letter points to: the 2020 of 20200287, else the year of its date."""
    match = _YEAR_PREFIX_RE.match(number or "")
    if match:
        return int(match.group(1))
    return date.year if date else None


@dataclass(frozen=True)
class Candidate:
    """An existing record offered for a name in the letter."""

    obj: object
    score: float
    exact: bool

    @property
    def value(self):
        return str(self.obj.pk)

    @property
    def label(self):
        if self.exact:
            return f"{self.obj}（完全一致）"
        return f"{self.obj}（近似，相似度 {self.score:.0%}）"


def _ranked(pairs):
    """Candidates from (obj, (score, exact)) pairs at or above NEAR_THRESHOLD, best first."""
    found = [Candidate(obj, score, exact) for obj, (score, exact) in pairs if score >= NEAR_THRESHOLD]
    return sorted(found, key=lambda c: (not c.exact, -c.score, c.obj.pk))


def best(candidates):
    """The candidate to choose without asking: the first one scoring at least AUTO_THRESHOLD."""
    return candidates[0] if candidates and candidates[0].score >= AUTO_THRESHOLD else None


class Matcher:
    """Finds existing records for the names in a letter.

    Loads departments, proposers, sessions (with committees) and committees once, in four queries,
    so that ranking the candidates for any number of names costs nothing more. Proposals are looked
    up per letter (`proposals`, one query).
    """

    def __init__(self):
        self.committees = list(Committee.objects.order_by("pk"))
        self.sessions = list(Session.objects.select_related("committee").order_by("pk"))
        self.departments = list(Department.objects.only("pk", "name", "kind", "committee_id").order_by("pk"))
        self.proposers = list(Proposer.objects.only("pk", "name", "kind").order_by("pk"))
        self._by_pk = {
            Committee: {obj.pk: obj for obj in self.committees},
            Session: {obj.pk: obj for obj in self.sessions},
            Department: {obj.pk: obj for obj in self.departments},
            Proposer: {obj.pk: obj for obj in self.proposers},
        }

    def get(self, model, pk):
        """An already loaded record by primary key, or None."""
        try:
            return self._by_pk[model].get(int(pk))
        except (TypeError, ValueError):
            return None

    def remember(self, obj):
        """Make a record created during this run findable by later letters (bulk import)."""
        for model, rows in (
            (Session, self.sessions),
            (Department, self.departments),
            (Proposer, self.proposers),
        ):
            if isinstance(obj, model):
                rows.append(obj)
                self._by_pk[model][obj.pk] = obj

    def department_candidates(self, name):
        return _ranked((department, name_score(name, department.name)) for department in self.departments)

    def proposer_candidates(self, name):
        return _ranked((proposer, name_score(name, proposer.name)) for proposer in self.proposers)

    def committee_for(self, session_text):
        """The committee whose short name (or full name) the session text prints, else the only one."""
        text = reduce_name(session_text)
        for committee in self.committees:
            if text and (reduce_name(committee.short_name) in text or reduce_name(committee.name) in text):
                return committee
        return self.committees[0] if len(self.committees) == 1 else None

    def session_candidates(self, text):
        key = session_key(text)
        committee = self.committee_for(text)
        pairs = []
        for session in self.sessions:
            score, exact = name_score(text, str(session))
            if key is not None:
                if key != (session.term, session.number):
                    continue  # 十二届三次 is never 十二届二次, however alike the names
                if not exact and committee is not None and session.committee_id == committee.pk:
                    score = max(score, 0.95)
            pairs.append((session, (score, exact)))
        return _ranked(pairs)

    def proposal_candidates(self, sessions, number, title=""):
        """Proposals of these sessions with this number (exact), then with a title like this one."""
        session_ids = [session.pk for session in sessions if getattr(session, "pk", None)]
        if not session_ids:
            return []
        rows = Proposal.objects.filter(session_id__in=session_ids).select_related("session__committee")
        if not title:
            rows = rows.filter(number=number)
        pairs = []
        for proposal in rows.only("pk", "number", "title", "session"):
            if number and proposal.number == number:
                pairs.append((proposal, (1.0, True)))
            elif title:
                score, _exact = name_score(title, proposal.title)
                if score >= 0.8:
                    pairs.append((proposal, (score, False)))
        return _ranked(pairs)[:10]


# --------------------------------------------------------------------------- what the letter says


@dataclass
class LetterDraft:
    """What will be saved: the parsed letter as the office confirmed it (or as parsed, in bulk)."""

    kind: str = Proposal.Kind.PROPOSAL
    number: str = ""
    session: str = ""
    proposal_title: str = ""
    addressees: list = field(default_factory=list)
    addressee_title: str = ""
    assigned_by: str = ""
    lead_department: str = ""
    co_departments: list = field(default_factory=list)
    title_lines: list = field(default_factory=list)
    salutation: str = ""
    opening: list = field(default_factory=list)
    closing: list = field(default_factory=list)
    review_note: str = ""
    result_class: str = ""
    document_number: str = ""
    signed_by: str = ""
    issuer: str = ""
    date: datetime.date | None = None
    contact: dict = field(default_factory=dict)
    copied_to: list = field(default_factory=list)
    # [{"number", "heading", "paragraphs": [...], "commitments": [...], "children": [same, no children]}]
    items: list = field(default_factory=list)

    @classmethod
    def from_parsed(cls, parsed):
        """The draft of a parsed letter. A lead department missing from the opening is the issuer;
        sections nested deeper than （一） are folded into their sub-section's paragraphs."""
        date = datetime.date.fromisoformat(parsed.date) if parsed.date else None
        contact = parsed.contact.to_dict() if parsed.contact else {}
        return cls(
            kind=parsed.kind or Proposal.Kind.PROPOSAL,
            number=parsed.number or "",
            session=parsed.session or "",
            proposal_title=parsed.proposal_title or "",
            addressees=list(parsed.addressees),
            addressee_title=parsed.addressee_title if parsed.addressee_title in ("委员", "代表") else "",
            assigned_by=parsed.assigned_by or "",
            lead_department=parsed.lead_department or parsed.issuer or "",
            co_departments=list(parsed.co_departments),
            title_lines=list(parsed.title_lines),
            salutation=parsed.salutation or "",
            opening=list(parsed.opening),
            closing=list(parsed.closing_paragraphs),
            review_note=parsed.review_note or "",
            result_class=parsed.result_class or "",
            document_number=parsed.document_number or "",
            signed_by=parsed.signed_by or "",
            issuer=parsed.issuer or "",
            date=date,
            contact={key: value or "" for key, value in contact.items()},
            copied_to=list(parsed.copied_to),
            items=[_item_dict(item, depth=1) for item in parsed.items],
        )

    @property
    def title(self):
        if self.title_lines:
            return "\n".join(line.strip() for line in self.title_lines if line.strip())
        kind_word = _KIND_WORD.get(self.kind, "提案")
        number = f"第{self.number}号" if self.number else ""
        return f"关于{self.session}{number}{kind_word}答复的函"

    @property
    def salutation_line(self):
        if self.salutation:
            return self.salutation
        return "、".join(self.addressees) + self.addressee_title + "："

    @property
    def first_paragraph(self):
        """The first paragraph of the letter's text: the opening's, else the first section's."""
        for paragraph in self.opening:
            if paragraph.strip():
                return paragraph.strip()
        for item in self.items:
            for paragraph in [
                *item["paragraphs"],
                *(p for child in item["children"] for p in child["paragraphs"]),
            ]:
                if paragraph.strip():
                    return paragraph.strip()
        return ""

    @property
    def identity(self):
        """What makes two letters the same letter (see `find_duplicate`), before any matching."""
        return (
            squeeze(self.session),
            squeeze(self.number),
            reduce_name(self.lead_department),
            squeeze(self.title),
            squeeze(self.first_paragraph),
        )


def _item_dict(item, depth):
    paragraphs = list(item.paragraphs)
    commitments = list(item.commitments)
    children = []
    for child in item.children:
        if depth == 1:
            children.append(_item_dict(child, depth=2))
        else:  # the model has two levels: a third (and below) folds into its parent's text
            paragraphs.extend(_printed_lines(child))
            commitments.extend(child.all_commitments())
    return {
        "number": item.number,
        "heading": item.heading,
        "paragraphs": paragraphs,
        "commitments": commitments,
        "children": children,
    }


def _printed_lines(item):
    """An item's heading line, paragraphs and sub-items' lines, as printed."""
    heading = f"{item.number}{item.heading}"
    lines = ([heading] if heading else []) + list(item.paragraphs)
    for child in item.children:
        lines.extend(_printed_lines(child))
    return lines


def draft_from_text(text):
    """(ParsedLetter, LetterDraft or None): None when the text is not a letter."""
    parsed = parse_letter(text)
    return parsed, (LetterDraft.from_parsed(parsed) if parsed.is_letter else None)


# --------------------------------------------------------------------------- what to save it as


@dataclass(frozen=True)
class NewSession:
    committee: Committee
    term: int
    number: int
    year: int

    def __str__(self):
        return (
            f"{self.committee.short_name}{chinese_numeral(self.term)}届{chinese_numeral(self.number)}次会议"
        )


@dataclass(frozen=True)
class NewDepartment:
    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class NewProposer:
    name: str
    kind: str

    def __str__(self):
        return self.name


@dataclass
class Resolution:
    """The records a letter goes to: existing rows, or New… placeholders for rows to create."""

    session: Session | NewSession
    proposal: Proposal | None  # None: create it
    proposers: list
    lead: Department | NewDepartment
    co: list = field(default_factory=list)
    assigned_by: Department | NewDepartment | None = None


@dataclass
class ImportResult:
    proposal: Proposal
    response: Response
    created: list = field(default_factory=list)  # "新建承办单位：…"
    notes: list = field(default_factory=list)  # what differed and was left as it was
    dry_run: bool = False


def proposer_kind(addressee_title):
    return {"委员": Proposer.Kind.MEMBER, "代表": Proposer.Kind.DEPUTY}.get(
        addressee_title, Proposer.Kind.COLLECTIVE
    )


def resolve(draft, matcher):
    """The bulk rules: the best match at or above AUTO_THRESHOLD, else a new record.

    Raises ImportRefused when the letter lacks what a record needs (number, session, lead
    department) or when the committee or the session year cannot be told.
    """
    if not draft.number:
        raise ImportRefused("未找到提案编号（如：第20200287号）")
    if not draft.session:
        raise ImportRefused("未找到届次会议（如：自治区政协十二届三次会议）")
    if not draft.lead_department:
        raise ImportRefused("未找到主办单位或落款单位")
    session_choice = best(matcher.session_candidates(draft.session))
    if session_choice:
        session = session_choice.obj
    else:
        committee = matcher.committee_for(draft.session)
        if committee is None:
            raise ImportRefused(f"无法确定“{draft.session}”属于哪个政协（人大）：请先在管理后台建立")
        key = session_key(draft.session)
        if key is None:
            raise ImportRefused(f"无法从“{draft.session}”读出届次（如：十二届三次）")
        year = year_from(draft.number, draft.date)
        if year is None:
            raise ImportRefused(f"无法确定“{draft.session}”的年度：答复函既无年份编号也无日期")
        session = NewSession(committee, key[0], key[1], year)
    proposal = None
    if isinstance(session, Session):
        proposal_choice = next(
            (c for c in matcher.proposal_candidates([session], draft.number) if c.exact), None
        )
        proposal = proposal_choice.obj if proposal_choice else None
    kind = proposer_kind(draft.addressee_title)
    proposers = []
    for name in draft.addressees:
        candidates = matcher.proposer_candidates(name)
        exact = [candidate for candidate in candidates if candidate.exact]
        choice = _proposer_on(proposal, exact)
        if choice is None and len(exact) > 1:
            raise ImportRefused(f"提案者“{name}”有多个同名记录，请在导入页面选择")
        choice = choice or best(candidates)
        proposers.append(choice.obj if choice else NewProposer(squeeze(name), kind))

    def department(name):
        choice = best(matcher.department_candidates(name))
        return choice.obj if choice else NewDepartment(squeeze(name))

    return Resolution(
        session=session,
        proposal=proposal,
        proposers=proposers,
        lead=department(draft.lead_department),
        co=[department(name) for name in draft.co_departments],
        assigned_by=department(draft.assigned_by) if draft.assigned_by else None,
    )


def _proposer_on(proposal, candidates):
    if proposal is None or not candidates:
        return None
    linked = set(proposal.proposer_links.values_list("proposer_id", flat=True))
    return next((c for c in candidates if c.obj.pk in linked), None)


# --------------------------------------------------------------------------- saving


def find_duplicate(draft, proposal, department):
    """An earlier import of this letter: same proposal and department, same title and first paragraph."""
    if proposal is None or getattr(proposal, "pk", None) is None or getattr(department, "pk", None) is None:
        return None
    title, first = squeeze(draft.title), squeeze(draft.first_paragraph)
    replies = Response.objects.filter(proposal=proposal, department=department).prefetch_related("items")
    for reply in replies:
        if squeeze(reply.title) == title and squeeze(_first_paragraph(reply)) == first:
            return reply
    return None


def _first_paragraph(reply):
    if reply.opening_paragraphs:
        return reply.opening_paragraphs[0]
    for item in sorted(reply.items.all(), key=lambda item: (item.parent_id is not None, item.pk)):
        if item.paragraph_list:
            return item.paragraph_list[0]
    return ""


class _Saver:
    """One letter's rows, written in order inside the caller's transaction."""

    def __init__(self, draft, resolution, actor):
        self.draft = draft
        self.resolution = resolution
        self.completing = resolution.proposal is not None
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.created = []
        self.notes = []
        self.made = []  # new rows, for Matcher.remember

    def _save(self, obj, label=""):
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ValidationError(
                [f"{label}：{message}" if label else message for message in error.messages]
            ) from error
        obj.save()
        return obj

    def session(self):
        chosen = self.resolution.session
        if isinstance(chosen, Session):
            return chosen
        session = Session(
            committee=chosen.committee, term=chosen.term, number=chosen.number, year=chosen.year
        )
        self._save(session, "会议")
        self.created.append(f"新建会议：{session}")
        self.made.append(session)
        return session

    def department(self, chosen, committee, kind=Department.Kind.GOVERNMENT):
        if chosen is None or isinstance(chosen, Department):
            return chosen
        department = Department(name=chosen.name, committee=committee, kind=kind)
        self._save(department, f"承办单位“{chosen.name}”")
        self.created.append(f"新建承办单位：{department}")
        self.made.append(department)
        return department

    def proposer(self, chosen):
        if isinstance(chosen, Proposer):
            return chosen
        proposer = Proposer(name=chosen.name, kind=chosen.kind)
        self._save(proposer, f"提案者“{chosen.name}”")
        self.created.append(f"新建提案者：{proposer}")
        self.made.append(proposer)
        return proposer

    def proposal(self, session, status):
        draft, existing = self.draft, self.resolution.proposal
        if existing is None:
            if not draft.proposal_title:
                raise ImportRefused("未找到提案标题（如：《关于…的建议》），无法新建提案")
            proposal = Proposal(
                session=session,
                number=draft.number,
                kind=draft.kind,
                title=draft.proposal_title,
                status=Proposal.Status.REPLIED,
                is_published=status == Response.Status.PUBLISHED,
                created_by=self.actor,
            )
            self._save(proposal, "提案")
            self.created.append(f"新建提案：{proposal}")
            return proposal
        if existing.session_id != session.pk:
            raise ImportRefused(f"所选提案“{existing}”不属于{session}")
        proposal = existing
        for label, mine, theirs in (
            ("编号", proposal.number, draft.number),
            ("标题", proposal.title, draft.proposal_title),
            ("类型", proposal.kind, draft.kind),
        ):
            if theirs and squeeze(mine) != squeeze(theirs):
                self.notes.append(f"提案{label}与答复函不同（现有“{mine}”，答复函“{theirs}”），保留现有记录")
        if status == Response.Status.PUBLISHED and not proposal.is_published:
            self.notes.append("答复函已公开，但提案本身尚未公开：提案页面仍不对外显示，可在提案页面公开")
        if proposal.status in _BEFORE_REPLY:
            before = proposal.get_status_display()
            proposal.status = Proposal.Status.REPLIED
            self._save(proposal, "提案")
            self.notes.append(f"提案状态由“{before}”改为“已答复”")
        return proposal

    def link_proposers(self, proposal, proposers):
        links = list(proposal.proposer_links.all())
        linked = {link.proposer_id for link in links}
        position = max((link.position for link in links), default=0)
        for proposer in proposers:
            if proposer.pk in linked:
                continue
            position += 1
            self._save(ProposalProposer(proposal=proposal, proposer=proposer, position=position), "提案者")
            linked.add(proposer.pk)
            if self.completing:
                self.notes.append(f"为提案补充提案者：{proposer}")

    def assign(self, proposal, lead, co, assigned_by):
        assignments = list(proposal.assignments.all())
        by_department = {assignment.department_id: assignment for assignment in assignments}
        roles = {assignment.role for assignment in assignments}
        current = by_department.get(lead.pk)
        if current is None:
            if Assignment.Role.LEAD in roles:
                holder = next(a for a in assignments if a.role == Assignment.Role.LEAD)
                raise ImportRefused(f"提案已由{holder.department}主办，与答复函的主办单位“{lead}”不一致")
            role = Assignment.Role.SEPARATE if Assignment.Role.SEPARATE in roles else Assignment.Role.LEAD
            by_department[lead.pk] = self._add_assignment(proposal, lead, role, assigned_by, assignments)
        elif current.role == Assignment.Role.CO_HANDLING:
            raise ImportRefused(f"“{lead}”是该提案的会办单位，不能作为答复单位导入")
        for department in co:
            current = by_department.get(department.pk)
            if current is None:
                by_department[department.pk] = self._add_assignment(
                    proposal, department, Assignment.Role.CO_HANDLING, assigned_by, assignments
                )
            elif current.role != Assignment.Role.CO_HANDLING:
                self.notes.append(
                    f"答复函称“{department}”会办，现有交办为{current.get_role_display()}，保留现有交办"
                )

    def _add_assignment(self, proposal, department, role, assigned_by, assignments):
        position = 1 + max((a.position for a in assignments if a.role == role), default=0)
        assignment = Assignment(
            proposal=proposal, department=department, role=role, position=position, assigned_by=assigned_by
        )
        self._save(assignment, f"交办“{department}”")
        if self.completing:
            self.notes.append(f"为提案补充交办：{department}（{assignment.get_role_display()}）")
        assignments.append(assignment)
        return assignment

    def response(self, proposal, department, status, disclosure):
        draft = self.draft
        version = 1 + max(
            Response.objects.filter(proposal=proposal, department=department).values_list(
                "version", flat=True
            ),
            default=0,
        )
        today = timezone.localdate()
        contact = draft.contact
        response = Response(
            proposal=proposal,
            department=department,
            version=version,
            title=draft.title,
            document_number=draft.document_number,
            signed_by=draft.signed_by,
            salutation=draft.salutation_line,
            opening="\n".join(draft.opening),
            closing="\n".join(draft.closing),
            signoff_unit=draft.issuer,
            issued_on=draft.date,
            review_note=draft.review_note,
            result_class=draft.result_class,
            disclosure=disclosure,
            status=status,
            published_on=today if status == Response.Status.PUBLISHED else None,
            contact_unit=contact.get("unit") or "",
            contact_person=contact.get("person") or "",
            contact_phone=contact.get("phone") or "",
            contact_postcode=contact.get("postcode") or "",
            copied_to="\n".join(draft.copied_to),
        )
        self._save(response, "答复函")
        for position, item in enumerate(draft.items, 1):
            row = self._item(response, item, position, parent=None)
            for child_position, child in enumerate(item["children"], 1):
                self._item(response, child, child_position, parent=row)
        return response

    def _item(self, response, item, position, parent):
        label = f"{item['number']}{item['heading']}"[:20] or f"第{position}条"
        row = ResponseItem(
            response=response,
            parent=parent,
            position=position,
            number_label=item["number"],
            heading=item["heading"],
            paragraphs="\n".join(item["paragraphs"]),
        )
        self._save(row, f"条目“{label}”")
        for commitment_position, text in enumerate(item["commitments"], 1):
            commitment = Commitment(
                item=row, position=commitment_position, text=text, owner=response.department
            )
            self._save(commitment, f"条目“{label}”的承诺")
        return row


def save_letter(
    draft,
    resolution,
    *,
    actor=None,
    publish=False,
    disclosure=Response.Disclosure.PUBLIC,
    dry_run=False,
    matcher=None,
):
    """Create or complete the proposal and create the reply with its items and commitments.

    One transaction: any ValidationError or ImportRefused leaves the database as it was. With
    `dry_run` everything is written and checked, then rolled back. Records an Event
    (REPLY_ISSUED, "由答复函导入") on the proposal. Raises DuplicateLetter for a letter imported before.
    """
    status = Response.Status.PUBLISHED if publish else Response.Status.ISSUED
    if status == Response.Status.PUBLISHED and disclosure == Response.Disclosure.NOT_PUBLIC:
        raise ImportRefused("不予公开的答复不能公开发布：请取消“公开”或改选公开属性")
    duplicate = find_duplicate(draft, resolution.proposal, resolution.lead)
    if duplicate is not None:
        raise DuplicateLetter(duplicate)
    saver = _Saver(draft, resolution, actor)
    with transaction.atomic():
        session = saver.session()
        committee = session.committee
        proposers = [saver.proposer(chosen) for chosen in resolution.proposers]
        lead = saver.department(resolution.lead, committee)
        co = [saver.department(chosen, committee) for chosen in resolution.co]
        assigned_by = saver.department(resolution.assigned_by, committee, kind=_assigning_kind(resolution))
        proposal = saver.proposal(session, status)
        saver.link_proposers(proposal, proposers)
        saver.assign(proposal, lead, co, assigned_by)
        response = saver.response(proposal, lead, status, disclosure)
        proposal.record(
            Event.Kind.REPLY_ISSUED,
            actor=saver.actor,
            department=lead,
            message=IMPORT_MESSAGE,
            public=status == Response.Status.PUBLISHED,
        )
        if dry_run:
            transaction.set_rollback(True)
    if matcher is not None and not dry_run:
        for obj in saver.made:
            matcher.remember(obj)
    return ImportResult(proposal, response, saver.created, saver.notes, dry_run)


def _assigning_kind(resolution):
    chosen = resolution.assigned_by
    if isinstance(chosen, NewDepartment) and re.search("政协|人大", chosen.name):
        return Department.Kind.OFFICE
    return Department.Kind.GOVERNMENT


def import_text(text, *, matcher, actor=None, publish=False, dry_run=False):
    """Parse, match (bulk rules) and save one letter. Raises ImportRefused or ValidationError."""
    parsed, draft = draft_from_text(text)
    if draft is None:
        raise ImportRefused("；".join(parsed.missing) or "未识别为答复函")
    resolution = resolve(draft, matcher)
    return save_letter(draft, resolution, actor=actor, publish=publish, dry_run=dry_run, matcher=matcher)
