"""The public proposal list: its rows, its filters (the keyword is a full-text search) and its export.

Public data only: published proposals, with the current public replies' result classes.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from proposals.filters import CheckFilter, PublicFilterSet, RowLabels, sort_filter
from proposals.models import Assignment, Proposal, ProposalProposer
from responses.models import Response
from responses.overdue import overdue_assignments

from .api import filter_proposals

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


def due_on_subquery():
    """The earliest due date of a proposal's standing lead or separate assignments."""
    return Subquery(
        Assignment.objects.active()
        .filter(proposal=OuterRef("pk"), role__in=Assignment.Role.answering(), due_on__isnull=False)
        .order_by("due_on")
        .values("due_on")[:1]
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
        .filter(role__in=Assignment.Role.answering())
        .select_related("department")
        .only("proposal_id", "role", "position", "due_on", "department__name")
        .order_by("role", "position")
    )
    replies = Response.objects.public().only("pk", "proposal_id", "department_id", "result_class")
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


def with_row_labels(proposal, row_labels):
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
            Exists(Response.objects.public().filter(proposal=OuterRef("pk"), result_class=value))
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(overdue_assignments().filter(proposal=OuterRef("pk"))))

    # Filters whose matching set costs more to find than to read (the keyword's search): with one, the
    # list is counted and paged in one query (WindowPaginator) rather than finding the set twice.
    # Other filters leave large sets (a department's or a result class's thousands of proposals),
    # which a window would read and sort whole: the count reads an index and the page stops after
    # fifty rows in index order. Measured at 100,000 proposals on a quiet machine: 氢能 with the
    # window 83 ms; overdue 454 ms with it, 107 ms without (an earlier measurement under load had
    # suggested the opposite); a department 225 → 1,369 ms with it.
    NARROWING = ("q",)

    @property
    def is_narrowed(self):
        return self.is_valid() and any(self.form.cleaned_data.get(name) for name in self.NARROWING)

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


def proposal_export_rows(proposals, chunk_size):
    """The spreadsheet rows of `public_proposals()`, fetched in chunks (each: rows plus prefetches)."""
    row_labels = RowLabels()
    for proposal in proposals.iterator(chunk_size=chunk_size):
        with_row_labels(proposal, row_labels)
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
