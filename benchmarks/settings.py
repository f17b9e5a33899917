"""Production settings (DEBUG off) with the benchmark's URLs, for the gunicorn the benchmark starts.

Static files come from the plain storage: the benchmark does not run collectstatic."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
