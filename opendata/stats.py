"""The figures committee offices report, per session and per department, as queryset aggregates.

Counting rules (DOMAIN.md, "Figures the offices report"), decided once here for the page, the exports
and the API alike:

- received (收到): every proposal past the draft stage, published or not. These are aggregate counts
  offices publish in their annual report; no unpublished proposal's content is ever shown.
- received = registered (立案) + merged (并案) + not registered (不予立案) + under review (审查中).
  Registered means registered or any later state; merged proposals are handled as part of the proposal
  they were merged into, so they are not counted again. 立案率 = registered / received.
- A unit answers when it is the lead (主办) or a separate unit (分办) and has not returned the proposal.
  Co-handling units (会办) write opinions to the lead and are counted apart.
- A registered proposal is replied (办复) when every answering unit has issued (签发 or 公开) its
  first reply, version 1: later versions (re-handling, correction) only exist after it.
  办复率 = replied / registered.
- On time (按期): each answering unit's first reply was issued on or before its assignment's due
  date; an assignment without a due date cannot be late. 按期办复率 = replied on time / registered.
- Overdue now: an answering assignment past its due date without an issued reply, on a proposal that
  is not closed. Per session it counts proposals, per department assignments.
- Result classes count the current reply letters (the highest issued version of each unit's reply).
- Satisfaction counts each proposer's latest rating of each unit's reply, so a 不满意 followed by
  re-handling and a 满意 counts once, as 满意. 满意率 = 满意 / ratings, 基本满意率 = 基本满意 / ratings.
- Commitments come from current issued replies; their unit is the named owner, else the replying unit.
  In progress = planned or in progress and not past due; overdue = open and past due.

All tables (sessions; departments over all sessions and for each session) are computed together in
eight grouped queries (conditional `Count(..., filter=Q(...))`, joins rather than per-row subqueries)
whatever the data size, and cached for CACHE_SECONDS, one entry per table, keyed by the day.
"""

import datetime
from dataclasses import dataclass, field, fields

from django.core.cache import cache
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Assignment, Department, Proposal, Session
from responses.models import Commitment, Feedback, Response

# Never show numbers staler than a minute (issue 4).
CACHE_SECONDS = 60
CACHE_PREFIX = "opendata:stats:v1"

ANSWERING_ROLES = [Assignment.Role.LEAD, Assignment.Role.SEPARATE]
ISSUED = [Response.Status.ISSUED, Response.Status.PUBLISHED]
REGISTERED_STATES = [
    Proposal.Status.REGISTERED,
    Proposal.Status.ASSIGNED,
    Proposal.Status.IN_HANDLING,
    Proposal.Status.REPLIED,
    Proposal.Status.FEEDBACK_RECEIVED,
    Proposal.Status.REHANDLING,
    Proposal.Status.CLOSED,
]
OPEN_COMMITMENT = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]


def rate(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass
class Figures:
    """Counts shared by both tables. Rates are derived, never stored."""

    key: int
    name: str
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    class_a: int = 0
    class_b: int = 0
    class_c: int = 0
    class_d: int = 0
    ratings: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    commitments: int = 0
    commitments_done: int = 0
    commitments_in_progress: int = 0
    commitments_overdue: int = 0
    commitments_dropped: int = 0

    @property
    def satisfied_rate(self):
        return rate(self.satisfied, self.ratings)

    @property
    def basically_satisfied_rate(self):
        return rate(self.basically_satisfied, self.ratings)


@dataclass
class SessionFigures(Figures):
    label: str = ""  # short, for chart axes: 2020年十二届三次
    committee_key: int | None = None
    committee: str = ""
    year: int | None = None
    opens_on: datetime.date | None = None
    received: int = 0
    registered: int = 0
    merged: int = 0
    not_registered: int = 0
    under_review: int = 0
    key_proposals: int = 0

    @property
    def registration_rate(self):
        return rate(self.registered, self.received)

    @property
    def reply_rate(self):
        return rate(self.replied, self.registered)

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.registered)


@dataclass
class DepartmentFigures(Figures):
    assigned: int = 0
    co_handling: int = 0

    @property
    def reply_rate(self):
        return rate(self.replied, self.assigned)

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.assigned)


@dataclass
class Column:
    attr: str
    header: str
    is_rate: bool = False


