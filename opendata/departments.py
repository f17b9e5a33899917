"""The public department pages: each handling unit's figures, its assignments and their exports.

Figures come from the statistics (opendata.stats), so a department's rates are the ones /stats/
gives it; open commitments are those of public replies, the ones the tracker lists.
"""

import django_filters
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.filters import (
    CheckFilter,
    PublicFilterSet,
    SessionNames,
    labels,
    public_assignments,
    sort_filter,
)
from proposals.models import Assignment
from responses.filters import first_reply_on
from responses.models import Commitment
from responses.overdue import overdue_assignments

from . import stats

FIGURES = (
    "assignment_count",
    "answering_count",
    "on_time_count",
    "feedback_count",
    "satisfied_count",
    "basically_count",
    "open_commitments",
    "overdue_commitments",
)


def department_figures(department=None, today=None):
    """{department id: {figure: value}} for every department, or for `department` alone.

    Assignments, on-time replies and ratings are the statistics' own (opendata.stats, read from its
    per-session snapshots), so a department's 按期办复率 and 满意率 are the numbers /stats/ gives it:
    aggregate counts over every registered proposal, published or not, as the office reports them.
    Open commitments are those of public replies, the ones the tracker lists and links to: one
    grouped query.
    """
    today = today or timezone.localdate()
    table = stats.current(today).department_table()
    figures = {}
    for row in table.rows:
        if department is not None and row.key != department.pk:
            continue
        figures[row.key] = {
            "assignment_count": row.assigned + row.co_handling,
            "answering_count": row.assigned,
            "on_time_count": row.on_time,
            "on_time_rate": row.on_time_rate,
            "feedback_count": row.ratings,
            "satisfied_count": row.satisfied,
            "basically_count": row.basically_satisfied,
            "satisfied_rate": row.satisfied_rate,
            "basically_rate": row.basically_satisfied_rate,
        }
    commitments = Commitment.objects.public().open()
    if department is not None:
        commitments = commitments.filter(owner=department)
    grouped = (
        commitments.values(department_id=F("owner_id"))
        .annotate(open_commitments=Count("pk"), overdue_commitments=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    for row in grouped:
        figures.setdefault(row.pop("department_id"), {}).update(row)
    return figures


def with_figures(department, figures):
    """Sets FIGURES and the rates on_time_rate, satisfied_rate, basically_rate (percent, or None
    without data) on `department`, from department_figures()."""
    mine = figures.get(department.pk, {})
    for name in (*FIGURES, "on_time_rate", "satisfied_rate", "basically_rate"):
        setattr(department, name, mine.get(name, None if name.endswith("_rate") else 0))
    return department


DEPARTMENT_EXPORT_HEADERS = [
    _("承办单位"),
    _("承办件数"),
    _("主办、分办件数"),
    _("按期办复"),
    _("按期办复率（%）"),
    _("评价件数"),
    _("满意率（%）"),
    _("基本满意率（%）"),
    _("公开答复中未完成的承诺"),
    _("其中逾期"),
]


def department_export_row(department):
    return [
        department.name,
        department.assignment_count,
        department.answering_count,
        department.on_time_count,
        department.on_time_rate,
        department.feedback_count,
        department.satisfied_rate,
        department.basically_rate,
        department.open_commitments,
        department.overdue_commitments,
    ]


class DepartmentAssignmentFilter(PublicFilterSet):
    session = django_filters.ChoiceFilter(
        label=_("会议"), field_name="proposal__session_id", empty_label=_("全部会议")
    )
    role = django_filters.ChoiceFilter(
        label=_("办理方式"), choices=Assignment.Role.choices, empty_label=_("全部方式")
    )
    overdue = CheckFilter(label=_("仅看逾期未复"), method="filter_overdue")
    sort = sort_filter(
        [
            ("due", _("办理期限（从早到晚）")),
            ("-due", _("办理期限（从晚到早）")),
            ("number", _("编号（从小到大）")),
            ("-number", _("编号（从大到小）")),
        ]
    )

    session_filters = ("session",)
    SORTS = {
        "due": (F("due_on").asc(nulls_last=True), "pk"),
        "-due": (F("due_on").desc(nulls_last=True), "-pk"),
        "number": ("proposal__number", "pk"),
        "-number": ("-proposal__number", "-pk"),
    }
    DEFAULT_ORDER = ("-proposal__session__year", F("due_on").desc(nulls_last=True), "-pk")

    class Meta:
        model = Assignment
        fields = []

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=overdue_assignments().values("pk"))


def department_assignments(department):
    """The department page's table: its public assignments with proposal, session and reply date."""
    return (
        public_assignments()
        .filter(department=department)
        .select_related("proposal__session__committee")
        .only(
            "role",
            "due_on",
            "assigned_on",
            "returned_on",
            "department_id",
            "proposal__number",
            "proposal__title",
            "proposal__status",
            "proposal__session__year",
            "proposal__session__term",
            "proposal__session__number",
            "proposal__session__committee__short_name",
        )
        .annotate(replied_on=first_reply_on())
    )


def assignment_state(assignment, today=None):
    """What a reader should know about an assignment, in a few characters."""
    today = today or timezone.localdate()
    if assignment.role == Assignment.Role.CO_HANDLING:
        return _("会办")
    if assignment.replied_on:
        if assignment.due_on and assignment.replied_on > assignment.due_on:
            return _("已答复（逾期）")
        return _("已答复")
    if assignment.due_on and assignment.due_on < today:
        return _("逾期未复")
    return _("办理中")


ASSIGNMENT_EXPORT_HEADERS = [
    _("编号"),
    _("案由"),
    _("会议"),
    _("办理方式"),
    _("交办日期"),
    _("办理期限"),
    _("答复日期"),
    _("办理情况"),
]


def assignment_export_rows(assignments, chunk_size):
    roles, sessions, today = labels(Assignment.Role.choices), SessionNames(), timezone.localdate()
    for assignment in assignments.iterator(chunk_size=chunk_size):
        yield [
            assignment.proposal.number,
            assignment.proposal.title,
            sessions.of(assignment.proposal.session),
            roles.get(assignment.role, assignment.role),
            assignment.assigned_on,
            assignment.due_on,
            assignment.replied_on,
            str(assignment_state(assignment, today)),
        ]
