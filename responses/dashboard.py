"""The office dashboard's figures. Each figure is ONE queryset of proposals: the dashboard counts it
and its list (office:queue) shows it, so a count is always the number of rows its link shows."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from proposals.models import Assignment, Proposal

from .models import Commitment, Response
from .overdue import open_assignments


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    help: str
    proposals: object  # today → a Proposal queryset

    def queryset(self, today):
        return self.proposals(today)


def _awaiting_registration(today):
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED)


def _awaiting_assignment(today):
    return Proposal.objects.filter(status=Proposal.Status.REGISTERED)


def _returned(today):
    returned = Assignment.objects.awaiting_objection_decision().filter(proposal_id=OuterRef("pk"))
    return Proposal.objects.filter(Exists(returned))


def _overdue(today):
    # responses/overdue.py says which work is still owed; past its due date is overdue.
    late = open_assignments(today, 0).filter(due_on__lt=today, proposal_id=OuterRef("pk"))
    return Proposal.objects.filter(Exists(late))


def _opinions_missing(today):
    late = open_assignments(today, 0).filter(
        role=Assignment.Role.CO_HANDLING, due_on__lt=today, proposal_id=OuterRef("pk")
    )
    return Proposal.objects.filter(Exists(late))


def _awaiting_publication(today):
    # Issued, current, and disclosed proactively: what the publication page can publish now.
    issued = Response.objects.current().filter(
        status=Response.Status.ISSUED, disclosure=Response.Disclosure.PUBLIC, proposal_id=OuterRef("pk")
    )
    return Proposal.objects.filter(Exists(issued))


def _rehandling(today):
    return Proposal.objects.filter(status=Proposal.Status.REHANDLING)


def _commitments_overdue(today):
    late = Commitment.objects.current().overdue(today).filter(item__response__proposal_id=OuterRef("pk"))
    return Proposal.objects.filter(Exists(late))


FIGURES = [
    Figure("awaiting_registration", _("待立案"), _("已提交、待审查立案的提案"), _awaiting_registration),
    Figure("awaiting_assignment", _("待交办"), _("已立案、尚未交办的提案"), _awaiting_assignment),
    Figure("returned", _("交办被退回"), _("有承办单位退回、待改办或维持的提案"), _returned),
    Figure("overdue", _("办理逾期"), _("有承办单位超过期限仍未完成的提案"), _overdue),
    Figure(
        "opinions_missing", _("会办意见未到"), _("有会办单位超过期限仍未送会办意见的提案"), _opinions_missing
    ),
    Figure(
        "awaiting_publication",
        _("已签发待公开"),
        _("有已签发、主动公开、尚未公开的答复的提案"),
        _awaiting_publication,
    ),
    Figure("rehandling", _("不满意·重新办理"), _("提案者评价不满意、正在重新办理的提案"), _rehandling),
    Figure(
        "commitments_overdue", _("承诺事项逾期"), _("答复中有承诺事项逾期未落实的提案"), _commitments_overdue
    ),
]
BY_KEY = {figure.key: figure for figure in FIGURES}


def figure_counts(today, **extra):
    """{key: count} for every figure, in ONE query (each figure's queryset as a subquery), with any
    `extra` aggregates over all proposals counted in the same query."""
    return Proposal.objects.aggregate(
        **{
            figure.key: Count("pk", filter=Q(pk__in=figure.queryset(today).values("pk")))
            for figure in FIGURES
        },
        **extra,
    )


def queue_list(figure, today):
    """The rows a figure counts, as its list shows them: session and proposers come along."""
    return (
        figure.queryset(today)
        .select_related("session__committee")
        .with_proposers()
        .order_by("-session__year", "number", "pk")
    )
