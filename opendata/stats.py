"""The figures committee offices report, per session and per department, as queryset aggregates.

Counting rules (DOMAIN.md, "Figures the offices report"), decided once here for the page, the exports
and the API alike:

- received (收到): every proposal past the draft stage, published or not. These are aggregate counts
  offices publish in their annual report; no unpublished proposal's content is ever shown.
- received = registered (立案) + merged (并案) + not registered (不予立案) + referred (转意见: sent to a
  unit as an opinion) + under review (审查中, which includes those returned to the member for changes
  and not yet resubmitted). 曾退回修改 counts the proposals returned for changes at least once,
  whatever became of them.
  Registered means registered or any later state; merged proposals are handled as part of the proposal
  they were merged into, so they are not counted again. 立案率 = registered / received.
- A unit answers when it is the lead (主办) or a separate unit (分办) and its assignment stands: not
  returned, or returned and kept by the office (维持交办, AssignmentQuerySet.active()). Co-handling
  units (会办) write opinions to the lead and are counted apart.
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
- 逐条答复: a proposal has numbered suggestions when it holds at least one Suggestion row (written
  by the member, split from the numbered body when the office logged or imported it, or entered by
  the office); it is answered point by point when every one of them is linked to an item of a current
  issued reply of the proposal (ResponseItem.answers). 逐条答复率 = answered point by point / with
  numbered suggestions. Counted among received proposals, in the proposals query.
- Commitments come from current issued replies; their unit is the named owner, else the replying unit.
  In progress = planned or in progress and not past due; overdue = open and past due.
- 回头看 figures count each round's answers under the unit asked: commitments asked about, and of them
  reported kept, moved to a new date, or dropped (a commitment asked about in two rounds counts twice).

Every figure belongs to one session, and the department tables are sums of per-session rows, so the
figures are kept per session (opendata.models.SessionStatistics): a read loads every session with its
snapshot in one query and assembles the tables from them. Sessions whose snapshot is missing, cleared
by a write (opendata.signals) or past its `valid_until` are recounted first, all together, in eight
grouped queries (conditional `Count(..., filter=Q(...))`, joins rather than per-row subqueries) whatever
their number and the data size. Only the "overdue now" figures depend on the day: a snapshot stays
valid until the first day one of them would move without a write.
"""

import datetime
import hashlib
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, F, FilteredRelation, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Assignment, Department, Proposal, Session, Suggestion
from responses.models import Commitment, Feedback, FollowUpAnswer, Response, ResponseItem

from .models import SessionStatistics

ISSUED = Response.Status.issued()
REGISTERED_STATES = [
    Proposal.Status.REGISTERED,
    Proposal.Status.ASSIGNED,
    Proposal.Status.IN_HANDLING,
    Proposal.Status.REPLIED,
    Proposal.Status.FEEDBACK_RECEIVED,
    Proposal.Status.REHANDLING,
    Proposal.Status.CLOSED,
]


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
    followup_asked: int = 0
    followup_kept: int = 0
    followup_moved: int = 0
    followup_dropped: int = 0

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
    referred: int = 0
    under_review: int = 0
    returned_once: int = 0
    key_proposals: int = 0
    with_suggestions: int = 0
    point_by_point: int = 0

    @property
    def registration_rate(self):
        return rate(self.registered, self.received)

    @property
    def point_by_point_rate(self):
        return rate(self.point_by_point, self.with_suggestions)

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
    # Named apart from the commitments tracker, which lists public replies' commitments only and uses
    # 推进中 for one status: these count every current issued reply, and "not yet due" is two statuses.
    Column("commitments", _("承诺事项（已签发答复）")),
    Column("commitments_done", _("承诺已完成")),
    Column("commitments_in_progress", _("承诺未完成、未到期")),
    Column("commitments_overdue", _("承诺逾期未完成")),
    Column("followup_asked", _("回头看承诺")),
    Column("followup_kept", _("回头看已落实")),
    Column("followup_moved", _("回头看调整期限")),
    Column("followup_dropped", _("回头看无法落实")),
]

