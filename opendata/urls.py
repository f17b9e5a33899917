from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from pagecache.decorators import cache_public_page

from . import feeds, scoring_views, views
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
    # Unit scores: the office's page, and a public copy only where TRACKER_PUBLISH_SCORES is on (404 else).
    path("office/scores/", scoring_views.office_scores, name="office_scores"),
    path("scores/", scoring_views.public_scores, name="scores"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", views.api_docs, name="docs"),
    path("api/", include(router.urls)),
    re_path(r"^api/(?P<rest>.+)$", api.not_found),
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
