"""Publication and key proposals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from responses.models import Response

from ... import workflow
from ...access import get_proposal_for_office
from ...forms import PublicationForm
from ...models import Proposal
from .common import _data

# Publication and key proposals ----------------------------------------------------------------


@login_required
def publication(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    replies = list(
        Response.objects.filter(proposal=proposal)
        .select_related("department")
        .order_by("department__name", "version")
    )
    issued = [reply for reply in replies if reply.status == Response.Status.ISSUED]
    form = PublicationForm(_data(request), proposal=proposal, issued_replies=issued)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.update_publication(
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