SESSION_COLUMNS = [
    Column("received", _("收到提案")),
    Column("registered", _("立案")),
    Column("registration_rate", _("立案率（%）"), True),
    Column("merged", _("并案")),
    Column("not_registered", _("不予立案")),
    Column("referred", _("转意见")),
    Column("under_review", _("审查中")),
    Column("returned_once", _("曾退回修改")),
    Column("replied", _("办复")),
    Column("reply_rate", _("办复率（%）"), True),
    Column("on_time", _("按期办复")),
    Column("on_time_rate", _("按期办复率（%）"), True),
    Column("overdue", _("当前逾期")),
    Column("with_suggestions", _("有编号建议的提案")),
    Column("point_by_point", _("逐条答复")),
    Column("point_by_point_rate", _("逐条答复率（%）"), True),
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
    # Names the snapshots the table was assembled from: equal versions, equal figures.
    version: str = ""

    @property
    def columns(self):
        return SESSION_COLUMNS if self.name == "sessions" else DEPARTMENT_COLUMNS

    def row(self, key):
        return next((row for row in self.rows if row.key == key), None)


def _count_names(figures_class):
    return [f.name for f in fields(figures_class) if f.type is int and f.name != "key"]


SESSION_COUNTS = _count_names(SessionFigures)
DEPARTMENT_COUNTS = _count_names(DepartmentFigures)


# --- the querysets --------------------------------------------------------------------------------


def _in_sessions(path, session_ids):
    """Limits a queryset to some sessions through `path`; None means every session (no filter)."""
    return Q() if session_ids is None else Q(**{f"{path}__in": session_ids})


def _assignments_with_first_reply(session_ids):
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
    return (
        Assignment.objects.filter(proposal__status__in=REGISTERED_STATES)
        .filter(_in_sessions("proposal__session_id", session_ids))
        .annotate(first_reply=first_reply)
    )


STANDING = Assignment.standing()
ANSWERING = Q(role__in=Assignment.Role.answering()) & STANDING
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
NOT_CLOSED = ~Q(proposal__status=Proposal.Status.CLOSED)


def _overdue(today):
    return UNANSWERED & Q(due_on__lt=today) & NOT_CLOSED


def _overdue_later(today):
    """Waiting assignments that become overdue on a later day (the day after their due date)."""
    return UNANSWERED & Q(due_on__gte=today) & NOT_CLOSED


def _point_by_point():
    """Conditions on a proposal: it has numbered suggestions; one of them is answered by no item of a
    current issued reply."""
    answered = ResponseItem.answers.through.objects.filter(
        suggestion_id=OuterRef("pk"), responseitem__response__in=Response.objects.current().values("pk")
    )
    has_suggestions = Exists(Suggestion.objects.filter(proposal_id=OuterRef("pk")))
    unanswered = Exists(Suggestion.objects.filter(proposal_id=OuterRef("pk")).exclude(Exists(answered)))
    return Q(has_suggestions), Q(has_suggestions) & ~Q(unanswered)


def _current_replies(session_ids):
    """Current replies (Response.objects.current()) of the sessions."""
    return Response.objects.current().filter(_in_sessions("proposal__session_id", session_ids))


def _latest_ratings(session_ids):
    """Each proposer's latest rating of each unit's reply to a proposal."""
    later = Feedback.objects.filter(
        proposer_id=OuterRef("proposer_id"),
        response__proposal_id=OuterRef("response__proposal_id"),
        response__department_id=OuterRef("response__department_id"),
        response__version__gt=OuterRef("response__version"),
        response__status__in=ISSUED,
    )
    return (
        Feedback.objects.filter(response__status__in=ISSUED)
        .filter(_in_sessions("response__proposal__session_id", session_ids))
        .filter(~Exists(later))
    )


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
    past_due = Q(status__in=Commitment.Status.open(), due_on__lt=today)
    return {
        "commitments": Count("pk"),
        "commitments_done": Count("pk", filter=Q(status=Commitment.Status.DONE)),
        "commitments_in_progress": Count("pk", filter=Q(status__in=Commitment.Status.open()) & ~past_due),
        "commitments_overdue": Count("pk", filter=past_due),
        "commitments_dropped": Count("pk", filter=Q(status=Commitment.Status.DROPPED)),
        # An open commitment due today or later turns overdue the day after: the snapshot's end.
        "next_due": Min("due_on", filter=Q(status__in=Commitment.Status.open(), due_on__gte=today)),
    }


def _current_commitments(session_ids):
    """Current commitments (Commitment.objects.current()) of the sessions."""
    return Commitment.objects.current().filter(
        _in_sessions("item__response__proposal__session_id", session_ids)
    )


def _followup_counts():
    return {
        "followup_asked": Count("pk"),
        "followup_kept": Count("pk", filter=Q(outcome=FollowUpAnswer.Outcome.KEPT)),
        "followup_moved": Count("pk", filter=Q(outcome=FollowUpAnswer.Outcome.MOVED)),
        "followup_dropped": Count("pk", filter=Q(outcome=FollowUpAnswer.Outcome.DROPPED)),
    }


def _add(target, values):
    """Add counts (a dict) into a figures row."""
    for name, value in values.items():
        if hasattr(target, name):
            setattr(target, name, getattr(target, name) + (value or 0))


# --- counting sessions -----------------------------------------------------------------------------


def compute_sessions(session_ids=None, today=None):
    """Count the given sessions afresh, or every session (None): {session id: unsaved
    SessionStatistics}, with an entry for each given session, even one with nothing to count (None:
    for each session with anything to count). Eight grouped queries whatever the number of sessions
    and the data size.

    Figures shared by the two tables (classes, ratings, commitments) are counted once, grouped by
    session and department, and summed into the session's row here: a few thousand rows at most.
    """
    today = today or timezone.localdate()
    computed_at = timezone.now()
    sessions = {}  # session id → counts of its row in the session table
    by_unit = {}  # (session id, department id) → counts of its row in the department table
    next_due = {}  # session id → the earliest due date still ahead among what can turn overdue

    def session_counts(session_id):
        return sessions.setdefault(session_id, dict.fromkeys(SESSION_COUNTS, 0))

    def ahead(session_id, due_on):
        if due_on is not None:
            next_due[session_id] = min(due_on, next_due.get(session_id, due_on))

    registered = Q(status__in=REGISTERED_STATES)
    with_suggestions, point_by_point = _point_by_point()
    proposals = (
        Proposal.objects.filed()
        .filter(_in_sessions("session_id", session_ids))
        .values("session_id")
        .order_by()
        .annotate(
            received=Count("pk"),
            registered=Count("pk", filter=registered),
            merged=Count("pk", filter=Q(status=Proposal.Status.MERGED)),
            not_registered=Count("pk", filter=Q(status=Proposal.Status.NOT_REGISTERED)),
            referred=Count("pk", filter=Q(status=Proposal.Status.REFERRED)),
            under_review=Count(
                "pk", filter=Q(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.RETURNED])
            ),
            returned_once=Count("pk", filter=Q(times_returned__gt=0)),
            key_proposals=Count("pk", filter=Q(is_key=True)),
            with_suggestions=Count("pk", filter=with_suggestions),
            point_by_point=Count("pk", filter=point_by_point),
        )
    )
    for values in proposals:
        session_counts(values.pop("session_id")).update(values)

    # A proposal is replied when none of its answering units is unanswered, on time when none is late:
    # count the proposals with any answering unit, less those with an unanswered (late) one.
    answered = (
        _assignments_with_first_reply(session_ids)
        .filter(ANSWERING)
        .values("proposal__session_id")
        .order_by()
        .annotate(
            answering=Count("proposal_id", distinct=True),
            unanswered=Count("proposal_id", distinct=True, filter=UNANSWERED),
            late=Count("proposal_id", distinct=True, filter=LATE),
            overdue=Count("proposal_id", distinct=True, filter=_overdue(today)),
            next_due=Min("due_on", filter=_overdue_later(today)),
        )
    )
    for values in answered:
        session_id = values["proposal__session_id"]
        counts = session_counts(session_id)
        counts["replied"] = values["answering"] - values["unanswered"]
        counts["on_time"] = values["answering"] - values["late"]
        counts["overdue"] = values["overdue"]
        ahead(session_id, values["next_due"])

    def collect(grouped, session_key, unit_key, shared):
        for values in grouped:
            session_id, unit_id = values.pop(session_key), values.pop(unit_key)
            ahead(session_id, values.pop("next_due", None))
            by_unit.setdefault((session_id, unit_id), {}).update(values)
            if shared:
                counts = session_counts(session_id)
                for name, value in values.items():
                    counts[name] += value

    collect(
        _assignments_with_first_reply(session_ids)
        .values("proposal__session_id", "department_id")
        .order_by()
        .annotate(
            assigned=Count("pk", filter=ANSWERING),
            co_handling=Count("pk", filter=Q(role=Assignment.Role.CO_HANDLING) & STANDING),
            # Unit level, so a count per assignment (the join gives one row per assignment).
            replied=Count("pk", filter=ANSWERING & ~UNANSWERED),
            on_time=Count("pk", filter=ANSWERING & ON_TIME),
            overdue=Count("pk", filter=ANSWERING & _overdue(today)),
        ),
        "proposal__session_id",
        "department_id",
        shared=False,
    )
    collect(
        _current_replies(session_ids)
        .values("proposal__session_id", "department_id")
        .order_by()
        .annotate(**_class_counts()),
        "proposal__session_id",
        "department_id",
        shared=True,
    )
    collect(
        _latest_ratings(session_ids)
        .values("response__proposal__session_id", "response__department_id")
        .order_by()
        .annotate(**_rating_counts()),
        "response__proposal__session_id",
        "response__department_id",
        shared=True,
    )
    collect(
        _current_commitments(session_ids)
        .annotate(unit_id=Coalesce("owner_id", "item__response__department_id"))
        .values("item__response__proposal__session_id", "unit_id")
        .order_by()
        .annotate(**_commitment_counts(today)),
        "item__response__proposal__session_id",
        "unit_id",
        shared=True,
    )
    collect(
        FollowUpAnswer.objects.filter(_in_sessions("task__round__session_id", session_ids))
        .values("task__round__session_id", "task__department_id")
        .order_by()
        .annotate(**_followup_counts()),
        "task__round__session_id",
        "task__department_id",
        shared=True,
    )

    names = dict(
        Department.objects.filter(pk__in={unit_id for _session, unit_id in by_unit}).values_list("pk", "name")
    )
    departments = {}  # session id → its department rows
    for (session_id, unit_id), values in by_unit.items():
        row = {"key": unit_id, "name": names[unit_id], **dict.fromkeys(DEPARTMENT_COUNTS, 0), **values}
        departments.setdefault(session_id, []).append(row)
        session_counts(session_id)

    snapshots = {}
    for session_id in sessions.keys() | set(session_ids or ()):
        rows = sorted(departments.get(session_id, []), key=lambda row: (row["name"], row["key"]))
        due_on = next_due.get(session_id)
        snapshots[session_id] = SessionStatistics(
            session_id=session_id,
            figures={"session": sessions.get(session_id, {}), "departments": rows},
            computed_at=computed_at,
            valid_until=due_on + datetime.timedelta(days=1) if due_on else None,
        )
    return snapshots


