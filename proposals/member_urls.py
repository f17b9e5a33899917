"""The member's drafting pages, mounted at /my/ before the delegate workspace (responses.delegate_urls)."""

from django.urls import path

from .views import members as views

app_name = "members"

urlpatterns = [
    path("drafts/new/", views.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/preview/", views.draft_preview, name="draft_preview"),
    path("drafts/<int:pk>/invite/", views.draft_invite, name="draft_invite"),
    path(
        "drafts/<int:pk>/invitations/<int:invitation>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("drafts/<int:pk>/submit/", views.draft_submit, name="draft_submit"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
]
