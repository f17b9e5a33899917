"""The reply letter as a reader sees it, assembled from its structured rows.

The page must reproduce the letter as issued, line for line: this module only arranges stored text,
it never rewrites it. Commitments are marked where their text stands in a paragraph.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe


def title_lines(session, number, kind_word):
    """A reply's title as the seed letter prints it, in its two lines: 关于<会议> / 第<编号>号<提案>答复的函.
    `session` and `number` may be empty."""
    return [
        f"关于{session}" if session else "关于",
        (f"第{number}号" if number else "") + f"{kind_word}答复的函",
    ]


@dataclass
class LetterSection:
    heading: str
    paragraphs: list  # safe HTML, one per printed paragraph
    item_pk: int
    commitments: list
    children: list = field(default_factory=list)

    def all_commitments(self):
        """This section's commitments, then its sub-sections', in reading order."""
        found = list(self.commitments)
        for child in self.children:
            found.extend(child.all_commitments())
        return found


@dataclass
class Letter:
    title_lines: list
    salutation: str
    opening: list
    sections: list
    closing: list
    signoff_unit: str
    issued_on: object
    review_note: str
    contact: list  # (label, value) pairs that are present
    copied_to: list
    commitments: list  # every commitment, in the order the letter makes them


def mark_commitments(paragraph, commitments):
    """Escape `paragraph` and wrap each commitment's text, where it occurs, in a linkable <mark>.

    Commitments are matched in order and never overlap; a commitment whose text is not in this
    paragraph is left for the next one.
    """
    pieces = []
    cursor = 0
    for commitment in commitments:
        start = paragraph.find(commitment.text, cursor)
        if start < 0:
            continue
        end = start + len(commitment.text)
        pieces.append(escape(paragraph[cursor:start]))
        pieces.append(
            f'<mark class="commitment" id="{commitment.anchor}" data-status="{commitment.status}">'
            f"{escape(commitment.text)}</mark>"
        )
        cursor = end
    pieces.append(escape(paragraph[cursor:]))
    return mark_safe("".join(pieces))


def _section(item):
    commitments = list(item.commitments.all())
    paragraphs = [mark_commitments(paragraph, commitments) for paragraph in item.paragraph_list]
    return LetterSection(
        heading=item.heading_line,
        paragraphs=paragraphs,
        item_pk=item.pk,
        commitments=commitments,
        children=[_section(child) for child in item.children],
    )


def build_letter(reply):
    """Arrange a reply for display. Uses the prefetched items and commitments (see for_letter_page)."""
    contact = [
        (label, value)
        for label, value in (
            ("联系单位", reply.contact_unit),
            ("联系人", reply.contact_person),
            ("联系电话", reply.contact_phone),
            ("邮政编码", reply.contact_postcode),
        )
        if value
    ]
    sections = [_section(item) for item in reply.item_tree()]
    return Letter(
        title_lines=reply.title_lines,
        salutation=reply.salutation,
        opening=reply.opening_paragraphs,
        sections=sections,
        closing=reply.closing_paragraphs,
        signoff_unit=reply.signoff_unit,
        issued_on=reply.issued_on,
        review_note=reply.review_note,
        contact=contact,
        copied_to=reply.copied_to_list,
        commitments=[commitment for section in sections for commitment in section.all_commitments()],
    )
