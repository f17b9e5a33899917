from django.urls import path

from .views import public as views

app_name = "responses"

urlpatterns = [
    path("<int:pk>/", views.letter, name="letter"),
]