SHARED_COLUMNS = [
    Column("class_a", _("A类")),
    Column("class_b", _("B类")),
    Column("class_c", _("C类")),
    Column("class_d", _("D类")),
    Column("ratings", _("评价件数")),
    Column("satisfied", _("满意")),
    Column("basically_satisfied", _("基本满意")),
    Column("unsatisfied", _("不满意")),
    Column("satisfied_rate", _("满意率（%）"), True),
    Column("basically_satisfied_rate", _("基本满意率（%）"), True),
    Column("commitments", _("承诺事项")),
    Column("commitments_done", _("承诺已完成")),
    Column("commitments_in_progress", _("承诺推进中")),
    Column("commitments_overdue", _("承诺已逾期")),
]

SESSION_COLUMNS = [
    Column("received", _("收到提案")),
    Column("registered", _("立案")),
    Column("registration_rate", _("立案率（%）"), True),
    Column("merged", _("并案")),
    Column("not_registered", _("不予立案")),
    Column("under_review", _("审查中")),
    Column("replied", _("办复")),
    Column("reply_rate", _("办复率（%）"), True),
    Column("on_time", _("按期办复")),
    Column("on_time_rate", _("按期办复率（%）"), True),
    Column("overdue", _("当前逾期")),
    *SHARED_COLUMNS,
]

DEPARTMENT_COLUMNS = [
    Column("assigned", _("主办、分办件数")),
    Column("co_handling", _("会办件数")),
    Column("replied", _("办复")),
    Column("reply_rate", _("办复率（%）"), True),
    Column("on_time", _("按期办复")),
    Column("on_time_rate", _("按期办复率（%）"), True),
    Column("overdue", _("当前逾期")),
    *SHARED_COLUMNS,
]


@dataclass
class Table:
    """One table of figures: what the page shows, the export writes and the API returns."""

    name: str  # "sessions" or "departments"
    rows: list
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def columns(self):
        # Not stored: the cache pickles tables, and every request unpickles what it reads.
        return SESSION_COLUMNS if self.name == "sessions" else DEPARTMENT_COLUMNS

    def row(self, key):
        return next((row for row in self.rows if row.key == key), None)


# --- the querysets --------------------------------------------------------------------------------


def _assignments_with_first_reply():
    """Assignments on registered proposals, each LEFT JOINed to its unit's first reply (version 1) if
    issued: at most one row per assignment, whatever the data. Later versions only exist once a
    reply was issued (re-handling, correction), so version 1 says whether and when the unit replied.
    One hash join instead of a correlated subquery per row: about 3× faster at 100,000 proposals."""
    first_reply = FilteredRelation(
        "proposal__responses",
        condition=Q(
            proposal__responses__department_id=F("department_id"),
            proposal__responses__version=1,
            proposal__responses__status__in=ISSUED,
        ),
    )
    return Assignment.objects.filter(proposal__status__in=REGISTERED_STATES).annotate(first_reply=first_reply)


ANSWERING = Q(role__in=ANSWERING_ROLES, returned_on__isnull=True)
UNANSWERED = Q(first_reply__id__isnull=True)
# Late: no reply, or (a due date and) no issue date or an issue date past it. Spelled out rather than
# negating ON_TIME, which NULL issue dates would make unknown instead of true.
LATE = UNANSWERED | (
    Q(due_on__isnull=False)
    & (Q(first_reply__issued_on__isnull=True) | Q(first_reply__issued_on__gt=F("due_on")))
)
ON_TIME = Q(first_reply__id__isnull=False) & (
    Q(due_on__isnull=True) | Q(first_reply__issued_on__lte=F("due_on"))
)


def _overdue(today):
    return UNANSWERED & Q(due_on__lt=today) & ~Q(proposal__status=Proposal.Status.CLOSED)


def _current_replies():
    """Issued replies no later issued version of the same unit's reply replaces."""
    later = Response.objects.filter(
        proposal_id=OuterRef("proposal_id"),
        department_id=OuterRef("department_id"),
        version__gt=OuterRef("version"),
        status__in=ISSUED,
    )
    return Response.objects.filter(status__in=ISSUED).filter(~Exists(later))


def _latest_ratings():
    """Each proposer's latest rating of each unit's reply to a proposal."""
    later = Feedback.objects.filter(
        proposer_id=OuterRef("proposer_id"),
        response__proposal_id=OuterRef("response__proposal_id"),
        response__department_id=OuterRef("response__department_id"),
        response__version__gt=OuterRef("response__version"),
        response__status__in=ISSUED,
    )
    return Feedback.objects.filter(response__status__in=ISSUED).filter(~Exists(later))


