from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from .clientip import ratelimit_key

TOO_MANY_REQUESTS = 429


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while an account is locked for this address (AXES_LOCKOUT_CALLABLE)."""
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=TOO_MANY_REQUESTS)


def _entered_email(group, request):
    return request.POST.get("email", "").strip().lower()


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most a few emails per hour per address and per e-mail."""

    def form_valid(self, form):
        limits = [
            ("password-reset:address", ratelimit_key, settings.PASSWORD_RESET_RATE_PER_ADDRESS),
            ("password-reset:email", _entered_email, settings.PASSWORD_RESET_RATE_PER_EMAIL),
        ]
        # Both counters always count, so neither can be drained by alternating the other.
        limited = [
            is_ratelimited(self.request, group=group, key=key, rate=rate, method="POST", increment=True)
            for group, key, rate in limits
        ]
        if any(limited):
            form.add_error("email", _("密码重置邮件发送过于频繁，请一小时后再试，或联系政协办公厅。"))
            return self.render_to_response(self.get_context_data(form=form), status=TOO_MANY_REQUESTS)
        return super().form_valid(form)


def home(request):
    return render(request, "home.html")
