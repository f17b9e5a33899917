from django.urls import path

from .views import bulk_progress
from .views import department as views

app_name = "department"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/receive/", views.receive, name="receive"),
    path("assignments/<int:pk>/return/", views.return_assignment, name="return"),
    path("assignments/<int:pk>/opinion/", views.opinion, name="opinion"),
    path("assignments/<int:pk>/reply/", views.start_reply, name="start_reply"),
    path("replies/<int:pk>/", views.reply_detail, name="reply"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/preview/", views.reply_preview, name="reply_preview"),
    path("replies/<int:pk>/submit/", views.reply_submit, name="reply_submit"),
    path("replies/<int:pk>/issue/", views.reply_issue, name="reply_issue"),
    path("replies/<int:pk>/correct/", views.reply_correct, name="reply_correct"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/progress/", views.commitment_progress, name="commitment_progress"),
    path("commitments/sheet.xlsx", bulk_progress.sheet, name="bulk_progress_sheet"),
    path("commitments/bulk/", bulk_progress.upload, name="bulk_progress"),
    path("commitments/bulk/confirm/", bulk_progress.confirm, name="bulk_progress_confirm"),
]
