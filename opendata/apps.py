from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = _("公开数据")

    def ready(self):
        from . import checks, signals  # noqa: F401 (checks registers the settings checks)

        signals.connect()  # writes clear the statistics snapshots they make wrong
