"""Recount the statistics snapshots that are missing or outdated (or all of them) ahead of readers."""

import time

from django.core.management.base import BaseCommand

from opendata import stats
from proposals.models import Session


class Command(BaseCommand):
    help = (
        "重新统计缺失或已过期的各次会议办理统计（--all：全部重新统计）。"
        "“当前逾期”随日期变化，统计在办理期限次日过期：每晚零点后用 cron 运行一次，"
        "当天第一位访问者就不必等待重新统计。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部会议重新统计，不论是否过期")

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["all"]:
            session_ids = list(Session.objects.values_list("pk", flat=True))
            stats.refresh(session_ids)
        else:
            session_ids = stats.current().refreshed
        self.stdout.write(f"重新统计了 {len(session_ids)} 次会议（{time.monotonic() - started:.2f} 秒）。")
