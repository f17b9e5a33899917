from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from ..models import Profile


@login_required
def workspace(request):
    """Send each user to the workspace of their role."""
    profile = Profile.of(request.user)
    if profile is None:
        raise PermissionDenied("此账户尚未分配角色，请联系政协办公厅。")
    destination = {
        Profile.Role.OFFICE: "office:dashboard",
        Profile.Role.DEPARTMENT: "department:inbox",
        Profile.Role.DELEGATE: "delegate:my_proposals",
    }[profile.role]
    return redirect(destination)
