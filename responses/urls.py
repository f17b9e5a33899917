from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("<int:pk>/", views.letter, name="letter"),
]
