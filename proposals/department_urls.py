"""Public department pages, mounted at /departments/."""

from django.urls import path

from pagecache.decorators import cache_public_page

from .filters import DepartmentAssignmentFilter
from .views import public as views

app_name = "departments"

urlpatterns = [
    path("", cache_public_page(views.department_list, params=("format",)), name="list"),
    path(
        "<int:pk>/",
        cache_public_page(
            views.department_detail, params=(*DepartmentAssignmentFilter.base_filters, "page", "format")
        ),
        name="detail",
    ),
]