def _class_counts():
    return {
        f"class_{code.lower()}": Count("pk", filter=Q(result_class=code)) for code in Response.ResultClass
    }


def _rating_counts():
    return {
        "ratings": Count("pk"),
        "satisfied": Count("pk", filter=Q(rating=Feedback.Rating.SATISFIED)),
        "basically_satisfied": Count("pk", filter=Q(rating=Feedback.Rating.BASICALLY_SATISFIED)),
        "unsatisfied": Count("pk", filter=Q(rating=Feedback.Rating.UNSATISFIED)),
    }


def _commitment_counts(today):
    past_due = Q(status__in=OPEN_COMMITMENT, due_on__lt=today)
    return {
        "commitments": Count("pk"),
        "commitments_done": Count("pk", filter=Q(status=Commitment.Status.DONE)),
        "commitments_in_progress": Count("pk", filter=Q(status__in=OPEN_COMMITMENT) & ~past_due),
        "commitments_overdue": Count("pk", filter=past_due),
        "commitments_dropped": Count("pk", filter=Q(status=Commitment.Status.DROPPED)),
    }


def _current_commitments():
    return Commitment.objects.filter(item__response__in=_current_replies())


def _add(target, values):
    """Add counts (a dict, or another figures row) into a figures row."""
    if not isinstance(values, dict):
        values = {
            f.name: getattr(values, f.name) for f in fields(values) if f.type is int and f.name != "key"
        }
    for name, value in values.items():
        if hasattr(target, name):
            setattr(target, name, getattr(target, name) + (value or 0))


@dataclass
class AllFigures:
    """Every table the page, the exports and the API show, computed together and cached as one."""

    sessions: Table
    departments: dict  # session id, or None for all sessions → Table

    def department_table(self, session_id=None):
        table = self.departments.get(session_id)
        if table is None:
            table = Table("departments", [], self.sessions.computed_at)
        return table


# --- the tables ------------------------------------------------------------------------------------


