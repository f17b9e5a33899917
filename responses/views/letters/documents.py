"""Any reply as an official .docx or a print view, for whoever may read it."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from ...access import get_reply_for_reader
from ...docx_letter import build_docx
from ...export import export_response, for_export
from ...letter import build_letter
from ...models import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def reply_docx(request, pk):
    reply = get_reply_for_reader(request, pk, for_export())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    proposal = reply.proposal
    filename = f"{proposal.number or reply.pk}号{reply.department.name}答复函.docx"
    response = HttpResponse(build_docx(export_response(reply)), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
def reply_print(request, pk):
    reply = get_reply_for_reader(request, pk, Response.objects.for_letter_page())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "letters/print.html", {"reply": reply, "letter": build_letter(reply)})
