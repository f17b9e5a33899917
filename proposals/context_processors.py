"""What every page's header says about the signed-in user: the person and their unit."""

from functools import cached_property

from .models import Profile


class SignedInAs:
    """The person's name (full name, else the delegate's proposer name, else the login name) and
    unit (the department, else the role). Looked up only when a template reads it: one query at
    most, shared with the access checks through Profile.of's cache."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def profile(self):
        return Profile.of(self.user)

    @cached_property
    def name(self):
        first, last = self.user.first_name.strip(), self.user.last_name.strip()
        if first or last:
            # Chinese names run family name first, without a space (王明); others as Django joins them.
            return f"{last}{first}" if not (first + last).isascii() else self.user.get_full_name()
        if self.profile is not None and self.profile.proposer_id:
            return self.profile.proposer.name
        return self.user.get_username()

    @cached_property
    def unit(self):
        if self.profile is None:
            return ""
        if self.profile.department_id:
            return self.profile.department.name
        return self.profile.get_role_display()


def signed_in_as(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"signed_in_as": SignedInAs(user)}
