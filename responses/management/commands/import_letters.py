"""Import every reply letter in a folder: .txt (UTF-8) and .docx files, each in its own transaction.

Usage: python manage.py import_letters FOLDER [--dry-run] [--publish]

Each letter is parsed, matched and saved as on the office's import page, with the bulk rules of
responses/importing/: existing sessions, proposals (by number in the session), proposers and
departments are used when their name is the same, or near enough (similarity at least
importing.AUTO_THRESHOLD = 0.85 after standard abbreviations such as 发改委 = 发展改革委);
sessions, proposers and departments that are not on record are created, and the report lists
them. A session is created in the committee whose short name the letter prints, or in the only
committee there is; with several committees and none named, the letter fails. A letter imported
before (same proposal, department, title and first paragraph) is skipped. A letter that fails
is rolled back on its own; the others are kept.

Replies are saved as 已签发 (issued), or 已公开 (published) with --publish; disclosure is 主动公开.
--dry-run checks and saves every letter inside a transaction that is then rolled back.
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from responses import importing

from .parse_letter import read_letter_file

SUFFIXES = (".txt", ".docx")


class Command(BaseCommand):
    help = "批量导入文件夹中的答复函（.txt / .docx）/ Import every reply letter in a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="文件夹 / folder with .txt (UTF-8) and .docx letters")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查，不写入数据库 / check only, write nothing"
        )
        parser.add_argument(
            "--publish", action="store_true", help="导入为已公开 / import the replies as published"
        )

    def handle(self, *args, folder, dry_run, publish, **options):
        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"找不到文件夹：{root} / Folder not found: {root}")
        files = sorted(path for path in root.iterdir() if path.is_file() and path.suffix.lower() in SUFFIXES)
        matcher = importing.Matcher()
        imported, skipped, failed, created = [], [], [], []
        seen = {}  # letter identity → file, to spot duplicates within this run (and in a dry run)
        progress = tqdm(
            files, desc="导入答复函", unit="封", file=sys.stderr, disable=options["verbosity"] < 1
        )
        for path in progress:
            kind, line, new_records = self.import_one(path, matcher, seen, dry_run=dry_run, publish=publish)
            {"imported": imported, "skipped": skipped, "failed": failed}[kind].append(line)
            created.extend(new_records)
        self.report(imported, skipped, failed, created, dry_run=dry_run, total=len(files))

    def import_one(self, path, matcher, seen, *, dry_run, publish):
        """("imported" | "skipped" | "failed", report line, records created)."""
        try:
            text = read_letter_file(path)
        except CommandError as error:
            return "failed", f"{path.name}：{error}", []
        parsed, draft = importing.draft_from_text(text)
        if draft is None:
            return "failed", f"{path.name}：{'；'.join(parsed.missing)}", []
        if draft.identity in seen:
            return "skipped", f"{path.name}：与 {seen[draft.identity]} 是同一封答复函", []
        try:
            resolution = importing.resolve(draft, matcher)
            result = importing.save_letter(
                draft, resolution, publish=publish, dry_run=dry_run, matcher=matcher
            )
        except importing.DuplicateLetter as duplicate:
            return "skipped", f"{path.name}：{duplicate}", []
        except importing.ImportRefused as refusal:
            return "failed", f"{path.name}：{refusal}", []
        except ValidationError as error:
            return "failed", f"{path.name}：{'；'.join(error.messages)}", []
        seen[draft.identity] = path.name
        reply = result.response
        line = f"{path.name} → {result.proposal} · {reply.department}（{reply.get_status_display()}）"
        if result.notes:
            line += "；" + "；".join(result.notes)
        return "imported", line, [f"{path.name}：{record}" for record in result.created]

    def report(self, imported, skipped, failed, created, *, dry_run, total):
        write = self.stdout.write
        if dry_run:
            write("试运行（--dry-run）：以下结果未写入数据库。")
        verb = "可导入" if dry_run else "导入"
        write(
            f"共 {total} 个文件：{verb} {len(imported)} 封，"
            f"跳过 {len(skipped)} 封（重复），失败 {len(failed)} 封。"
        )
        for title, lines in (
            (f"{verb}：", imported),
            ("跳过（重复）：", skipped),
            ("失败：", failed),
            (
                f"{'将' if dry_run else '已'}新建（库中没有的会议、提案、单位和提案者，"
                "批量导入时自动新建）：",
                created,
            ),
        ):
            if lines:
                write(title)
                for line in lines:
                    write(f"  {line}")
