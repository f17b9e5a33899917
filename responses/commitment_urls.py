"""The public commitments tracker, mounted at /commitments/."""

from django.urls import path

from .views import commitments as views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
]
