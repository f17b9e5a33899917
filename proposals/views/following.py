"""Following a published proposal by email: the form, the confirmation link, the unsubscribe link.
Open to everyone; never cached (the forms carry a CSRF token). GET only shows a button: a mail
scanner that opens links confirms or cancels nothing."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .. import subscriptions
from ..models import Proposal


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("请填写有效的电子邮箱。")},
    )


@require_http_methods(["GET", "POST"])
def follow(request, pk):
    proposal = get_object_or_404(Proposal.objects.published().select_related("session__committee"), pk=pk)
    form = FollowForm(request.POST if request.method == "POST" else None)
    sent = False
    if request.method == "POST" and form.is_valid():
        subscriptions.follow(proposal, form.cleaned_data["email"])
        sent = True  # the same answer whether the address was new, pending or confirmed: nothing leaks
    return render(request, "proposals/follow.html", {"proposal": proposal, "form": form, "sent": sent})


@require_http_methods(["GET", "POST"])
def confirm_follow(request, token):
    subscription = get_object_or_404(
        subscriptions.Subscription.objects.select_related("proposal"), token=token
    )
    if request.method == "POST":
        subscriptions.confirm(subscription)
    return render(request, "proposals/follow_confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def unfollow(request, token):
    subscription = subscriptions.Subscription.objects.select_related("proposal").filter(token=token).first()
    done = False
    if request.method == "POST" and subscription is not None:
        subscription.delete()
        done = True
    return render(
        request, "proposals/unfollow.html", {"subscription": subscription, "done": done}, status=200
    )
