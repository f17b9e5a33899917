"""Fill the database with synthetic proposals for load tests and benchmarks."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from opendata import stats
from pagecache.scopes import bump_all
from responses.synthetic import generate


class Command(BaseCommand):
    help = "生成模拟提案数据（确定性：同一种子生成相同内容），批量写入，最后重建检索索引。"

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, required=True, help="生成的提案件数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--batch", type=int, default=5000, help="每批写入的提案数（默认 5000）")
        parser.add_argument("--no-index", action="store_true", help="不重建检索索引")

    def handle(self, *args, proposals, seed, batch, no_index, **options):
        if proposals < 1 or batch < 1:
            raise CommandError("--proposals 和 --batch 须为正整数。")
        quiet = options["verbosity"] < 1
        started = time.monotonic()
        with tqdm(total=proposals, unit="件", desc="模拟提案", disable=quiet) as bar:
            counts = generate(proposals, seed, batch=batch, progress=bar.update)
        # bulk_create sends no signals: the statistics snapshots and cached public pages are out of date
        stats.invalidate()
        bump_all()
        self.stdout.write(
            f"提案 {counts.proposals}，交办 {counts.assignments}，答复 {counts.responses}，"
            f"答复条目 {counts.items}，承诺 {counts.commitments}，进展 {counts.progress}，"
            f"反馈 {counts.feedback}（{time.monotonic() - started:.0f} 秒）"
        )
        if not no_index:
            call_command("rebuild_search_index", batch=max(batch // 2, 1), verbosity=options["verbosity"])
        if connection.vendor == "postgresql":
            # Fresh planner statistics: right after a bulk load PostgreSQL still believes the tables
            # are nearly empty and picks nested loops that took the list 1.7 s instead of 55 ms and
            # the statistics page past a minute, until autovacuum gets round to it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        stats.current()  # every session's statistics counted now rather than by the first visitor
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.0f} 秒。"))
