"""The letter import page's side of the reader: what it accepts (size and type, stated on the form,
refused with a Chinese message and nothing saved) and how it shows where each field came from, with
the letter's other candidates one click away."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Proposal
from responses.models import Response
from responses.parsing import DOCX_MAX_BYTES, LETTER_MAX_CHARS

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "letters" / "corpus"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def counts():
    return Proposal.objects.count(), Response.objects.count()


def post_file(client, name, content):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("letters:import"), {"file": upload})


def docx_bytes(paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- limits


def test_the_form_states_its_limits(office):
    page = office.get(reverse("letters:import")).content.decode()
    assert f"最多 {LETTER_MAX_CHARS:,} 字" in page
    assert f"只接受 .docx，不超过 {DOCX_MAX_BYTES // (1024 * 1024)} MB" in page


def test_a_paste_past_the_limit_is_refused_in_chinese_and_nothing_is_saved(office):
    before = counts()
    text = (CORPUS / "c01_county_proposal_contact_after_date.txt").read_text(encoding="utf-8")
    text += "近年来，我局做了大量工作。" * (LETTER_MAX_CHARS // 10)
    response = office.post(reverse("letters:import"), {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"答复函全文最多 {LETTER_MAX_CHARS} 字" in page
    assert "核对答复函" not in page  # not on to the preview
    assert counts() == before


def test_a_docx_over_the_size_limit_is_refused(office):
    response = post_file(office, "letter.docx", b"0" * (DOCX_MAX_BYTES + 1))
    assert response.status_code == 200
    assert f"文件超过 {DOCX_MAX_BYTES // (1024 * 1024)} MB" in response.content.decode()


def test_a_docx_that_unpacks_too_far_is_refused_before_it_is_unpacked(office):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (31 * 1024 * 1024))
    assert len(buffer.getvalue()) < DOCX_MAX_BYTES  # small on the wire
    response = post_file(office, "bomb.docx", buffer.getvalue())
    assert response.status_code == 200
    assert "Word 文件解压后超过 30 MB" in response.content.decode()


def test_a_docx_with_more_text_than_a_letter_is_refused(office):
    before = counts()
    content = docx_bytes(["近年来，我局做了大量工作。" * 100] * (LETTER_MAX_CHARS // 1300 + 2))
    response = post_file(office, "long.docx", content)
    assert response.status_code == 200
    assert f"Word 文件中的文字超过 {LETTER_MAX_CHARS:,} 字" in response.content.decode()
    assert counts() == before


def test_a_file_of_another_type_is_refused_whatever_it_holds(office):
    response = post_file(office, "letter.pdf", docx_bytes(["关于第1号提案的答复"]))
    assert "只接受 .docx 文件" in response.content.decode()


# --------------------------------------------------------------------------- where each field came from


def source_notes(page):
    """[(source line or None, [(field id, candidate value)])] from the preview's notes under fields."""
    notes = []
    for match in re.finditer(r'<div class="field-source small mb-2">(.*?)</div>', page, re.S):
        block = match.group(1)
        line = re.search(r'<q class="source-line">(.*?)</q>', block)
        buttons = re.findall(r'data-fill="([^"]*)" data-value="([^"]*)"', block)
        notes.append((line.group(1) if line else None, buttons))
    return notes


def test_the_preview_shows_the_line_each_field_came_from(office):
    text = (CORPUS / "c12_leader_signed_at_end.txt").read_text(encoding="utf-8")
    page = office.post(reverse("letters:import"), {"text": text}).content.decode()
    assert '来自原文：<q class="source-line">领导签发：蒋文华</q>' in page
    assert '来自原文：<q class="source-line">岳阳市教育局</q>' in page
    assert '来自原文：<q class="source-line">2024年5月8日</q>' in page
    assert '来自原文：<q class="source-line">联系人：彭娟，联系电话：0730-8822111</q>' in page


def test_another_date_in_the_letter_is_offered_as_a_one_click_candidate(office):
    # The web page's 发布日期 is not the letter's date: it is offered, not chosen.
    text = (CORPUS / "c28_several_dates_signoff_wins.txt").read_text(encoding="utf-8")
    page = office.post(reverse("letters:import"), {"text": text}).content.decode()
    assert 'name="date" value="2023-12-08"' in page
    assert ("2023年12月8日", [("id_date", "2023-12-20")]) in source_notes(page)
