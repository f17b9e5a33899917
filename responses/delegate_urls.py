from django.urls import path

from .views import delegate as views

app_name = "delegate"

urlpatterns = [
    path("", views.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("replies/<int:pk>/", views.reply_letter, name="reply"),
]