# --- the tables ------------------------------------------------------------------------------------


SESSION_ORDER = ["committee__name", "year", "term", "number", "pk"]


class AllFigures:
    """Every table the page, the exports and the API show, assembled from one snapshot per session.

    The session table is built at once; each department table (all sessions, or one) when first asked
    for. Every table carries the same `computed_at` (the latest count among the snapshots) and
    `version` (changes whenever any snapshot does).
    """

    def __init__(self, sessions, snapshots, refreshed=()):
        self.snapshots = snapshots  # session id → SessionStatistics
        self.refreshed = list(refreshed)  # ids of the sessions recounted for this read
        stamps = sorted((pk, snapshot.computed_at.isoformat()) for pk, snapshot in snapshots.items())
        self.computed_at = max((snapshot.computed_at for snapshot in snapshots.values()), default=None)
        self.computed_at = self.computed_at or timezone.now()
        self.version = hashlib.sha256(repr(stamps).encode()).hexdigest()[:20]
        rows = []
        for session in sessions:
            row = SessionFigures(
                key=session.pk,
                name=str(session),
                label=f"{session.year}年{session.ordinal}",
                committee_key=session.committee_id,
                committee=session.committee.name,
                year=session.year,
                opens_on=session.opens_on,
            )
            if session.pk in snapshots:
                _add(row, snapshots[session.pk].figures["session"])
            rows.append(row)
        self.sessions = self._table("sessions", rows)
        self._departments = {}

    def _table(self, name, rows):
        return Table(name, rows, self.computed_at, self.version)

    def department_table(self, session_id=None):
        """The department table of one session, or summed over every session (None)."""
        if session_id not in self._departments:
            chosen = self.snapshots.values() if session_id is None else [self.snapshots.get(session_id)]
            rows = {}
            for snapshot in filter(None, chosen):
                for values in snapshot.figures["departments"]:
                    key = values["key"]
                    row = rows.setdefault(key, DepartmentFigures(key=key, name=values["name"]))
                    _add(row, {name: values.get(name, 0) for name in DEPARTMENT_COUNTS})
            ordered = sorted(rows.values(), key=lambda row: (row.name, row.key))
            self._departments[session_id] = self._table("departments", ordered)
        return self._departments[session_id]


