from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from proposals.models import Proposal
from responses.models import Response

DEMO_ACCOUNTS = [
    # username, password, what the account is for
    ("office", "office-demo-2026", "政协办公厅工作人员（可进入管理后台）"),
]


class Command(BaseCommand):
    help = "Load the reference letter and create demo accounts, then print how to log in. Development only."

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
        if Proposal.objects.filter(number="20200287", session__term=12, session__number=3).exists():
            self.stdout.write("参考答复函已在库中（20200287），未重复导入。")
        else:
            call_command("loaddata", "seed_letter", verbosity=0)
            self.stdout.write("已导入参考答复函：自治区政协十二届三次会议第20200287号提案。")

        User = get_user_model()
        self.stdout.write("")
        self.stdout.write("演示账户 (demo accounts):")
        for username, password, role in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            self.stdout.write(f"  {username} / {password}  {role}")
        self.stdout.write("")
        letter = Response.objects.filter(proposal__number="20200287").first()
        if letter:
            self.stdout.write(f"答复函页面 (letter page): http://127.0.0.1:8000{letter.get_absolute_url()}")
        self.stdout.write("管理后台 (admin): http://127.0.0.1:8000/admin/")
