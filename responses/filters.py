"""The commitments tracker's filters and rows: promises from public replies, and how they are going."""

import datetime

import django_filters
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.filters import CheckFilter, PublicFilterSet, SessionNames, labels, sort_filter
from proposals.models import Assignment, ProposalProposer

from .drafting.department_inbox import InboxState
from .models import Commitment, CommitmentCitation, CommitmentProgress, Response

OPEN = "open"


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


def tracker_commitments():
    """The tracker's rows: public commitments with their proposal (number, title, session) and owner.

    `only()` keeps the letter's paragraphs and the proposal's body out of the row.
    """
    return (
        Commitment.objects.public()
        .select_related("owner", "item__response__proposal__session__committee")
        .only(
            "text",
            "due_on",
            "status",
            "owner__name",
            "item__response_id",
            "item__response__proposal_id",
            "item__response__proposal__number",
            "item__response__proposal__title",
            "item__response__proposal__session__year",
            "item__response__proposal__session__term",
            "item__response__proposal__session__number",
            "item__response__proposal__session__committee__short_name",
        )
    )


def with_progress(queryset):
    """Adds the progress reports, newest first, as `progress_newest_first`: one query per page.

    A prefetch rather than a subquery per row, so that deep pages and exports compute nothing for the
    rows they skip; sorting by latest progress adds the subquery it needs (CommitmentFilter.order).
    """
    reports = CommitmentProgress.objects.only("commitment_id", "reported_on", "text").order_by(
        "-reported_on", "-pk"
    )
    return queryset.prefetch_related(
        Prefetch("progress_updates", queryset=reports, to_attr="progress_newest_first")
    )


def latest_progress(commitment):
    """The newest progress report of a commitment fetched through `with_progress`, or None."""
    return commitment.progress_newest_first[0] if commitment.progress_newest_first else None


def latest_progress_on():
    return Subquery(
        CommitmentProgress.objects.filter(commitment=OuterRef("pk"))
        .order_by("-reported_on", "-pk")
        .values("reported_on")[:1]
    )


class CommitmentFilter(PublicFilterSet):
    department = django_filters.ChoiceFilter(
        label=_("责任单位"), field_name="owner_id", empty_label=_("全部单位")
    )
    session = django_filters.ChoiceFilter(
        label=_("会议"), field_name="item__response__proposal__session_id", empty_label=_("全部会议")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(OPEN, _("未完成（计划中或推进中）")), *Commitment.Status.choices],
        method="filter_status",
        empty_label=_("全部状态"),
    )
    overdue = CheckFilter(label=_("仅看逾期"), method="filter_overdue")
    sort = sort_filter(
        [
            ("due", _("完成期限（从早到晚）")),
            ("-due", _("完成期限（从晚到早）")),
            ("-progress", _("最近有进展的在前")),
        ]
    )

    session_filters = ("session",)
    department_filters = ("department",)
    # Every ordering ends in the primary key, so that pages never overlap or skip a row.
    SORTS = {
        "due": (F("due_on").asc(nulls_last=True), "pk"),
        "-due": (F("due_on").desc(nulls_last=True), "-pk"),
        "-progress": (F("latest_progress_on").desc(nulls_last=True), "-pk"),
    }
    DEFAULT_ORDER = SORTS["due"]

    class Meta:
        model = Commitment
        fields = []

    def order(self, queryset):
        if self.sort == "-progress":
            queryset = queryset.annotate(latest_progress_on=latest_progress_on())
        return super().order(queryset)

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


COMMITMENT_EXPORT_HEADERS = [
    _("承诺内容"),
    _("提案编号"),
    _("案由"),
    _("会议"),
    _("责任单位"),
    _("完成期限"),
    _("状态"),
    _("是否逾期"),
    _("最新进展日期"),
    _("最新进展"),
    _("答复函链接"),
]


