"""提案线索 (proposal leads): anyone suggests a topic, the office screens it, members adopt it."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from tracker.clientip import ratelimit_key

from ..access import delegate_required, is_office, office_required, proposer_of
from ..forms import LeadForm, ScreeningForm
from ..leads import ProposalLead
from ..models import filed_condition

TOO_MANY_REQUESTS = 429


def lead_list(request):
    leads = ProposalLead.objects.published().annotate(
        filed=Count("proposals", filter=filed_condition("proposals__"))
    )
    page = Paginator(leads.order_by("-screened_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "leads/list.html", {"page": page, "leads": page.object_list})


@require_http_methods(["GET", "POST"])
def lead_new(request):
    form = LeadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Counted only for a lead that would be kept, so a typo corrected costs nothing.
        if is_ratelimited(
            request,
            group="leads:new",
            key=ratelimit_key,
            rate=settings.LEAD_RATE_PER_ADDRESS,
            method="POST",
            increment=True,
        ):
            form.add_error(None, _("提交过于频繁，请一小时后再试。您填写的内容仍在下方，可先复制保存。"))
            return render(request, "leads/new.html", {"form": form}, status=TOO_MANY_REQUESTS)
        form.save()
        messages.success(request, _("线索已提交，政协办公厅筛选后将在“提案线索”中发布。谢谢！"))
        return redirect("leads:list")
    return render(request, "leads/new.html", {"form": form})


def lead_detail(request, pk):
    """A published lead, with the filed proposals started from it. The office sees any lead."""
    leads = ProposalLead.objects.all() if is_office(request.user) else ProposalLead.objects.published()
    lead = get_object_or_404(leads, pk=pk)
    context = {
        "lead": lead,
        "filed": list(lead.filed_proposals()),
        "can_adopt": lead.status == ProposalLead.Status.PUBLISHED and proposer_of(request.user) is not None,
    }
    return render(request, "leads/detail.html", context)


@office_required
def screening(request):
    pending = list(ProposalLead.objects.pending())
    forms = {lead.pk: ScreeningForm(prefix=f"lead-{lead.pk}") for lead in pending}
    return render(request, "leads/screening.html", {"rows": [(lead, forms[lead.pk]) for lead in pending]})


@office_required
@require_POST
def screen(request, pk):
    lead = get_object_or_404(ProposalLead, pk=pk)
    form = ScreeningForm(request.POST, prefix=f"lead-{lead.pk}")
    if form.is_valid():
        try:
            lead.screen(
                publish=form.cleaned_data["decision"] == "publish",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ProposalLead.ScreeningRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("已筛选：%(title)s") % {"title": lead.title})
        return redirect("leads:screening")
    # The other leads keep their empty forms; this one shows its error next to the field.
    pending = list(ProposalLead.objects.pending())
    rows = [
        (other, form if other.pk == lead.pk else ScreeningForm(prefix=f"lead-{other.pk}"))
        for other in pending
    ]
    return render(request, "leads/screening.html", {"rows": rows}, status=400)


@delegate_required
@require_POST
def adopt(request, pk):
    proposer = proposer_of(request.user)
    lead = get_object_or_404(ProposalLead.objects.published(), pk=pk)
    try:
        proposal = lead.adopt(proposer, actor=request.user)
    except ProposalLead.AdoptionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("leads:detail", pk=lead.pk)
    messages.success(
        request,
        _("已根据线索“%(title)s”建立提案草稿（%(draft)s），请继续起草。")
        % {"title": lead.title, "draft": proposal.title},
    )
    return redirect("members:draft_edit", pk=proposal.pk)
