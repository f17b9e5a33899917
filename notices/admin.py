from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_select_related = ["user"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]
