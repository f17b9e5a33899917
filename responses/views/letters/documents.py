"""Any reply as an official .docx or a print view, for whoever may read it."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from proposals.access import department_of, is_office, proposer_of

from ...docx_letter import build_docx
from ...export import export_response, for_export
from ...letter import build_letter
from ...models import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUED_STATES = (Response.Status.ISSUED, Response.Status.PUBLISHED)


# --------------------------------------------------------------------------- who may read a reply


def visible_reply_or_404(request, pk, queryset=None):
    """The reply `pk` if the user may read it; None when an anonymous visitor must log in first.

    The rule: a published reply disclosed proactively (`Response.is_public`) is for everyone. Any
    other reply is for the office, for the answering department (the reply's own department, drafts
    included) and, once issued (已签发 or 已公开), for the proposal's proposers. Everyone else,
    co-handling departments included, gets 404. Anonymous visitors are asked to log in whether or
    not such a reply exists, so they cannot probe for private replies.
    """
    queryset = queryset if queryset is not None else Response.objects.select_related("proposal")
    reply = queryset.filter(pk=pk).first()
    if reply is not None and reply.is_public:
        return reply
    user = request.user
    if not user.is_authenticated:
        return None
    if reply is None:
        raise Http404
    if is_office(user):
        return reply
    department = department_of(user)
    if department is not None and department.pk == reply.department_id:
        return reply
    proposer = proposer_of(user)
    if (
        proposer is not None
        and reply.status in ISSUED_STATES
        and reply.proposal.proposer_links.filter(proposer=proposer).exists()
    ):
        return reply
    raise Http404


@require_GET
def reply_docx(request, pk):
    reply = visible_reply_or_404(request, pk, for_export())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    proposal = reply.proposal
    filename = f"{proposal.number or reply.pk}号{reply.department.name}答复函.docx"
    response = HttpResponse(build_docx(export_response(reply)), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def reply_print(request, pk):
    reply = visible_reply_or_404(request, pk, Response.objects.for_letter_page())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "letters/print.html", {"response": reply, "letter": build_letter(reply)})
