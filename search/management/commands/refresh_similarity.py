"""Recount bigram frequencies and re-sign every document for the similar-proposals lookups.

For cron, nightly (new and changed proposals are signed at their first lookup meanwhile):
30 0 * * *  cd /srv/tracker && .venv/bin/python manage.py refresh_similarity
"""

import time

from django.core.management.base import BaseCommand

from search import similarity


class Command(BaseCommand):
    help = "重新统计二元组文档频率并重算每件提案的特征（相似提案与交办建议用），宜每晚运行。"

    def handle(self, *args, **options):
        start = time.monotonic()
        documents, signed = similarity.refresh()
        seconds = time.monotonic() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"已统计 {documents} 件提案的二元组频率，重算 {signed} 件的特征，用时 {seconds:.0f} 秒。"
            )
        )
