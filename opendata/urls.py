from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from pagecache.decorators import cache_public_page

from . import feeds, views
from .api import views as api

router = DefaultRouter()
router.register("proposals", api.ProposalViewSet, basename="proposal")
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("replies", api.ReplyViewSet, basename="reply")
router.register("commitments", api.CommitmentViewSet, basename="commitment")
router.register("stats", api.StatsViewSet, basename="stats")

app_name = "opendata"

urlpatterns = [
    path("stats/", cache_public_page(views.stats_page, params=("session", "format", "table")), name="stats"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", views.api_docs, name="docs"),
    path("api/", include(router.urls)),
    path("feeds/replies.rss", feeds.RepliesFeed(), name="replies-rss"),
    path("feeds/replies.atom", feeds.RepliesAtomFeed(), name="replies-atom"),
    path(
        "feeds/departments/<int:pk>/replies.rss", feeds.DepartmentRepliesFeed(), name="department-replies-rss"
    ),
    path(
        "feeds/departments/<int:pk>/replies.atom",
        feeds.DepartmentRepliesAtomFeed(),
        name="department-replies-atom",
    ),
]