def commitment_export_rows(commitments, absolute_url, chunk_size):
    """Spreadsheet rows of `with_progress(tracker_commitments())`, fetched in chunks; `absolute_url`
    turns a path into a link a spreadsheet reader can open."""
    statuses, sessions, today = labels(Commitment.Status.choices), SessionNames(), timezone.localdate()
    for commitment in commitments.iterator(chunk_size=chunk_size):
        proposal = commitment.item.response.proposal
        latest = latest_progress(commitment)
        yield [
            commitment.text,
            proposal.number,
            proposal.title,
            sessions.of(proposal.session),
            commitment.owner.name if commitment.owner else "",
            commitment.due_on,
            statuses.get(commitment.status, commitment.status),
            commitment.is_overdue(today),
            latest.reported_on if latest else None,
            latest.text if latest else "",
            absolute_url(letter_anchor(commitment)),
        ]


def letter_anchor(commitment):
    """The letter paragraph the commitment came from (the letter page marks id="commitment-<pk>")."""
    return f"{commitment.item.response.get_absolute_url()}#{commitment.anchor}"


def citations_of(commitment):
    """Later published proposals citing this commitment, oldest session first."""
    return (
        CommitmentCitation.objects.filter(commitment=commitment, proposal__is_published=True)
        .select_related("proposal__session__committee")
        .defer("proposal__body")
        .order_by("proposal__session__year", "created_at", "pk")
    )


def citations_by(proposal):
    """Earlier public commitments that `proposal` cites, with the reply and proposal they belong to."""
    return (
        CommitmentCitation.objects.filter(proposal=proposal, commitment__in=Commitment.objects.public())
        .select_related("commitment__owner", "commitment__item__response__proposal__session__committee")
        .defer("commitment__item__paragraphs", "commitment__item__response__proposal__body")
        .order_by("commitment__item__response__proposal__session__year", "created_at", "pk")
    )


def commitments_of(proposal):
    """What the proposal's public replies promised, reply by reply, in the letters' order."""
    return (
        Commitment.objects.public()
        .filter(item__response__proposal=proposal)
        .select_related("owner", "item__response__department")
        .only(
            "text", "due_on", "status", "owner__name", "item__response_id", "item__response__department__name"
        )
        .order_by(
            "item__response__department__name",
            "item__response__version",
            Coalesce("item__parent__position", "item__position"),
            F("item__parent_id").asc(nulls_first=True),
            "item__position",
            "position",
        )
    )


class InboxFilter(django_filters.FilterSet):
    """The department inbox's search and filters, on inbox_assignments() (responses/drafting): a
    number, title or proposer; the inbox state; the role; what is overdue or due within a week."""

    OVERDUE, THIS_WEEK = "overdue", "week"
    WEEK_DAYS = 7

    q = django_filters.CharFilter(label=_("编号、案由或提案者"), method="search", max_length=100)
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        field_name="inbox_state",
        choices=list(InboxState.LABELS.items()),
        empty_label=_("全部"),
    )
    role = django_filters.ChoiceFilter(
        label=_("办理方式"), choices=Assignment.Role.choices, empty_label=_("全部")
    )
    due = django_filters.ChoiceFilter(
        label=_("期限"),
        method="filter_due",
        choices=[(OVERDUE, _("已逾期")), (THIS_WEEK, _("7天内到期"))],
        empty_label=_("全部"),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def search(self, queryset, name, value):
        # `contains`, not `icontains`: Chinese has no case (shared/NOTES.md).
        value = value.strip()
        if not value:
            return queryset
        proposer = ProposalProposer.objects.filter(
            proposal_id=OuterRef("proposal_id"), proposer__name__contains=value
        )
        return queryset.filter(
            Q(proposal__number__contains=value) | Q(proposal__title__contains=value) | Exists(proposer)
        )

    def filter_due(self, queryset, name, value):
        # Only work still owed counts down: the states in which nothing is expected never fall due.
        owed = queryset.exclude(inbox_state__in=InboxState.DONE).filter(due_on__isnull=False)
        if value == self.OVERDUE:
            return owed.filter(due_on__lt=self.today)
        return owed.filter(
            due_on__gte=self.today, due_on__lte=self.today + datetime.timedelta(days=self.WEEK_DAYS)
        )
