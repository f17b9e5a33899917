"""Letters in and out: the office's import page (paste or upload a reply letter, check what was read,
save it as records) and any reply as an official .docx or a print view.

The import page works in two steps. `import_letter` parses the pasted text (or the .docx) and shows
the original lines beside an editable form of everything read, with existing records offered for
each name (responses/importing/ decides what matches). `import_confirm` saves, or re-matches the
names after an edit. The letter's text travels between the steps in a signed hidden field, so the
original stays beside the form however often the form is sent back with errors.
"""

from .documents import reply_docx, reply_print
from .import_views import import_confirm, import_letter

__all__ = [
    "import_confirm",
    "import_letter",
    "reply_docx",
    "reply_print",
]
