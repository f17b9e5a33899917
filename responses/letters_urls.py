from django.urls import path

from .views import letters as views

app_name = "letters"

urlpatterns = [
    path("import/", views.import_letter, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("replies/<int:pk>/letter.docx", views.reply_docx, name="docx"),
    path("replies/<int:pk>/print/", views.reply_print, name="print"),
]
