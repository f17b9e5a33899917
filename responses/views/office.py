"""The office pages that show replies: the dashboard (its overdue counts), the proposal page, the
overdue board and publication. The office's other steps are proposals/views/office/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.access import get_proposal_for_office, office_required
from proposals.forms import ChaseForm, SuggestionFormSet
from proposals.models import Assignment, Chase, DeadlineExtension, Event, Proposal, Suggestion
from proposals.suggestions import save_suggestions
from proposals.views.office.common import form_data
from proposals.views.office.proposal_page import audit_trail
from tracker.pagination import WindowPaginator

from ..dashboard import BY_KEY, FIGURES, figure_counts, queue_list
from ..followup.board import late_tasks
from ..forms import PublicationForm
from ..models import CoHandlingOpinion, Response
from ..overdue import due_board, open_assignments
from ..publication import update_publication

QUEUE_LENGTH = 10
DEFAULT_WITHIN = 7


def _within(request):
    try:
        within = int(request.GET.get("within", DEFAULT_WITHIN))
    except ValueError:
        return DEFAULT_WITHIN
    return min(max(within, 0), 366)


@office_required
def dashboard(request):
    today = timezone.localdate()
    # Beside the figures, in the same query: members' proposals the office sent back or referred.
    counts = figure_counts(
        today,
        sent_back=Count("pk", filter=Q(status=Proposal.Status.RETURNED)),
        referred=Count("pk", filter=Q(status=Proposal.Status.REFERRED)),
    )
    board = open_assignments(today, DEFAULT_WITHIN).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today))
    )
    queue = Proposal.objects.filed().select_related("session__committee").with_proposers()
    key_proposals = Proposal.objects.filed().filter(is_key=True)
    context = {
        "figures": [(figure, counts[figure.key]) for figure in FIGURES],
        "counts": counts,
        "key_count": key_proposals.count(),
        "board": board,
        "within": DEFAULT_WITHIN,
        "submitted": queue.filter(status=Proposal.Status.SUBMITTED).order_by("submitted_on", "pk")[
            :QUEUE_LENGTH
        ],
        "registered": queue.filter(status=Proposal.Status.REGISTERED).order_by("registered_on", "pk")[
            :QUEUE_LENGTH
        ],
        "returned": Assignment.objects.awaiting_objection_decision()
        .select_related("proposal", "department")
        .order_by("returned_on", "pk")[:QUEUE_LENGTH],
        "key_proposals": key_proposals.select_related("session__committee").order_by(
            "-session__year", "number"
        )[:QUEUE_LENGTH],
    }
    return render(request, "office/dashboard.html", context)


@office_required
def queue(request, key):
    """The rows one dashboard figure counts (responses/dashboard.py), paginated."""
    figure = BY_KEY.get(key)
    if figure is None:
        raise Http404
    rows = queue_list(figure, timezone.localdate())
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "office/queue.html", {"figure": figure, "page": page})


@office_required
def overdue(request):
    """The board, a page of rows at a time in one query; each department's heading counts all its
    rows (a window count per department), not only those on this page."""
    today = timezone.localdate()
    within = _within(request)
    board = due_board(today, within).annotate(
        department_total=Window(Count("*"), partition_by=[F("department_id")])
    )
    page = WindowPaginator(board, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.days_overdue = (today - row.due_on).days
        row.days_left = -row.days_overdue
    return render(
        request,
        "office/overdue.html",
        {
            "page": page,
            "rows": page.object_list,
            "within": within,
            "today": today,
            "chase_form": ChaseForm(),
            "followup_tasks": late_tasks(today, within),
        },
    )


# The proposal page ---------------------------------------------------------------------------


def office_page():
    """Everything the office page shows, in a fixed number of queries: the proposal with its
    session and merge target; proposers; attachments; assignments with their departments, chases,
    extensions and co-handling opinions; replies of any status with feedback; the timeline."""
    assignments = (
        Assignment.objects.select_related("department", "assigned_by", "assigned_by_user")
        .prefetch_related(
            Prefetch(
                "chases", queryset=Chase.objects.select_related("chased_by").order_by("-chased_at", "-pk")
            ),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.select_related("granted_by").order_by("granted_at"),
            ),
            Prefetch("opinions", queryset=CoHandlingOpinion.objects.order_by("created_at")),
        )
        .in_role_order()
    )
    replies = (
        Response.objects.with_rule_flags()
        .select_related("department")
        .prefetch_related("feedback__proposer")
        .order_by("department__name", "version")
    )
    return (
        Proposal.objects.select_related("session__committee", "merged_into", "created_by", "referred_to")
        .with_proposers()
        .prefetch_related(
            "attachments",
            "versions",
            "merged_proposals",
            Prefetch("assignments", queryset=assignments),
            Prefetch("responses", queryset=replies),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("actor", "department").order_by("created_at", "pk"),
            ),
        )
    )


@login_required
def proposal_detail(request, pk):
    proposal = get_proposal_for_office(request, pk, office_page())
    return render(
        request,
        "office/proposal_detail.html",
        {
            "proposal": proposal,
            "audit": audit_trail(proposal),
            "Status": Proposal.Status,
            "Role": Assignment.Role,
        },
    )


# Publication and key proposals ---------------------------------------------------------------


@login_required
def publication(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    replies = list(
        Response.objects.with_rule_flags()
        .filter(proposal=proposal)
        .select_related("department")
        .order_by("department__name", "version")
    )
    issued = [reply for reply in replies if reply.status == Response.Status.ISSUED]
    form = PublicationForm(form_data(request), proposal=proposal, issued_replies=issued)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_publication(
                proposal,
                is_published=data["is_published"],
                is_key=data["is_key"],
                supervising_leader=data["supervising_leader"],
                replies_to_publish=data["publish_replies"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("公开与重点提案设置已保存。"))
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "office/publication.html",
        {
            "proposal": proposal,
            "form": form,
            "replies": replies,
            "ResponseStatus": Response.Status,
            "Disclosure": Response.Disclosure,
        },
    )


# The proposal's numbered suggestions (具体建议) -------------------------------------------------


@login_required
def suggestions(request, pk):
    """The office corrects the suggestions split from the body: add, edit, remove, reorder — until a
    reply to the proposal is issued (its items then answer these rows as they stand)."""
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session"))
    frozen = Response.objects.issued().filter(proposal=proposal).exists()
    queryset = Suggestion.objects.filter(proposal=proposal)
    if frozen:
        return render(
            request,
            "office/suggestions.html",
            {"proposal": proposal, "frozen": True, "rows": list(queryset)},
            status=409 if request.method == "POST" else 200,
        )
    formset = SuggestionFormSet(form_data(request), queryset=queryset, prefix="s")
    if request.method == "POST" and formset.is_valid():
        save_suggestions(proposal, formset.ordered_texts())
        messages.success(request, _("具体建议已保存。"))
        return redirect("office:suggestions", pk=proposal.pk)
    return render(request, "office/suggestions.html", {"proposal": proposal, "formset": formset})
