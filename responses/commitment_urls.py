"""The public commitments tracker, mounted at /commitments/."""

from django.urls import path

from pagecache.decorators import cache_public_page, reads_object

from .filters import CommitmentFilter
from .views import commitments as views

app_name = "commitments"

urlpatterns = [
    path(
        "",
        cache_public_page(views.commitment_list, params=(*CommitmentFilter.base_filters, "page", "format")),
        name="list",
    ),
    path(
        "<int:pk>/",
        cache_public_page(views.commitment_detail, reads=reads_object("commitment")),
        name="detail",
    ),
]
