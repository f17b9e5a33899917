"""The office workspace, mounted at /office/: its steps on proposals (proposals/views/office/) and the
pages that show replies (responses/views/office.py)."""

from django.urls import path

from proposals.views import office as views

from .views import office as reply_views

app_name = "office"

urlpatterns = [
    path("", reply_views.dashboard, name="dashboard"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/import/", views.proposal_import, name="proposal_import"),
    path("proposals/import/template.xlsx", views.import_template, name="import_template"),
    path("proposals/batch/register/", views.batch_register, name="batch_register"),
    path("proposals/batch/assign/", views.batch_assign, name="batch_assign"),
    path("proposals/import/<int:pk>/", views.intake_preview, name="intake_preview"),
    path("proposals/import/<int:pk>/confirm/", views.intake_confirm, name="intake_confirm"),
    path("proposals/import/<int:pk>/cancel/", views.intake_cancel, name="intake_cancel"),
    path("proposals/<int:pk>/", reply_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/review/", views.review, name="review"),
    path("proposals/<int:pk>/assign/", views.assign, name="assign"),
    path("proposals/<int:pk>/publication/", reply_views.publication, name="publication"),
    path("proposals/<int:pk>/suggestions/", reply_views.suggestions, name="suggestions"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("assignments/<int:pk>/objection/", views.objection, name="objection"),
    path("assignments/<int:pk>/extend/", views.extend, name="extend"),
    path("assignments/<int:pk>/chase/", views.chase, name="chase"),
    path("overdue/", reply_views.overdue, name="overdue"),
    path("sessions/", views.session_list, name="sessions"),
    path("queues/<slug:key>/", reply_views.queue, name="queue"),
]
