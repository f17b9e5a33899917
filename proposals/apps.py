from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = _("提案与交办")

    def ready(self):
        from . import page_scopes
        from .models import Event
        from .subscriptions import event_recorded

        # Followers hear of the public steps they follow, whichever app records them.
        post_save.connect(event_recorded, sender=Event, dispatch_uid="proposals.subscriptions:event")
        # What a write changes of the cached public pages.
        page_scopes.register()
