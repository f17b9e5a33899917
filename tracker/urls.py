from django.contrib import admin
from django.urls import include, path

from proposals import views as proposal_views

urlpatterns = [
    path("", proposal_views.home, name="home"),
    path("proposals/", include("proposals.urls")),
    path("replies/", include("responses.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