def compute(today=None):
    """Both tables, and the department table of each session, in eight queries whatever the data size.

    Figures shared by the two tables (classes, ratings, commitments) are counted once, grouped by
    session and department, and summed both ways here: a few thousand rows at most.
    """
    today = today or timezone.localdate()
    sessions = Session.objects.select_related("committee").order_by(
        "committee__name", "year", "term", "number", "pk"
    )
    session_rows = {
        session.pk: SessionFigures(
            key=session.pk,
            name=str(session),
            label=f"{session.year}年{session.ordinal}",
            committee_key=session.committee_id,
            committee=session.committee.name,
            year=session.year,
            opens_on=session.opens_on,
        )
        for session in sessions
    }

    registered = Q(status__in=REGISTERED_STATES)
    proposals = (
        Proposal.objects.exclude(status=Proposal.Status.DRAFT)
        .values("session_id")
        .order_by()
        .annotate(
            received=Count("pk"),
            registered=Count("pk", filter=registered),
            merged=Count("pk", filter=Q(status=Proposal.Status.MERGED)),
            not_registered=Count("pk", filter=Q(status=Proposal.Status.NOT_REGISTERED)),
            under_review=Count("pk", filter=Q(status=Proposal.Status.SUBMITTED)),
            key_proposals=Count("pk", filter=Q(is_key=True)),
        )
    )
    for values in proposals:
        _add(session_rows[values.pop("session_id")], values)

    # A proposal is replied when none of its answering units is unanswered, on time when none is late:
    # count the proposals with any answering unit, less those with an unanswered (late) one.
    answered = (
        _assignments_with_first_reply()
        .filter(ANSWERING)
        .values("proposal__session_id")
        .order_by()
        .annotate(
            answering=Count("proposal_id", distinct=True),
            unanswered=Count("proposal_id", distinct=True, filter=UNANSWERED),
            late=Count("proposal_id", distinct=True, filter=LATE),
            overdue=Count("proposal_id", distinct=True, filter=_overdue(today)),
        )
    )
    for values in answered:
        row = session_rows[values["proposal__session_id"]]
        row.replied = values["answering"] - values["unanswered"]
        row.on_time = values["answering"] - values["late"]
        row.overdue = values["overdue"]

    by_unit = {}  # (session id, department id) → counts

    def collect(grouped, session_key, unit_key, shared):
        for values in grouped:
            session_id, unit_id = values.pop(session_key), values.pop(unit_key)
            by_unit.setdefault((session_id, unit_id), {}).update(values)
            if shared:
                _add(session_rows[session_id], values)

    collect(
        _assignments_with_first_reply()
        .values("proposal__session_id", "department_id")
        .order_by()
        .annotate(
            assigned=Count("pk", filter=ANSWERING),
            co_handling=Count("pk", filter=Q(role=Assignment.Role.CO_HANDLING, returned_on__isnull=True)),
            # Unit level, so a count per assignment (the join gives one row per assignment).
            unit_replied=Count("pk", filter=ANSWERING & ~UNANSWERED),
            unit_on_time=Count("pk", filter=ANSWERING & ON_TIME),
            unit_overdue=Count("pk", filter=ANSWERING & _overdue(today)),
        ),
        "proposal__session_id",
        "department_id",
        shared=False,
    )
    collect(
        _current_replies()
        .values("proposal__session_id", "department_id")
        .order_by()
        .annotate(**_class_counts()),
        "proposal__session_id",
        "department_id",
        shared=True,
    )
    collect(
        _latest_ratings()
        .values("response__proposal__session_id", "response__department_id")
        .order_by()
        .annotate(**_rating_counts()),
        "response__proposal__session_id",
        "response__department_id",
        shared=True,
    )
    collect(
        _current_commitments()
        .annotate(unit_id=Coalesce("owner_id", "item__response__department_id"))
        .values("item__response__proposal__session_id", "unit_id")
        .order_by()
        .annotate(**_commitment_counts(today)),
        "item__response__proposal__session_id",
        "unit_id",
        shared=True,
    )

    names = dict(
        Department.objects.filter(pk__in={unit_id for _session, unit_id in by_unit}).values_list("pk", "name")
    )
    per_session = {}
    overall = {}
    for (session_id, unit_id), values in by_unit.items():
        values["replied"] = values.pop("unit_replied", 0)
        values["on_time"] = values.pop("unit_on_time", 0)
        values["overdue"] = values.pop("unit_overdue", 0)
        for key, rows in ((session_id, per_session), (None, overall)):
            table_rows = rows.setdefault(key, {})
            row = table_rows.setdefault(unit_id, DepartmentFigures(key=unit_id, name=names[unit_id]))
            _add(row, values)

    computed_at = timezone.now()

    def table(rows):
        ordered = sorted(rows.values(), key=lambda row: (row.name, row.key))
        return Table("departments", ordered, computed_at)

    departments = {key: table(rows) for key, rows in (*per_session.items(), *overall.items())}
    return AllFigures(
        sessions=Table("sessions", list(session_rows.values()), computed_at),
        departments=departments,
    )


# --- cached access ---------------------------------------------------------------------------------


def _tables(session_id):
    """The session table and one department table, computed at most CACHE_SECONDS ago.

    All tables are computed together and stored together, one cache entry per table, so a request
    unpickles only the two it shows. Keyed by the day too: what is overdue changes at midnight.
    """
    base = f"{CACHE_PREFIX}:{timezone.localdate()}"
    keys = [f"{base}:sessions", f"{base}:departments:{session_id or 'all'}"]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        figures = compute()
        entries = {keys[0]: figures.sessions}
        for row in figures.sessions.rows:  # every session, even one with nothing to count
            entries[f"{base}:departments:{row.key}"] = figures.department_table(row.key)
        entries[f"{base}:departments:all"] = figures.department_table(None)
        cache.set_many(entries, timeout=CACHE_SECONDS)
        found = {key: entries.get(key) or figures.department_table(session_id) for key in keys}
    return found[keys[0]], found[keys[1]]


def session_table():
    return _tables(None)[0]


def department_table(session_id=None):
    return _tables(session_id)[1]


def totals(table):
    """The session table's 合计 row: every count summed, rates recomputed from the sums."""
    total = SessionFigures(key=0, name=str(_("合计")), label=str(_("合计")))
    for f in fields(SessionFigures):
        if f.type is int and f.name != "key":
            setattr(total, f.name, sum(getattr(row, f.name) for row in table.rows))
    return total
