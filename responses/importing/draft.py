"""What the letter says, as it will be saved: LetterDraft."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from proposals.models import Proposal

from ..letter import title_lines
from ..parsing import parse_letter
from .matching import reduce_name, squeeze

_KIND_WORD = {Proposal.Kind.PROPOSAL: "提案", Proposal.Kind.SUGGESTION: "建议"}


# --------------------------------------------------------------------------- what the letter says


@dataclass
class LetterDraft:
    """What will be saved: the parsed letter as the office confirmed it (or as parsed, in bulk)."""

    kind: str = Proposal.Kind.PROPOSAL
    number: str = ""
    session: str = ""
    proposal_title: str = ""
    addressees: list = field(default_factory=list)
    addressee_title: str = ""
    assigned_by: str = ""
    lead_department: str = ""
    co_departments: list = field(default_factory=list)
    title_lines: list = field(default_factory=list)
    salutation: str = ""
    opening: list = field(default_factory=list)
    closing: list = field(default_factory=list)
    review_note: str = ""
    result_class: str = ""
    document_number: str = ""
    signed_by: str = ""
    issuer: str = ""
    date: datetime.date | None = None
    contact: dict = field(default_factory=dict)
    copied_to: list = field(default_factory=list)
    # [{"number", "heading", "paragraphs": [...], "commitments": [...], "children": [same, no children]}]
    items: list = field(default_factory=list)

    @classmethod
    def from_parsed(cls, parsed):
        """The draft of a parsed letter. A lead department missing from the opening is the issuer;
        sections nested deeper than （一） are folded into their sub-section's paragraphs."""
        date = datetime.date.fromisoformat(parsed.date) if parsed.date else None
        contact = parsed.contact.to_dict() if parsed.contact else {}
        return cls(
            kind=parsed.kind or Proposal.Kind.PROPOSAL,
            number=parsed.number or "",
            session=parsed.session or "",
            proposal_title=parsed.proposal_title or "",
            addressees=list(parsed.addressees),
            addressee_title=parsed.addressee_title if parsed.addressee_title in ("委员", "代表") else "",
            assigned_by=parsed.assigned_by or "",
            lead_department=parsed.lead_department or parsed.issuer or "",
            co_departments=list(parsed.co_departments),
            title_lines=list(parsed.title_lines),
            salutation=parsed.salutation or "",
            opening=list(parsed.opening),
            closing=list(parsed.closing_paragraphs),
            review_note=parsed.review_note or "",
            result_class=parsed.result_class or "",
            document_number=parsed.document_number or "",
            signed_by=parsed.signed_by or "",
            issuer=parsed.issuer or "",
            date=date,
            contact={key: value or "" for key, value in contact.items()},
            copied_to=list(parsed.copied_to),
            items=[_item_dict(item, depth=1) for item in parsed.items],
        )

    @property
    def title(self):
        if self.title_lines:
            return "\n".join(line.strip() for line in self.title_lines if line.strip())
        return "".join(title_lines(self.session, self.number, _KIND_WORD.get(self.kind, "提案")))

    @property
    def salutation_line(self):
        if self.salutation:
            return self.salutation
        return "、".join(self.addressees) + self.addressee_title + "："

    @property
    def first_paragraph(self):
        """The first paragraph of the letter's text: the opening's, else the first section's."""
        for paragraph in self.opening:
            if paragraph.strip():
                return paragraph.strip()
        for item in self.items:
            for paragraph in [
                *item["paragraphs"],
                *(p for child in item["children"] for p in child["paragraphs"]),
            ]:
                if paragraph.strip():
                    return paragraph.strip()
        return ""

    @property
    def identity(self):
        """What makes two letters the same letter (see `find_duplicate`), before any matching."""
        return (
            squeeze(self.session),
            squeeze(self.number),
            reduce_name(self.lead_department),
            squeeze(self.title),
            squeeze(self.first_paragraph),
        )


def _item_dict(item, depth):
    paragraphs = list(item.paragraphs)
    commitments = list(item.commitments)
    children = []
    for child in item.children:
        if depth == 1:
            children.append(_item_dict(child, depth=2))
        else:  # the model has two levels: a third (and below) folds into its parent's text
            paragraphs.extend(_printed_lines(child))
            commitments.extend(child.all_commitments())
    return {
        "number": item.number,
        "heading": item.heading,
        "paragraphs": paragraphs,
        "commitments": commitments,
        "children": children,
    }


def _printed_lines(item):
    """An item's heading line, paragraphs and sub-items' lines, as printed."""
    heading = f"{item.number}{item.heading}"
    lines = ([heading] if heading else []) + list(item.paragraphs)
    for child in item.children:
        lines.extend(_printed_lines(child))
    return lines


def draft_from_text(text):
    """(ParsedLetter, LetterDraft or None): None when the text is not a letter."""
    parsed = parse_letter(text)
    return parsed, (LetterDraft.from_parsed(parsed) if parsed.is_letter else None)
