from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/close/", views.round_close, name="round_close"),
    path("<int:pk>/report.xlsx", views.round_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("<int:pk>/report.docx", views.round_report, {"fmt": "docx"}, name="report_docx"),
    path("tasks/<int:pk>/chase/", views.task_chase, name="task_chase"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_answer, name="task"),
]
