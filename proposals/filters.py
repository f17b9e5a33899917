"""Filters for the public lists, and the figures shown for each department.

Public data only: published proposals, replies that are published and disclosed proactively, and
commitments made in those replies. Every FilterSet here builds its choice lists in two queries at
most (sessions, departments), whatever the number of filters that use them.
"""

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendata import stats
from responses.models import Commitment, Response
from search.api import filter_proposals

from .models import Assignment, Department, Proposal, ProposalProposer, Session

# Assignments that owe the proposer a reply of their own (a co-handling unit writes to the lead).
REPLYING_ROLES = [Assignment.Role.LEAD, Assignment.Role.SEPARATE]


# --- Shared pieces --------------------------------------------------------------------------------


class CheckFilter(django_filters.BooleanFilter):
    """A checkbox: ticked narrows the list, unticked leaves it alone (never "only the false ones").

    With `method=`, django-filter calls the method with False too: such methods check the value.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class PublicFilterSet(django_filters.FilterSet):
    """Fills session and department choices once per request, and orders by a whitelisted `sort`.

    Subclasses name their choice-backed filters in `session_filters` / `department_filters` and
    their orderings in `SORTS` (value → order_by arguments); `DEFAULT_ORDER` applies without `sort`.
    """

    session_filters = ()
    year_filters = ()
    department_filters = ()
    SORTS = {}
    DEFAULT_ORDER = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if self.session_filters or self.year_filters:
            sessions = list(Session.objects.select_related("committee"))
            for name in self.session_filters:
                self.filters[name].extra["choices"] = [(s.pk, f"{s}（{s.year}）") for s in sessions]
            years = sorted({s.year for s in sessions}, reverse=True)
            for name in self.year_filters:
                self.filters[name].extra["choices"] = [(year, year) for year in years]
        if self.department_filters:
            departments = list(
                Department.objects.exclude(kind=Department.Kind.OFFICE).values_list("pk", "name")
            )
            for name in self.department_filters:
                self.filters[name].extra["choices"] = departments

    @property
    def sort(self):
        return self.form.cleaned_data.get("sort") if self.is_valid() else ""

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if name not in ("q", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return self.order(self.search(queryset))

    def search(self, queryset):
        return queryset

    def order(self, queryset):
        if self.sort:
            return queryset.order_by(*self.SORTS[self.sort])
        return queryset.order_by(*self.DEFAULT_ORDER) if self.DEFAULT_ORDER else queryset

    @property
    def rows(self):
        """The filtered rows, or none at all when the form has errors (shown beside the fields)."""
        return self.qs if self.is_valid() else self.queryset.none()


def sort_filter(choices):
    return django_filters.ChoiceFilter(
        label=_("排序"), choices=choices, method=lambda qs, name, value: qs, empty_label=_("默认排序")
    )


def current_public_replies():
    """Public replies not replaced by a later public version from the same department (重新办理)."""
    newer = Response.objects.public().filter(
        proposal=OuterRef("proposal"), department=OuterRef("department"), version__gt=OuterRef("version")
    )
    return Response.objects.public().filter(~Exists(newer))


def public_commitments():
    """Commitments made in public replies to published proposals.

    A reply replaced by a published correction (更正) drops out: its commitments live on in the
    correction, and listing both would count each promise twice.
    """
    corrected = Response.objects.public().filter(supersedes=OuterRef("item__response"))
    return Commitment.objects.filter(
        item__response__status=Response.Status.PUBLISHED,
        item__response__disclosure=Response.Disclosure.PUBLIC,
        item__response__proposal__is_published=True,
    ).exclude(Exists(corrected))


def first_reply_on():
    """The date the assignment's department first issued a reply to the proposal (any disclosure:
    the date is a public handling fact even when the letter is not published)."""
    return Subquery(
        Response.objects.filter(
            proposal=OuterRef("proposal"),
            department=OuterRef("department"),
            status__in=Response.Status.issued(),
            issued_on__isnull=False,
        )
        .order_by("issued_on")
        .values("issued_on")[:1]
    )


def overdue_assignments(today=None):
    """Standing lead or separate assignments past their due date whose department has issued no reply.

    Belongs on AssignmentQuerySet (proposals/models.py) once that file may change.
    """
    today = today or timezone.localdate()
    replied = Response.objects.filter(
        proposal=OuterRef("proposal"), department=OuterRef("department"), status__in=Response.Status.issued()
    )
    return (
        Assignment.objects.active().filter(role__in=REPLYING_ROLES, due_on__lt=today).exclude(Exists(replied))
    )


# --- The proposal list ----------------------------------------------------------------------------


# What the list and its export read: fewer fields, cheaper rows (an export builds one per proposal).
PROPOSAL_LIST_FIELDS = (
    "number",
    "title",
    "kind",
    "status",
    "submitted_on",
    "is_key",
    "session__year",
    "session__term",
    "session__number",
    "session__committee__short_name",
)


def public_proposals():
    """The public list's rows: published proposals with what the table shows, in four queries.

    Session and committee come joined (the 会议 column); proposers, the standing lead and separate
    assignments (主办单位 and 办理期限) and the current public replies (办复类别) come in one prefetch
    each. Nothing is computed per row in SQL, so deep pages and large exports cost no subquery per
    skipped row; sorting by due date adds the subquery it needs (ProposalFilter.order).
    """
    replying = (
        Assignment.objects.active()
        .filter(role__in=REPLYING_ROLES)
        .select_related("department")
        .only("proposal_id", "role", "position", "due_on", "department__name")
        .order_by("role", "position")
    )
    replies = current_public_replies().only("pk", "proposal_id", "department_id", "result_class")
    proposers = (
        ProposalProposer.objects.select_related("proposer")
        .only("proposal_id", "position", "proposer__name")
        .order_by("position")
    )
    return (
        Proposal.objects.published()
        .select_related("session__committee")
        .only(*PROPOSAL_LIST_FIELDS)
        .prefetch_related(
            # to_attr lists throughout: a plain prefetch clones a queryset per row (a quarter of an
            # export's time).
            Prefetch("proposer_links", queryset=proposers, to_attr="proposer_list"),
            Prefetch("assignments", queryset=replying, to_attr="replying_assignments"),
            Prefetch("responses", queryset=replies.order_by("pk"), to_attr="public_replies"),
        )
    )


def due_on_subquery():
    """The earliest due date of a proposal's standing lead or separate assignments."""
    return Subquery(
        Assignment.objects.active()
        .filter(proposal=OuterRef("pk"), role__in=REPLYING_ROLES, due_on__isnull=False)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def decorate(proposal, row_labels):
    """Sets what the list shows from the prefetches of `public_proposals()`: lead_assignments, due_on
    (earliest due date of the replying units), result_classes ("A、B": one per replying unit), and
    kind_label, status_label and session_label from `row_labels` (a RowLabels shared by the rows)."""
    replying = proposal.replying_assignments
    proposal.lead_assignments = [a for a in replying if a.role == Assignment.Role.LEAD]
    proposal.due_on = min((a.due_on for a in replying if a.due_on), default=None)
    classes = [reply.result_class for reply in proposal.public_replies if reply.result_class]
    proposal.result_classes = "、".join(dict.fromkeys(classes))
    proposal.kind_label = row_labels.kinds.get(proposal.kind, proposal.kind)
    proposal.status_label = row_labels.statuses.get(proposal.status, proposal.status)
    proposal.session_label = row_labels.sessions.of(proposal.session)
    return proposal


class ProposalFilter(PublicFilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method=lambda qs, name, value: qs,
        max_length=100,
        error_messages={"max_length": _("关键词最多100个字，请缩短后再查。")},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号、案由或正文，如 氢能")}),
    )
    session = django_filters.ChoiceFilter(label=_("会议"), field_name="session_id", empty_label=_("全部会议"))
    year = django_filters.ChoiceFilter(label=_("年度"), field_name="session__year", empty_label=_("全部年度"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Proposal.Kind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Proposal.Status.choices, empty_label=_("全部状态")
    )
    lead_department = django_filters.ChoiceFilter(
        label=_("主办单位"), method="filter_lead_department", empty_label=_("全部单位")
    )
    department = django_filters.ChoiceFilter(
        label=_("承办单位（任一方式）"), method="filter_department", empty_label=_("全部单位")
    )
    result_class = django_filters.ChoiceFilter(
        label=_("办复类别"),
        choices=Response.ResultClass.choices,
        method="filter_result_class",
        empty_label=_("全部类别"),
    )
    is_key = CheckFilter(label=_("仅看重点提案"), field_name="is_key")
    overdue = CheckFilter(label=_("仅看逾期未复"), method="filter_overdue")
    sort = sort_filter(
        [
            ("number", _("编号（从小到大）")),
            ("-number", _("编号（从大到小）")),
            ("submitted", _("提交日期（从早到晚）")),
            ("-submitted", _("提交日期（从晚到早）")),
            ("due", _("办理期限（从早到晚）")),
            ("-due", _("办理期限（从晚到早）")),
        ]
    )

    session_filters = ("session",)
    year_filters = ("year",)
    department_filters = ("lead_department", "department")
    # Newest submissions first. Served on PostgreSQL by proposals_public_recent_idx (migration 0003;
    # first page at 100,000 proposals: 146 ms → 1 ms).
    DEFAULT_ORDER = (F("submitted_on").desc(nulls_last=True), "-pk")
    # Every ordering ends in the primary key, so that pages never overlap or skip a row.
    SORTS = {
        "number": ("number", "pk"),
        "-number": ("-number", "-pk"),
        "submitted": (F("submitted_on").asc(nulls_last=True), "pk"),
        "-submitted": (F("submitted_on").desc(nulls_last=True), "-pk"),
        "due": (F("due_on").asc(nulls_last=True), "pk"),
        "-due": (F("due_on").desc(nulls_last=True), "-pk"),
    }

    class Meta:
        model = Proposal
        fields = []
        form = forms.Form

    def filter_lead_department(self, queryset, name, value):
        lead = Assignment.objects.active().filter(
            proposal=OuterRef("pk"), department_id=value, role=Assignment.Role.LEAD
        )
        return queryset.filter(Exists(lead))

    def filter_department(self, queryset, name, value):
        return queryset.filter(
            Exists(Assignment.objects.active().filter(proposal=OuterRef("pk"), department_id=value))
        )

    def filter_result_class(self, queryset, name, value):
        return queryset.filter(
            Exists(current_public_replies().filter(proposal=OuterRef("pk"), result_class=value))
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(overdue_assignments().filter(proposal=OuterRef("pk"))))

    @property
    def query(self):
        return self.form.cleaned_data.get("q", "") if self.is_valid() else ""

    def search(self, queryset):
        # Applied after every other filter: the search may rank, and ranks what is left.
        return filter_proposals(queryset, self.query) if self.query else queryset

    def order(self, queryset):
        if not self.sort and self.query:
            return queryset  # the search's own ranking
        if self.sort in ("due", "-due"):
            queryset = queryset.annotate(due_on=due_on_subquery())
        return super().order(queryset)


PROPOSAL_EXPORT_HEADERS = [
    _("编号"),
    _("案由"),
    _("会议"),
    _("类型"),
    _("提案者"),
    _("主办单位"),
    _("状态"),
    _("提交日期"),
    _("办理期限"),
    _("办复类别"),
    _("重点提案"),
]


def labels(choices):
    """{value: label} translated once: get_FOO_display() hashes every lazy label again on each call,
    which was a third of an export's time."""
    return {value: str(label) for value, label in choices}


class SessionNames(dict):
    """str(session) once per session rather than once per row (it spells the ordinal in Chinese)."""

    def of(self, session):
        if session.pk not in self:
            self[session.pk] = str(session)
        return self[session.pk]


class RowLabels:
    """The labels list rows show, worked out once for all the rows of a page or an export."""

    def __init__(self):
        self.kinds = labels(Proposal.Kind.choices)
        self.statuses = labels(Proposal.Status.choices)
        self.sessions = SessionNames()


def proposal_export_rows(proposals, chunk_size):
    """The spreadsheet rows of `public_proposals()`, fetched in chunks (each: rows plus prefetches)."""
    row_labels = RowLabels()
    for proposal in proposals.iterator(chunk_size=chunk_size):
        decorate(proposal, row_labels)
        yield [
            proposal.number,
            proposal.title,
            proposal.session_label,
            proposal.kind_label,
            "、".join(link.proposer.name for link in proposal.proposer_list),
            "、".join(assignment.department.name for assignment in proposal.lead_assignments),
            proposal.status_label,
            proposal.submitted_on,
            proposal.due_on,
            proposal.result_classes,
            proposal.is_key,
        ]


# --- Departments ----------------------------------------------------------------------------------


def public_assignments():
    """Standing assignments on published proposals: what the public may know a department handles."""
    return Assignment.objects.active().filter(proposal__is_published=True)


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
    commitments = public_commitments().open()
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
