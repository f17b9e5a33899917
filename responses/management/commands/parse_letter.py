"""Print the structure of a reply letter (答复函) read from a .txt (UTF-8) or .docx file as JSON.

Usage: python manage.py parse_letter FILE
       python manage.py parse_letter --explain FILE   (each line's role and why, then the fields
                                                       with the line each came from)

Imports only responses.parsing, so it works before the models and migrations exist.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses.parsing import (
    DOCX_MAX_BYTES,
    LETTER_MAX_CHARS,
    MEGABYTE,
    LetterTooLarge,
    explain,
    parse_letter,
    read_docx_text,
)
from responses.parsing.results import CANDIDATE_FIELDS

_SHOWN_CHARS = 40  # a body paragraph is shown by its start


class Command(BaseCommand):
    help = "解析答复函（.txt 或 .docx），输出 JSON / Parse a reply letter (.txt UTF-8 or .docx) into JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="答复函文件 / letter file (.txt in UTF-8, or .docx)")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="逐行列出识别的角色及理由，再列出各字段及其来源行 / print each line's role and why",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        text = read_letter_file(path)
        parsed = parse_letter(text)
        if options["explain"]:
            self.stdout.write("\n".join(explanation(parsed)))
        else:
            self.stdout.write(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2))


def explanation(parsed):
    """The --explain report: numbered lines with role and reason, then each field's candidates."""
    if not parsed.is_letter:
        return ["未识别为答复函 / not a letter:", *(f"  {message}" for message in parsed.missing)]
    rows = []
    for number, (_role, label, line, why) in enumerate(explain(parsed), start=1):
        shown = line if len(line) <= _SHOWN_CHARS else line[:_SHOWN_CHARS] + "…"
        rows.append(f"{number:>3}  {label:<8}\t{shown}\t← {why}")
    rows.append("")
    rows.append("字段 / fields:")
    for name in CANDIDATE_FIELDS:
        chosen = parsed.best(name)
        for candidate in parsed.candidates.get(name, ()):
            mark = "✓" if candidate is chosen else " "
            source = f"分值 {candidate.score}，{candidate.why}：{candidate.line}"
            rows.append(f"  {mark} {name:<16} {candidate.value}\t({source})")
        if not parsed.candidates.get(name):
            rows.append(f"    {name:<16} —")
    return rows


def read_letter_file(path):
    """The letter's text; CommandError with a Chinese and English message when it cannot be read
    or is past the import limits (LETTER_MAX_CHARS, DOCX_MAX_BYTES: the import form's)."""
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as error:  # e.g. a name too long for the file system
        raise CommandError(f"无法访问文件：{path} / Cannot access the file: {path} ({error})") from error
    if not exists:
        raise CommandError(f"找不到文件：{path} / File not found: {path}")
    if not is_file:
        raise CommandError(f"不是文件：{path} / Not a file: {path}")
    size = path.stat().st_size
    if path.suffix.lower() == ".docx":
        if size > DOCX_MAX_BYTES:
            raise CommandError(
                f"Word 文件超过 {DOCX_MAX_BYTES // MEGABYTE} MB：{path} / The .docx file is too large: {path}"
            )
        try:
            return read_docx_text(path)
        except LetterTooLarge as error:
            raise CommandError(f"{error}（{path}） / The .docx file is too large: {path}") from error
        except ValueError as error:
            raise CommandError(
                f"无法读取 Word 文件：{path} / Cannot read the .docx file: {path} "
                f"({error.__cause__ or error})"
            ) from error
    if size > LETTER_MAX_CHARS * 4:  # UTF-8 takes at most 4 bytes a character
        raise _too_long(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(
            f"无法读取文件：{path} / Cannot read the file: {path} ({error.strerror})"
        ) from error
    try:
        text = data.decode("utf-8-sig")  # -sig: Windows Notepad writes a byte-order mark
    except UnicodeDecodeError as error:
        raise CommandError(
            f"文件不是 UTF-8 编码：{path}，请另存为 UTF-8 后重试 / "
            f"The file is not UTF-8 encoded: {path}; save it as UTF-8 and retry"
        ) from error
    if len(text) > LETTER_MAX_CHARS:
        raise _too_long(path)
    return text


def _too_long(path):
    return CommandError(
        f"文件中的文字超过 {LETTER_MAX_CHARS:,} 字，不像一封答复函：{path} / The file is too large: {path}"
    )
