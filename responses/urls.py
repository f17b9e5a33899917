from django.urls import path

from pagecache.decorators import cache_public_page

from .views import public as views

app_name = "responses"

urlpatterns = [
    path("<int:pk>/", cache_public_page(views.letter), name="letter"),
]
