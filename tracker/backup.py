"""The SQLite backup connector: django-dbbackup's dumpdata/loaddata one, restoring Chinese text intact.

dbbackup 5.4's DjangoConnector decodes the dump in 8 kB chunks, which splits multi-byte UTF-8
characters at chunk boundaries and fails on any dump of Chinese text larger than one chunk. This
copies the bytes as they are.
"""

import contextlib
import os
import shutil
import tempfile

from dbbackup.db.django import DjangoConnector
from django.core.management import call_command


class UnicodeSafeDjangoConnector(DjangoConnector):
    def _restore_dump(self, dump):
        dump.seek(0)
        with tempfile.NamedTemporaryFile(mode="wb", suffix=".json", delete=False) as copy:
            shutil.copyfileobj(dump, copy)
        try:
            call_command("loaddata", copy.name, verbosity=0)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(copy.name)
