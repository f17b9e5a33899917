from django.urls import path

from .views import feedback as views

app_name = "feedback"

urlpatterns = [
    path("replies/<int:pk>/", views.give_feedback, name="give"),
    path("replies/<int:pk>/record/", views.record_paper_feedback, name="record"),
]
