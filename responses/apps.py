from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responses"
    verbose_name = _("答复与承诺")

    def ready(self):
        from . import page_scopes

        # What a write changes of the cached public pages.
        page_scopes.register()