def compute(today=None):
    """Every table counted afresh from the data, stored snapshots aside: eight queries (the sessions,
    then compute_sessions)."""
    sessions = list(Session.objects.select_related("committee").order_by(*SESSION_ORDER))
    return AllFigures(sessions, compute_sessions(None, today))


def refresh(session_ids, today=None, *, stored=()):
    """Recount the given sessions, store their snapshots (see store) and return them by session id.

    `stored`: ids known to have a snapshot row. The others get an empty one before counting starts:
    an invalidation can only mark a row that exists.
    """
    new_rows = [SessionStatistics(session_id=pk) for pk in session_ids if pk not in stored]
    if new_rows:
        SessionStatistics.objects.bulk_create(new_rows, ignore_conflicts=True)
    snapshots = compute_sessions(session_ids, today)
    store(snapshots.values())
    return snapshots


def store(snapshots):
    """Store counted snapshots over their rows, in one UPDATE, except where that would lose a write.

    A snapshot counts what the database held at its `computed_at`. A row invalidated after that moment
    (a write committed while counting) stays cleared, rather than taking figures that may miss the
    write: the next read counts again. A row holding a later count keeps it. So concurrent readers
    may count the same session and both store, without an error and without going back in time.
    """
    snapshots = list(snapshots)
    if not snapshots:
        return
    computed_at = min(snapshot.computed_at for snapshot in snapshots)
    not_since = Q(invalidated_at__isnull=True) | Q(invalidated_at__lt=computed_at)
    not_later = Q(computed_at__isnull=True) | Q(computed_at__lt=computed_at)
    # bulk_update updates within this queryset's filter: a row outside it keeps what it holds.
    SessionStatistics.objects.filter(not_since, not_later).bulk_update(
        snapshots, ["figures", "computed_at", "valid_until"]
    )


