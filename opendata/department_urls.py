"""The public department (handling unit) pages, mounted at /departments/. Namespace `units`, so that it
does not read like the department workspace's `department`."""

from django.urls import path

from pagecache.decorators import cache_public_page, reads_object

from . import views
from .departments import DepartmentAssignmentFilter

app_name = "units"

urlpatterns = [
    path("", cache_public_page(views.department_list, params=("format",)), name="list"),
    path(
        "<int:pk>/",
        cache_public_page(
            views.department_detail,
            params=(*DepartmentAssignmentFilter.base_filters, "page", "format"),
            reads=reads_object("department"),
        ),
        name="detail",
    ),
]
