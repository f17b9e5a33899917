"""Suggest the lead and co-handling units of a proposal, with reasons, as JSON.

python manage.py suggest_assignment --committee 某某县政协 proposal.txt
(the file: the title on the first line, the body after it)
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from proposals.models import Committee
from search.suggestions import suggest

MAX_BYTES = 1_000_000


class Command(BaseCommand):
    help = "为一件提案推荐主办、会办单位并说明理由，输出JSON。文件第一行为案由，其后为正文。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="政协（人大）的全称。")
        parser.add_argument("file", help="UTF-8 文本文件：第一行案由，其后正文；“-”表示标准输入。")

    def handle(self, *args, committee, file, **options):
        try:
            owner = Committee.objects.get(name=committee)
        except Committee.DoesNotExist as exc:
            raise CommandError(f"没有名为“{committee}”的政协（人大）。") from exc
        try:
            if file == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(file, "rb") as handle:
                    data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from exc
        if len(data) > MAX_BYTES:
            raise CommandError("文件超过1 MB，不像是一件提案。")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError("文件须为UTF-8编码的文本。") from exc
        title, _, body = text.strip().partition("\n")
        if not title.strip():
            raise CommandError("文件第一行须为案由。")
        result = suggest(owner, title.strip(), body.strip())
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
