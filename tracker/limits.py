"""How much text and how large a file each kind of input may hold: one home for the limits that the
models, the forms, the Excel import and the API all enforce (README: "Limits").

Measured on real records: a proposal's title (案由) runs 15–40 characters (the reference proposal's
has 30); its body 1,500–5,000 (the reference reply letter, a long one, is 2,900 characters).
The limits leave ample room for the longest real ones while keeping one record, its page and its
search entry bounded.
"""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200  # a proposal's title (案由); a reply item's heading
BODY_MAX = 50_000  # a proposal's body, a reply item's paragraphs, a co-handling opinion
NOTE_MAX = 5_000  # reasons, notes, comments, a commitment and a progress report
NAME_MAX = 100  # a proposer's name
SUGGESTION_MAX = 5_000  # one numbered suggestion (具体建议) of a proposal
SUGGESTIONS_PER_PROPOSAL = 30  # numbered suggestions one proposal may hold

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024  # one attachment
ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "txt", "jpg", "jpeg", "png"]
WORKBOOK_MAX_BYTES = 10 * 1024 * 1024  # an Excel file to import (1,000 proposals of 3,000 characters: ~3 MB)
WORKBOOK_MAX_ROWS = 1000  # proposals in one Excel import (a provincial session registers 800–1,100)
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
ATTACHMENT_MAX_COUNT = 10  # attachments logged with one proposal


def _megabytes(size):
    return size // (1024 * 1024)


def validate_attachment_size(upload):
    """A model/form validator: an attachment no larger than ATTACHMENT_MAX_BYTES."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”有%(size).1fMB，超过上限%(max)sMB。"),
            code="too_large",
            params={
                "name": upload.name,
                "size": upload.size / 1024 / 1024,
                "max": _megabytes(ATTACHMENT_MAX_BYTES),
            },
        )


validate_attachment_type = FileExtensionValidator(
    ATTACHMENT_EXTENSIONS,
    message=_("文件类型“%(extension)s”不可上传，可上传：%(allowed_extensions)s。"),
)
ATTACHMENT_VALIDATORS = [validate_attachment_type, validate_attachment_size]


def _attachment_help():
    return gettext("可选，可一次选择多个文件（至多%(count)s个，每个不超过%(max)sMB；类型：%(types)s）。") % {
        "count": ATTACHMENT_MAX_COUNT,
        "max": _megabytes(ATTACHMENT_MAX_BYTES),
        "types": "、".join(ATTACHMENT_EXTENSIONS),
    }


def _workbook_help():
    return gettext(
        "请使用下载的模板，每行一件提案；文件不超过%(max)sMB，至多%(rows)s行；案由不超过%(title)s字，正文不超过%(body)s字。"
    ) % {
        "max": _megabytes(WORKBOOK_MAX_BYTES),
        "rows": WORKBOOK_MAX_ROWS,
        "title": TITLE_MAX,
        "body": EXCEL_CELL_LIMIT,
    }


ATTACHMENT_HELP = lazy(_attachment_help, str)()
WORKBOOK_HELP = lazy(_workbook_help, str)()


def validate_workbook_size(upload):
    if upload.size > WORKBOOK_MAX_BYTES:
        raise ValidationError(
            _("文件有%(size).1fMB，超过上限%(max)sMB：请拆分后再上传。"),
            code="too_large",
            params={"size": upload.size / 1024 / 1024, "max": _megabytes(WORKBOOK_MAX_BYTES)},
        )


class LengthCheck(models.CheckConstraint):
    """A database check that `field` holds at most `maximum` characters (LENGTH counts characters on
    SQLite and PostgreSQL alike), so that no path — admin, import, a script — stores more.

    Model validation (full_clean, every ModelForm) checks it with len() instead of Django's default of
    one query per constraint and instance, which made a 1,000-row bulk upload cost 3,000 queries.
    Migrations see a plain CheckConstraint (deconstruct is the parent's)."""

    def __init__(self, *, field, maximum, name):
        super().__init__(condition=LessThanOrEqual(Length(field), maximum), name=name)
        self.field, self.maximum = field, maximum

    def clone(self):
        return type(self)(field=self.field, maximum=self.maximum, name=self.name)

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and self.field in exclude:
            return
        value = getattr(instance, self.field)
        if value is not None and len(value) > self.maximum:
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)


def length_check(field, maximum, name):
    return LengthCheck(field=field, maximum=maximum, name=name)