def current(today=None):
    """Every table as the data stands now. One query when every snapshot is current; otherwise the
    outdated sessions are first recounted together and stored (refresh): one more query to create
    missing rows, compute_sessions' eight and one to store them.

    Run outside a transaction: a snapshot row created inside one is invisible to the invalidations
    of concurrent writes until it commits.
    """
    global _invalidated_since_read
    _invalidated_since_read = False  # whatever is outdated is recounted here
    today = today or timezone.localdate()
    sessions = list(Session.objects.select_related("committee", "statistics").order_by(*SESSION_ORDER))
    # A missing reverse one-to-one raises an AttributeError subclass: getattr gives None.
    snapshots = {session.pk: getattr(session, "statistics", None) for session in sessions}
    snapshots = {pk: snapshot for pk, snapshot in snapshots.items() if snapshot is not None}
    outdated = [session.pk for session in sessions if not _is_current(snapshots.get(session.pk), today)]
    if outdated:
        snapshots.update(refresh(outdated, today, stored=set(snapshots)))
    return AllFigures(sessions, snapshots, refreshed=outdated)


def _is_current(snapshot, today):
    return snapshot is not None and snapshot.is_current(today)


# Set when this process clears snapshots, unset by the next read (which recounts them).
_invalidated_since_read = False


def invalidate(session_ids=None):
    """Clear the snapshots of the given sessions (ids, or a queryset of ids), or of every session
    (None): their next read recounts them. Signals call it after each committed write; bulk writers
    (bulk_create, QuerySet.update send no signals) call it once they are done."""
    global _invalidated_since_read
    snapshots = SessionStatistics.objects.all()
    if session_ids is not None:
        snapshots = snapshots.filter(session_id__in=session_ids)
    snapshots.update(figures=None, invalidated_at=timezone.now())
    _invalidated_since_read = True


def recount_after_request(**kwargs):
    """After a request that cleared snapshots (an office or department write) has been answered,
    recount them in the same process: the writer's page is not delayed, and the next visitor of the
    statistics finds them current instead of waiting for the recount of a large session (0.4 s at
    100,000 proposals). Connected to request_finished, which runs once the response is sent."""
    if _invalidated_since_read:
        current()


def session_table():
    return current().sessions


def department_table(session_id=None):
    return current().department_table(session_id)


def totals(table):
    """The session table's 合计 row: every count summed, rates recomputed from the sums."""
    total = SessionFigures(key=0, name=str(_("合计")), label=str(_("合计")))
    for name in SESSION_COUNTS:
        setattr(total, name, sum(getattr(row, name) for row in table.rows))
    return total
