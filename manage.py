#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Read the settings first: Django's command runner would otherwise swallow a configuration error
    # (e.g. a missing DJANGO_SECRET_KEY) and fail later with an unrelated "apps aren't loaded yet".
    settings.INSTALLED_APPS  # noqa: B018
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
