"""Create or update handling units and their duties (职责) from a sheet: columns 名称 and 职责.

python manage.py import_departments --committee 某某县政协 units.xlsx
"""

from django.core.management.base import BaseCommand, CommandError

from proposals.department_import import import_departments
from proposals.models import Committee


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 文件（列：名称、职责）按名称新建或更新承办单位及其职责；有一行出错则整份不导入。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="单位所属政协（人大）的全称。")
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入。")

    def handle(self, *args, committee, file, dry_run=False, **options):
        try:
            owner = Committee.objects.get(name=committee)
        except Committee.DoesNotExist as exc:
            raise CommandError(f"没有名为“{committee}”的政协（人大）。") from exc
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from exc
        result = import_departments(file, data, owner, dry_run=dry_run)
        if not result.ok:
            raise CommandError("未导入任何单位：\n" + "\n".join(result.errors))
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            f"{prefix}新建 {len(result.created)} 个，更新 {len(result.updated)} 个，"
            f"未变 {len(result.unchanged)} 个单位。"
        )
