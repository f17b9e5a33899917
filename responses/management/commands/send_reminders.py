"""Email due-soon and overdue reminders, each once. Meant for cron, e.g. every morning:

0 8 * * *  cd /srv/tracker && .venv/bin/python manage.py send_reminders
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from responses import reminders


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today 须为 YYYY-MM-DD 格式的日期，收到“{value}”。") from exc


class Command(BaseCommand):
    help = "发送办理期限到期提醒、逾期提醒和承诺逾期提醒；每条提醒只发送一次，可反复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="按这一天计算（YYYY-MM-DD），默认今天（北京时间）。")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录。")

    def handle(self, *args, today=None, dry_run=False, **options):
        day = iso_date(today) if today else timezone.localdate()
        report = reminders.send_reminders(day, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"试运行（{day.isoformat()}）：以下数量的提醒将会发送，本次未发送、未记录。")
        else:
            self.stdout.write(f"提醒（{day.isoformat()}）：")
        for kind, label in reminders.KIND_LABELS.items():
            self.stdout.write(f"  {label}：{report.sent[kind]} 条")
        for reminder in report.without_recipients:
            self.stdout.write(f"  无收件人，未发送：{reminder.key}（该单位没有填写邮箱的账户）")
        for reminder, error in report.failed:
            self.stderr.write(f"  发送失败，下次运行时重试：{reminder.key}：{error}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} 条提醒发送失败。")
