from django.urls import path

from pagecache.decorators import cache_public_page

from .filters import ProposalFilter
from .views import public as views

app_name = "proposals"

urlpatterns = [
    path(
        "",
        cache_public_page(views.proposal_list, params=(*ProposalFilter.base_filters, "page", "format")),
        name="list",
    ),
    path("<int:pk>/", cache_public_page(views.proposal_detail), name="detail"),
]
