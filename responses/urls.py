from django.urls import path

from pagecache.decorators import cache_public_page, reads_object

from .views import public as views

app_name = "responses"

urlpatterns = [
    path("<int:pk>/", cache_public_page(views.letter, reads=reads_object("reply")), name="letter"),
]
