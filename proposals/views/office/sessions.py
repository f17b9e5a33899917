"""The office sets each session's online submission deadline (委员网上提交截止日期)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tracker.filtering import in_range

from ...access import office_required
from ...member_forms import SessionDeadlineForm
from ...models import Session
from .common import form_data


@office_required
def session_list(request):
    sessions = list(Session.objects.select_related("committee"))
    forms_by_session = [
        (session, SessionDeadlineForm(instance=session, prefix=f"s{session.pk}")) for session in sessions
    ]
    edited = None
    if request.method == "POST":
        # A tampered id is a 404, never a 500.
        edited = get_object_or_404(
            Session.objects.select_related("committee"), pk=in_range(request.POST.get("session"))
        )
        form = SessionDeadlineForm(form_data(request), instance=edited, prefix=f"s{edited.pk}")
        if form.is_valid():
            form.save()
            messages.success(request, _("已更新%(session)s的提交截止日期。") % {"session": edited})
            return redirect("office:sessions")
        forms_by_session = [(s, form if s.pk == edited.pk else f) for s, f in forms_by_session]
    return render(request, "office/sessions.html", {"rows": forms_by_session})
