from django.contrib import admin
from django.urls import include, path

from proposals.views import public as proposal_views

from . import views

urlpatterns = [
    path("", proposal_views.home, name="home"),
    path("proposals/", include("proposals.urls")),
    path("replies/", include("responses.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/", views.workspace, name="workspace"),
    path("office/", include("proposals.office_urls")),
    path("department/", include("responses.department_urls")),
    path("my/", include("proposals.delegate_urls")),
    path("feedback/", include("responses.feedback_urls")),
    path("commitments/", include("responses.commitment_urls")),
    path("departments/", include("proposals.department_urls")),
    path("letters/", include("responses.letters_urls")),
    path("search/", include("search.urls")),
    path("", include("opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
