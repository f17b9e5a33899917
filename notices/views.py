"""The signed-in user's notices: the list (marking them read) and the unread count the bell shows."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import Notice


@login_required
def notice_list(request):
    notices = Notice.objects.filter(user=request.user)
    page = Paginator(notices, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    Notice.objects.filter(user=request.user).unread().update(read_at=timezone.now())
    return redirect("notices:list")


@login_required
def open_notice(request, pk):
    """Mark one notice read and follow its link (only links within this site)."""
    notice = Notice.objects.filter(user=request.user, pk=pk).first()
    if notice is None:
        return redirect("notices:list")
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    link = notice.link if notice.link.startswith("/") and not notice.link.startswith("//") else ""
    return redirect(link or "notices:list")


@never_cache
def unread_count(request):
    """{"unread": n} for the bell; 0 for a visitor who is not signed in (no redirect for a script)."""
    if not request.user.is_authenticated:
        return JsonResponse({"unread": 0})
    return JsonResponse({"unread": Notice.objects.filter(user=request.user).unread().count()})
