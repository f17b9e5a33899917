"""Loading handling units and their duties (职责) in bulk from a sheet with the columns 名称 and 职责.

Units are created or updated by name within one committee. As for proposals (importing.py), the
whole file is checked first and every problem reported with its row number ("第3行：…"); a file with
any problem writes nothing, a good one is written in one transaction.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from .models import Department

NAME, DUTIES = "名称", "职责"
MAX_ROWS = 2000
MAX_DUTIES = 5000
NAME_LENGTH = Department._meta.get_field("name").max_length


@dataclass
class DepartmentImport:
    errors: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _cell(value):
    return "" if value is None else str(value).strip()


def read_rows(name, data):
    """[(row number, {header: value})] from .xlsx or .csv bytes; ValueError with a message a clerk
    can act on when the file cannot be read."""
    if name.lower().endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ValueError(_("无法读取该Excel文件，请确认是 .xlsx 格式。")) from exc
        rows = book.worksheets[0].iter_rows(values_only=True)
    elif name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(_("无法识别该CSV文件的编码，请另存为UTF-8编码。"))
        rows = csv.reader(io.StringIO(text))
    else:
        raise ValueError(_("请提供 .xlsx 或 .csv 文件。"))
    header = [_cell(value) for value in next(rows, ())]
    missing = [column for column in (NAME, DUTIES) if column not in header]
    if missing:
        raise ValueError(_("第1行须为表头，缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    found = []
    for number, values in enumerate(rows, 2):
        values = [_cell(value) for value in values]
        if not any(values):
            continue
        if len(found) == MAX_ROWS:
            raise ValueError(_("一次最多导入%(limit)s个单位。") % {"limit": MAX_ROWS})
        found.append((number, dict(zip(header, values, strict=False))))
    return found


def import_departments(name, data, committee, *, dry_run=False):
    """Check the sheet and, when every row is good and not `dry_run`, create or update its units."""
    result = DepartmentImport()
    try:
        rows = read_rows(name, data)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    if not rows:
        result.errors.append(_("文件中没有单位。"))
        return result
    existing = {d.name: d for d in Department.objects.filter(name__in=[r.get(NAME, "") for _, r in rows])}
    seen = {}
    plan = []
    for number, row in rows:
        unit, duties = row.get(NAME, ""), row.get(DUTIES, "")
        problems = []
        if not unit:
            problems.append(_("名称为空"))
        elif len(unit) > NAME_LENGTH:
            problems.append(_("名称超过%(limit)s个字") % {"limit": NAME_LENGTH})
        elif unit in seen:
            problems.append(_("与第%(row)s行重名") % {"row": seen[unit]})
        if len(duties) > MAX_DUTIES:
            problems.append(_("职责超过%(limit)s个字") % {"limit": MAX_DUTIES})
        department = existing.get(unit)
        if department is not None and department.committee_id not in (None, committee.pk):
            problems.append(_("同名单位属于其他政协（人大）"))
        elif department is not None and department.kind == Department.Kind.OFFICE:
            problems.append(_("同名单位是政协（人大）办事机构，不是承办单位"))
        if problems:
            message = _("第%(row)s行：%(problems)s。")
            result.errors.append(message % {"row": number, "problems": "；".join(problems)})
        seen.setdefault(unit, number)
        plan.append((unit, duties, department))
    if result.errors:
        return result
    with transaction.atomic():
        for unit, duties, department in plan:
            if department is None:
                Department.objects.create(name=unit, duties=duties, committee=committee)
                result.created.append(unit)
            elif department.duties != duties or department.committee_id is None:
                department.duties = duties
                department.committee = committee
                department.save(update_fields=["duties", "committee"])
                result.updated.append(unit)
            else:
                result.unchanged.append(unit)
        if dry_run:
            transaction.set_rollback(True)
    return result
