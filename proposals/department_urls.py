"""Public department pages, mounted at /departments/."""

from django.urls import path

from .views import public as views

app_name = "departments"

urlpatterns = [
    path("", views.department_list, name="list"),
    path("<int:pk>/", views.department_detail, name="detail"),
]
