from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("unread.json", views.unread_count, name="unread"),
]
