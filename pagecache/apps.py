from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "公开页面缓存"

    def ready(self):
        from . import signals

        signals.connect()
