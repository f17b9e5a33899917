"""What the parser returns: a ParsedLetter with its LetterItems and Contact."""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Candidate:
    """A value the letter offers for one field, the printed line it stands on, and why it counts.

    The parser keeps every candidate it saw; the field takes the best-scoring one (the first of
    equals, in reading order). A score of 0 is a hint only: shown to the clerk, never chosen.
    """

    value: str
    line: str
    why: str
    score: int = 3


# The fields read from candidates; contact_* fill `contact`.
CANDIDATE_FIELDS = (
    "number",
    "result_class",
    "document_number",
    "signed_by",
    "issuer",
    "date",
    "contact_unit",
    "contact_person",
    "contact_phone",
    "contact_postcode",
)


@dataclass
class Contact:
    unit: str | None = None
    person: str | None = None
    phone: str | None = None
    postcode: str | None = None

    def to_dict(self):
        return {"unit": self.unit, "person": self.person, "phone": self.phone, "postcode": self.postcode}


@dataclass
class LetterItem:
    """A numbered section (一、) or sub-section (（一）) of the letter's body."""

    number: str = ""
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    children: list[LetterItem] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    # Printing details kept only so render_lines can rebuild the line exactly.
    printed_label: str = field(default="", repr=False, compare=False)
    heading_end: str = field(default="", repr=False, compare=False)
    run_in: bool = field(default=False, repr=False, compare=False)
    rank: int = field(default=0, repr=False, compare=False)

    def to_dict(self):
        return {
            "number": self.number,
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "children": [child.to_dict() for child in self.children],
            "commitments": list(self.commitments),
        }

    def all_commitments(self):
        """This item's commitments, then its children's, in reading order."""
        found = list(self.commitments)
        for child in self.children:
            found.extend(child.all_commitments())
        return found


@dataclass
class ParsedLetter:
    kind: str | None = None
    number: str | None = None
    session: str | None = None
    addressees: list[str] = field(default_factory=list)
    addressee_title: str | None = None
    proposal_title: str | None = None
    result_class: str | None = None
    document_number: str | None = None
    signed_by: str | None = None
    issuer: str | None = None
    date: str | None = None
    contact: Contact | None = None
    copied_to: list[str] = field(default_factory=list)
    assigned_by: str | None = None
    lead_department: str | None = None
    co_departments: list[str] = field(default_factory=list)
    items: list[LetterItem] = field(default_factory=list)
    closing_paragraphs: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    salutation: str | None = None
    opening: list[str] = field(default_factory=list)
    review_note: str | None = None
    missing: list[str] = field(default_factory=list)
    is_letter: bool = False
    # (role, printed line, why) before the salutation and after the body, in printed order.
    front_lines: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    trailer_lines: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    # field name -> [Candidate], in reading order; see CANDIDATE_FIELDS.
    candidates: dict[str, list[Candidate]] = field(default_factory=dict, repr=False)
    # True when the opening's first paragraph was printed on the salutation's line.
    salutation_inline: bool = field(default=False, repr=False)

    def offer(self, name, value, line, why, score=3):
        """Record a candidate value for a field (ignored when empty)."""
        if value:
            self.candidates.setdefault(name, []).append(Candidate(value, line, why, score))

    def best(self, name):
        """The chosen candidate for a field, or None: the highest score above 0, first of equals."""
        offered = [candidate for candidate in self.candidates.get(name, ()) if candidate.score > 0]
        return max(offered, key=lambda candidate: candidate.score) if offered else None

    @property
    def closing(self):
        return "\n".join(self.closing_paragraphs) or None

    @property
    def commitments(self):
        found = []
        for item in self.items:
            found.extend(item.all_commitments())
        return found

    def to_dict(self):
        return {
            "kind": self.kind,
            "number": self.number,
            "session": self.session,
            "addressees": list(self.addressees),
            "addressee_title": self.addressee_title,
            "proposal_title": self.proposal_title,
            "result_class": self.result_class,
            "document_number": self.document_number,
            "signed_by": self.signed_by,
            "issuer": self.issuer,
            "date": self.date,
            "contact": self.contact.to_dict() if self.contact else None,
            "copied_to": list(self.copied_to),
            "assigned_by": self.assigned_by,
            "lead_department": self.lead_department,
            "co_departments": list(self.co_departments),
            "items": [item.to_dict() for item in self.items],
            "commitments": self.commitments,
            "closing": self.closing,
            "unparsed": list(self.unparsed),
        }
