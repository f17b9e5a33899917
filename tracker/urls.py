from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from pagecache.decorators import cache_public_page
from proposals.views.workspace import workspace

from . import views

urlpatterns = [
    path("", cache_public_page(views.home), name="home"),
    path("proposals/", include("search.proposal_urls")),
    path("leads/", include("proposals.lead_urls")),
    path("replies/", include("responses.urls")),
    path("accounts/password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/", workspace, name="workspace"),
    path("office/", include("responses.office_urls")),
    path("department/", include("responses.department_urls")),
    path("my/", include("proposals.member_urls")),
    path("my/", include("responses.delegate_urls")),
    path("feedback/", include("responses.feedback_urls")),
    path("commitments/", include("responses.commitment_urls")),
    path("departments/", include("opendata.department_urls")),
    path("letters/", include("responses.letters_urls")),
    path("followup/", include("responses.followup.urls")),
    path("notices/", include("notices.urls")),
    path("search/", include("search.urls")),
    path("", include("opendata.urls")),
    # Without a CSRF token, so that public pages carry nothing personal and can be cached: a forged
    # request could at worst switch a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
