"""The unit scores page: the office's at /office/scores/, and the same table at /scores/ only when the
installation publishes it (TRACKER_PUBLISH_SCORES)."""

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.access import office_required
from proposals.models import Session
from tracker.exports import FORMATS, export_format, tabular_response

from . import scoring


class ScoreSessionForm(forms.Form):
    session = forms.TypedChoiceField(
        label=gettext_lazy("会议"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择会议。")},
    )

    def __init__(self, data, sessions):
        super().__init__(data)
        self.fields["session"].choices = [(session.pk, str(session)) for session in sessions]


def _scores(request, template, *, office):
    sessions = list(Session.objects.select_related("committee"))
    form = ScoreSessionForm(request.GET, sessions)
    session = None
    if form.is_valid():
        chosen = form.cleaned_data["session"]
        session = next((s for s in sessions if s.pk == chosen), sessions[0] if sessions else None)
    rows = scoring.score_table(session) if session else []

    if "format" in request.GET:
        fmt = export_format(request)
        if fmt is None or session is None:
            return HttpResponseBadRequest(_("请选择会议，导出格式须为 xlsx 或 csv。"))
        headers, lines = scoring.export_rows(rows)
        basename = _("承办单位考评%(session)s") % {"session": session}
        return tabular_response(fmt, basename, headers, lines, sheet_title=_("承办单位考评"))

    weights = scoring.weights()
    context = {
        "form": form,
        "session": session,
        "rows": rows,
        "parts": [(part, weights[part.key]) for part in scoring.PARTS],
        "office": office,
        "formats": FORMATS,
        "published": settings.TRACKER_PUBLISH_SCORES,
    }
    return render(request, template, context)


@office_required
def office_scores(request):
    return _scores(request, "opendata/scores.html", office=True)


def public_scores(request):
    """Off unless TRACKER_PUBLISH_SCORES: a league table of units is the office's working tool first."""
    if not settings.TRACKER_PUBLISH_SCORES:
        raise Http404
    return _scores(request, "opendata/scores.html", office=False)
