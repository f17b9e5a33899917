"""The reader's line roles and field candidates: `parse_letter --explain`, and the choices between
candidates that a clerk would otherwise have to make by hand."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from responses.parsing import DOCX_MAX_BYTES, parse_letter

CORPUS = Path(__file__).parent / "data" / "letters" / "corpus"

LETTER = """关于市政协十四届二次会议第123号提案答复的函
张三委员：
您提出的《关于加强管理的提案》收悉，现答复如下：
近年来，我局做了很多工作。
感谢您的关心和支持。
{tail}"""


def explained(path):
    out = io.StringIO()
    call_command("parse_letter", "--explain", str(path), stdout=out)
    return out.getvalue().splitlines()


def test_explain_prints_each_line_with_its_role_and_why():
    lines = explained(CORPUS / "c40_scrambled_trailer_ascii.txt")
    numbered = [line for line in lines if line[:3].strip().isdigit()]
    assert len(numbered) == 11  # every non-empty line of the letter, in order
    assert numbered[0].split()[1:3] == ["标题", "关于县十九届人大二次会议第7号建议的答复"]
    assert "抄送" in numbered[6] and "以“抄送：”开头" in numbered[6]
    assert numbered[-1].split()[1] == "签发人" and "“签发人：”" in numbered[-1]  # last, after the date


def test_explain_lists_each_field_with_the_line_it_came_from():
    lines = explained(CORPUS / "c28_several_dates_signoff_wins.txt")
    dates = [line for line in lines if " date " in line]
    assert dates[0].startswith("    date") and "2023-12-20" in dates[0] and "网页发布时间" in dates[0]
    assert dates[1].startswith("  ✓ date") and "2023-12-08" in dates[1] and "2023年12月8日" in dates[1]


def test_a_page_date_is_shown_but_never_chosen():
    letter = parse_letter("发布时间：2024-09-11\n" + LETTER.format(tail="某某局\n"))
    assert letter.date is None
    assert [candidate.value for candidate in letter.candidates["date"]] == ["2024-09-11"]


def test_the_contact_person_is_the_chengbanren_only_when_no_lianxiren_is_given():
    both = parse_letter(LETTER.format(tail="某某局\n2024年1月2日\n承办人：王五\n联系人：赵六\n"))
    assert both.contact.person == "赵六"
    alone = parse_letter(LETTER.format(tail="某某局\n2024年1月2日\n承办人：王五\n"))
    assert alone.contact.person == "王五"


def test_a_kind_label_is_not_a_result_class():
    assert parse_letter("类别：提案\n" + LETTER.format(tail="")).result_class is None
    assert parse_letter("类 别：C\n" + LETTER.format(tail="")).result_class == "C"


def test_a_source_line_hints_at_the_issuer_only_when_nothing_is_signed():
    hinted = parse_letter("来源：某某县财政局\n" + LETTER.format(tail="2024年1月2日\n"))
    assert hinted.issuer == "某某县财政局"
    signed = parse_letter("来源：某某县财政局\n" + LETTER.format(tail="某某县税务局\n2024年1月2日\n"))
    assert signed.issuer == "某某县税务局"


def test_a_past_tense_sentence_is_never_a_commitment():
    text = LETTER.replace(
        "近年来，我局做了很多工作。", "我局已于2023年完成普查，已将停车场纳入计划。我局将继续推进。"
    )
    assert parse_letter(text.format(tail="")).commitments == ["我局将继续推进。"]


# --------------------------------------------------------------------------- the commands' limits


def test_the_commands_refuse_a_text_file_past_the_import_limit(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(LETTER.format(tail="") + "近年来，我局做了很多工作。" * 8000, encoding="utf-8")
    with pytest.raises(CommandError, match="文件中的文字超过 100,000 字"):
        call_command("parse_letter", str(path))


def test_the_commands_refuse_a_large_docx_before_reading_it(tmp_path):
    path = tmp_path / "large.docx"
    path.write_bytes(b"0" * (DOCX_MAX_BYTES + 1))
    with pytest.raises(CommandError, match="Word 文件超过 5 MB"):
        call_command("parse_letter", str(path))
