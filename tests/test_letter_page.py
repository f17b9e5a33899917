"""The public letter page: the reply rendered from its rows, reproducing the letter as issued."""

import html
import re

import pytest
from django.urls import reverse
from factories import make_letter

from responses.models import Response

pytestmark = pytest.mark.django_db

BLOCK_END = re.compile(r"<br\s*/?>|</(p|h1|h2|h3|li|div)>")
TAG = re.compile(r"<[^>]+>")


def letter_lines(page):
    """The text lines of the <article class="letter"> as a reader sees them."""
    article = page[page.index('<article class="letter"') : page.index("</article>")]
    text = html.unescape(TAG.sub("", BLOCK_END.sub("\n", article)))
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_it_reproduces_the_seed_letter_line_for_line(client, seed_letter, seed_lines):
    page = client.get(seed_letter.get_absolute_url()).content.decode()
    assert letter_lines(page) == seed_lines


def test_commitments_are_marked_without_changing_the_text(client, seed_letter):
    page = client.get(seed_letter.get_absolute_url()).content.decode()
    marks = re.findall(r'<mark class="commitment" id="(commitment-\d+)"[^>]*>([^<]+)</mark>', page)
    assert len(marks) == 6
    assert marks[0][1].startswith("一是对自治区各部门管理的创新平台进行优化整合")
    for anchor, _text in marks:
        assert f'href="#{anchor}"' in page  # the side index links to each marked promise


def test_it_links_back_to_the_proposal(client, seed_letter):
    page = client.get(seed_letter.get_absolute_url()).content.decode()
    assert f'href="{seed_letter.proposal.get_absolute_url()}"' in page


def test_it_prints_as_a_letter(client, seed_letter):
    page = client.get(seed_letter.get_absolute_url()).content.decode()
    assert 'media="print"' in page
    assert "d-print-none" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Response.Status.DRAFT},
        {"status": Response.Status.ISSUED},
        {"disclosure": Response.Disclosure.ON_REQUEST},
    ],
    ids=["draft", "issued-not-yet-published", "disclosed-on-request-only"],
)
def test_unpublished_replies_are_not_found(client, seed_letter, changes):
    Response.objects.filter(pk=seed_letter.pk).update(**changes)
    assert client.get(seed_letter.get_absolute_url()).status_code == 404


def test_a_letter_with_header_sign_off_and_contact_prints_them(client):
    reply = make_letter(
        items=1,
        children=0,
        result_class="B",
        signed_by="李四",
        document_number="桂科函〔2020〕12号",
        signoff_unit="广西壮族自治区科学技术厅",
        issued_on="2020-07-16",
        contact_person="王五",
        contact_phone="0771-1234567",
        copied_to="自治区政协提案委员会\n自治区人民政府办公厅",
    )
    lines = letter_lines(client.get(reply.get_absolute_url()).content.decode())
    assert lines[:3] == ["类别：B", "签发人：李四", "桂科函〔2020〕12号"]
    assert lines[-5:] == [
        "广西壮族自治区科学技术厅",
        "2020年7月16日",
        "联系人：王五",
        "联系电话：0771-1234567",
        "抄送：自治区政协提案委员会，自治区人民政府办公厅。",
    ]


@pytest.mark.parametrize("size", [(1, 0), (6, 3)], ids=["small-letter", "large-letter"])
def test_query_count_does_not_grow_with_the_letter(client, django_assert_num_queries, size):
    items, children = size
    reply = make_letter(items=items, children=children)
    # reply with proposal, session, committee and department; items; commitments
    with django_assert_num_queries(3):
        response = client.get(reverse("responses:letter", args=[reply.pk]))
    assert response.status_code == 200
