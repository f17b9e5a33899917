from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

app_name = "search"

urlpatterns = [
    path("", cache_public_page(views.search, params=("q", "page")), name="search"),
]
