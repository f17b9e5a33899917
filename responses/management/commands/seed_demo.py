from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from proposals.demo import (
    SEED_NUMBER,
    SEED_PROPOSAL,
    ensure_admin,
    ensure_demo_draft,
    ensure_personas,
    ensure_seed_letter,
)
from responses.models import Response


class Command(BaseCommand):
    help = "Load the reference letter, create one demo account per persona and print them (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DJANGO_DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo 会创建公开密码的演示账户，生产环境（DJANGO_DEBUG 关闭）下拒绝运行；"
                "确需运行请加 --force。"
                " (Refusing to create demo accounts with published passwords while DJANGO_DEBUG is off.)"
            )
        if ensure_seed_letter():
            self.stdout.write(f"已导入参考答复函：自治区政协十二届三次会议第{SEED_NUMBER}号提案。")
        else:
            self.stdout.write(f"参考答复函已在库中（{SEED_NUMBER}），未重复导入。")
        self.stdout.write("")
        self.stdout.write("演示账户 (demo accounts) — 登录 http://127.0.0.1:8000/accounts/login/")
        for username, password, description, _user in [*ensure_personas(), ensure_admin()]:
            self.stdout.write(f"  {username:<14} {password:<18} {description}")
        draft = ensure_demo_draft()
        self.stdout.write("")
        self.stdout.write(
            f"网上提交：{draft.session}截止{draft.session.submission_deadline}；"
            f"jiangqiaoling 的草稿《{draft.title}》已邀请 liming 联名 (a draft with a co-signing invitation)."
        )
        self.stdout.write("")
        letter = Response.objects.filter(
            **{f"proposal__{key}": value for key, value in SEED_PROPOSAL.items()}
        ).first()
        if letter:
            self.stdout.write(f"答复函页面 (letter page): http://127.0.0.1:8000{letter.get_absolute_url()}")
        self.stdout.write("管理后台 (admin): http://127.0.0.1:8000/admin/")
