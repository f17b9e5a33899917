from django.urls import path

from pagecache.decorators import cache_public_page

from .views import following
from .views import public as views

app_name = "proposals"

urlpatterns = [
    path("", cache_public_page(views.proposal_list), name="list"),
    path("<int:pk>/", cache_public_page(views.proposal_detail), name="detail"),
    path("<int:pk>/follow/", following.follow, name="follow"),
    path("follow/<str:token>/", following.confirm_follow, name="confirm_follow"),
    path("unfollow/<str:token>/", following.unfollow, name="unfollow"),
]
