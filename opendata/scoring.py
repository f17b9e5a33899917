"""Unit scoring (考评) for the office: each handling unit's score for one session, with its parts.

Five parts, each a share between 0 and 1 of the unit's cases in the session (proposals registered or
later, as the statistics count them):

- on_time (按期答复): of its answering assignments (主办, 分办; standing) that have replied or are past
  due, those whose first issued reply (version 1) came by the due date — the due date as extended
  (an extension moves `Assignment.due_on`), the statistics' ON_TIME rule. An assignment not yet due
  and not yet answered is not a case yet.
- satisfaction (满意度): each proposer's latest rating of the unit's reply (the statistics' rule),
  满意 1, 基本满意 0.5, 不满意 0.
- promises (承诺落实): of the commitments of its current replies (or owned by it) that are due by today
  or already settled (done or dropped), those done.
- opinions (会办意见按期): of its standing co-handling assignments whose opinion was sent or is past
  due, those whose first opinion was sent by the due date.
- returns (交办准确): 1 − the share of its assignments it returned (退回), whatever the office then
  decided: a return costs the proposer time either way.

The total is the weighted mean of the parts that have cases, on 0–100: a part with no case shows "—"
and its weight is spread over the others in proportion (the weights, `TRACKER_SCORE_WEIGHTS`, are
percentages summing to 100, checked at startup by opendata.checks).

It lives in opendata, beside the statistics, because it reuses their counting rules (on time, latest
ratings); every part is one grouped query, so a table costs six queries whatever the number of units.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Assignment, Department
from responses.models import CoHandlingOpinion, Commitment, Feedback

from .stats import (
    ANSWERING,
    ON_TIME,
    REGISTERED_STATES,
    STANDING,
    _assignments_with_first_reply,
    _latest_ratings,
)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    explanation: str


PARTS = [
    Part(
        "on_time",
        _("按期答复"),
        _(
            "主办、分办的交办中，已答复或已过期限的为应计件数；首次签发答复的日期不晚于办理期限"
            "（含批准的延期）的为达成。尚未到期又未答复的不计。"
        ),
    ),
    Part(
        "satisfaction",
        _("满意度"),
        _("每位提案者对本单位答复的最新评价：满意计1，基本满意计0.5，不满意计0，取平均。"),
    ),
    Part(
        "promises",
        _("承诺落实"),
        _(
            "本单位现行答复中（或由本单位负责）的承诺，已到完成期限或已完成、已放弃的为应计件数；已完成的为达成。"
        ),
    ),
    Part(
        "opinions",
        _("会办意见按期"),
        _("会办的交办中，已送会办意见或已过期限的为应计件数；首份会办意见送达不晚于期限的为达成。"),
    ),
    Part(
        "returns",
        _("交办准确"),
        _("1减去本单位退回的交办所占比例，不论办公厅改办还是维持交办。"),
    ),
]
PART_KEYS = [part.key for part in PARTS]


@dataclass
class Measure:
    """One part of a unit's score: `achieved` (may be fractional: 基本满意 counts half) of `cases`."""

    achieved: float = 0
    cases: int = 0

    @property
    def value(self):
        """The share between 0 and 1, or None when the unit had no case."""
        return self.achieved / self.cases if self.cases else None


@dataclass
class ScoreRow:
    department_id: int
    name: str
    measures: dict = field(default_factory=lambda: {key: Measure() for key in PART_KEYS})
    total: float | None = None
    rank: int | None = None

    def parts(self):
        """[(Part, Measure)] in the table's order, for templates and exports."""
        return [(part, self.measures[part.key]) for part in PARTS]


def weights():
    return {key: settings.TRACKER_SCORE_WEIGHTS[key] for key in PART_KEYS}


def total(measures, weights):
    """The weighted mean of the parts with cases, 0–100 with one decimal; None if none has a case (or
    only parts weighing nothing have)."""
    present = {key: m.value for key, m in measures.items() if m.value is not None}
    weight = sum(weights[key] for key in present)
    if not weight:
        return None
    return round(100 * sum(weights[key] * value for key, value in present.items()) / weight, 1)


def _on_time(session_id, today):
    decided = Q(first_reply__id__isnull=False) | Q(due_on__lt=today)
    return (
        _assignments_with_first_reply([session_id])
        .filter(ANSWERING & decided)
        .values("department_id")
        .order_by()
        .annotate(cases=Count("pk"), achieved=Count("pk", filter=ON_TIME))
    )


