"""The public proposal pages, mounted at /proposals/. The list lives here because its keyword box is
the full-text search; the page shows replies (responses)."""

from django.urls import path

from pagecache.decorators import cache_public_page, reads_object
from proposals.views import following
from responses.views import public as reply_views

from . import views
from .filters import ProposalFilter

app_name = "proposals"

urlpatterns = [
    path(
        "",
        cache_public_page(views.proposal_list, params=(*ProposalFilter.base_filters, "page", "format")),
        name="list",
    ),
    path(
        "<int:pk>/",
        cache_public_page(reply_views.proposal_detail, reads=reads_object("proposal")),
        name="detail",
    ),
    path("<int:pk>/follow/", following.follow, name="follow"),
    path("follow/<str:token>/", following.confirm_follow, name="confirm_follow"),
    path("unfollow/<str:token>/", following.unfollow, name="unfollow"),
]
