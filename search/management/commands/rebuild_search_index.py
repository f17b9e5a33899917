"""Rebuild the search index from the proposals and their public replies, in bulk."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pagecache.scopes import LISTS, touch
from proposals.models import Proposal
from search import similarity
from search.models import rebuild_all


class Command(BaseCommand):
    help = "重建全文检索索引（批量写入，PostgreSQL 上重建 GIN 索引）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="每批处理的提案数（默认 2000）")

    def handle(self, *args, batch, **options):
        if batch < 1:
            raise CommandError("--batch 须为正整数。")
        total = Proposal.objects.count()
        with tqdm(total=total, unit="件", desc="检索索引", disable=options["verbosity"] < 1) as bar:
            written = rebuild_all(batch=batch, progress=bar.update)
        similarity.refresh()
        touch({LISTS})  # search results served from the page cache change with the index
        self.stdout.write(self.style.SUCCESS(f"已重建 {written} 件提案的检索文档。"))
