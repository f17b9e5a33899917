from django.shortcuts import get_object_or_404, render

from ..letter import build_letter
from ..models import Response


def letter(request, pk):
    response = get_object_or_404(Response.objects.public().for_letter_page(), pk=pk)
    return render(
        request,
        "responses/letter.html",
        {"response": response, "proposal": response.proposal, "letter": build_letter(response)},
    )
