from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from proposals import boards


class ResponsesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responses"
    verbose_name = _("答复与承诺")

    def ready(self):
        from .followup.board import overdue_tasks

        boards.register(overdue_tasks)  # units late with a 回头看 report appear on the overdue board
