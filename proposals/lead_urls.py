"""提案线索, mounted at /leads/."""

from django.urls import path

from .views import leads as views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_new, name="new"),
    path("screening/", views.screening, name="screening"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
]