def _satisfaction(session_id):
    return (
        _latest_ratings([session_id])
        .values(department_id=F("response__department_id"))
        .order_by()
        .annotate(
            cases=Count("pk"),
            satisfied=Count("pk", filter=Q(rating=Feedback.Rating.SATISFIED)),
            basically=Count("pk", filter=Q(rating=Feedback.Rating.BASICALLY_SATISFIED)),
        )
    )


def _promises(session_id, today):
    settled = Q(status=Commitment.Status.DONE) | Q(status=Commitment.Status.DROPPED) | Q(due_on__lte=today)
    return (
        Commitment.objects.current()
        .filter(settled, item__response__proposal__session_id=session_id)
        .annotate(unit_id=Coalesce("owner_id", "item__response__department_id"))
        .values("unit_id")
        .order_by()
        .annotate(cases=Count("pk"), achieved=Count("pk", filter=Q(status=Commitment.Status.DONE)))
    )


def _opinions(session_id, today):
    first_sent = CoHandlingOpinion.objects.filter(
        assignment_id=OuterRef("pk"), status=CoHandlingOpinion.Status.SUBMITTED
    ).order_by("submitted_on")
    return (
        Assignment.objects.filter(
            STANDING,
            role=Assignment.Role.CO_HANDLING,
            proposal__session_id=session_id,
            proposal__status__in=REGISTERED_STATES,
        )
        .annotate(sent_on=Subquery(first_sent.values("submitted_on")[:1]))
        .filter(Q(sent_on__isnull=False) | Q(due_on__lt=today))
        .values("department_id")
        .order_by()
        .annotate(
            cases=Count("pk"),
            achieved=Count(
                "pk", filter=Q(sent_on__isnull=False) & (Q(due_on__isnull=True) | Q(sent_on__lte=F("due_on")))
            ),
        )
    )


def _returns(session_id):
    return (
        Assignment.objects.filter(proposal__session_id=session_id, proposal__status__in=REGISTERED_STATES)
        .values("department_id")
        .order_by()
        .annotate(cases=Count("pk"), returned=Count("pk", filter=Q(returned_on__isnull=False)))
    )


def score_table(session, today=None, weights_=None):
    """The session's score rows, best first (rank shared on equal totals; units without any case
    last, by name). Six queries whatever the number of units."""
    today = today or timezone.localdate()
    weights_ = weights_ or weights()
    rows = {}

    def measure(department_id, key):
        row = rows.setdefault(department_id, ScoreRow(department_id, ""))
        return row.measures[key]

    for values in _on_time(session.pk, today):
        m = measure(values["department_id"], "on_time")
        m.achieved, m.cases = values["achieved"], values["cases"]
    for values in _satisfaction(session.pk):
        m = measure(values["department_id"], "satisfaction")
        m.achieved, m.cases = values["satisfied"] + values["basically"] / 2, values["cases"]
    for values in _promises(session.pk, today):
        m = measure(values["unit_id"], "promises")
        m.achieved, m.cases = values["achieved"], values["cases"]
    for values in _opinions(session.pk, today):
        m = measure(values["department_id"], "opinions")
        m.achieved, m.cases = values["achieved"], values["cases"]
    for values in _returns(session.pk):
        m = measure(values["department_id"], "returns")
        m.achieved, m.cases = values["cases"] - values["returned"], values["cases"]

    names = dict(Department.objects.filter(pk__in=rows).values_list("pk", "name"))
    for row in rows.values():
        row.name = names[row.department_id]
        row.total = total(row.measures, weights_)
    ordered = sorted(rows.values(), key=lambda row: (row.total is None, -(row.total or 0), row.name))
    for position, row in enumerate(ordered, 1):
        if row.total is not None:
            previous = ordered[position - 2] if position > 1 else None
            row.rank = previous.rank if previous and previous.total == row.total else position
    return ordered


def export_rows(rows):
    """Headers and rows for the Excel download: rank, unit, each part's share and its count, total."""
    headers = [_("名次"), _("承办单位")]
    for part in PARTS:
        headers += [
            _("%(part)s（0–1）") % {"part": part.label},
            _("%(part)s（达成/应计）") % {"part": part.label},
        ]
    headers.append(_("总分（0–100）"))
    lines = []
    for row in rows:
        line = [row.rank, row.name]
        for _part, m in row.parts():
            line += [None if m.value is None else round(m.value, 3), f"{_count(m.achieved)}/{m.cases}"]
        line.append(row.total)
        lines.append(line)
    return [str(header) for header in headers], lines


def _count(achieved):
    return int(achieved) if float(achieved).is_integer() else achieved
