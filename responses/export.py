"""A reply from the database in the shape `responses.docx_letter.build_docx` takes.

`export_response(reply)` returns the dict of `ParsedLetter.to_dict()` plus the printed parts
(`title_lines`, `salutation`, `opening`, `review_note`), so that the .docx written from it and read
back by the parser gives the same structure: `parse_letter(read_docx_text(build_docx(d)))` finds
the header, items, sub-items, commitments, sign-off, contact and copies that the rows hold.

Where the values come from:

* header and sign-off: the reply's fields; `issuer` is `signoff_unit`, `date` is `issued_on`;
* `addressees` and `addressee_title`: the salutation as printed (张三、李四委员：), else the
  proposal's proposers in order;
* `lead_department`: the answering department; `co_departments` and `assigned_by`: the proposal's
  assignments (会办 units in their listed order, the office that assigned the answering unit);
* items: top-level items by position with their sub-items and commitments, all by position.

Use `for_export()` to fetch a reply with everything this reads in a fixed number of queries.
"""

import re

from django.db.models import Prefetch

from proposals.models import Assignment, ProposalProposer, Proposer

from .models import Response

_SALUTATION_RE = re.compile(r"^(?:尊敬的)?(?P<names>.+?)(?P<title>委员|代表)?(?:们)?\s*[：:]\s*$")
_NAME_SEPARATOR_RE = re.compile(r"[、，,]")
_ET_AL_RE = re.compile(r"等$")
_TITLE_OF_KIND = {Proposer.Kind.MEMBER: "委员", Proposer.Kind.DEPUTY: "代表"}


def for_export(queryset=None):
    """Replies with their proposal, session, committee, department, proposers, assignments, items
    and commitments: six queries, whatever the number of items."""
    queryset = queryset if queryset is not None else Response.objects.all()
    return queryset.for_letter_page().prefetch_related(
        Prefetch(
            "proposal__proposer_links",
            queryset=ProposalProposer.objects.select_related("proposer").order_by("position"),
        ),
        Prefetch(
            "proposal__assignments",
            queryset=Assignment.objects.select_related("department", "assigned_by").order_by(
                "role", "position"
            ),
        ),
    )


def export_response(reply):
    """The reply as the dict `build_docx` takes (see the module docstring). No query when the
    reply comes from `for_export()`."""
    proposal = reply.proposal
    addressees, addressee_title = _addressees(reply)
    assignments = list(proposal.assignments.all())
    answering = next((a for a in assignments if a.department_id == reply.department_id), None)
    co = sorted(
        (a for a in assignments if a.role == Assignment.Role.CO_HANDLING and a.returned_on is None),
        key=lambda assignment: assignment.position,
    )
    items = [_item(item) for item in reply.item_tree()]
    contact = {
        "unit": reply.contact_unit or None,
        "person": reply.contact_person or None,
        "phone": reply.contact_phone or None,
        "postcode": reply.contact_postcode or None,
    }
    return {
        "kind": proposal.kind,
        "number": proposal.number or None,
        "session": str(proposal.session),
        "addressees": addressees,
        "addressee_title": addressee_title,
        "proposal_title": proposal.title or None,
        "result_class": reply.result_class or None,
        "document_number": reply.document_number or None,
        "signed_by": reply.signed_by or None,
        "issuer": reply.signoff_unit or None,
        "date": reply.issued_on.isoformat() if reply.issued_on else None,
        "contact": contact if any(contact.values()) else None,
        "copied_to": reply.copied_to_list,
        "assigned_by": answering.assigned_by.name if answering and answering.assigned_by else None,
        "lead_department": reply.department.name,
        "co_departments": [assignment.department.name for assignment in co],
        "items": items,
        "commitments": [text for item in items for text in _all_commitments(item)],
        "closing": "\n".join(reply.closing_paragraphs) or None,
        "unparsed": [],
        "title_lines": reply.title_lines,
        "salutation": reply.salutation or None,
        "opening": reply.opening_paragraphs,
        "review_note": reply.review_note or None,
    }


def _item(item):
    return {
        "number": item.number_label,
        "heading": item.heading,
        "paragraphs": item.paragraph_list,
        "children": [_item(child) for child in getattr(item, "children", [])],
        "commitments": [commitment.text for commitment in sorted(item.commitments.all(), key=_position)],
    }


def _position(commitment):
    return commitment.position


def _all_commitments(item):
    found = list(item["commitments"])
    for child in item["children"]:
        found.extend(_all_commitments(child))
    return found


def _addressees(reply):
    """(names, 委员/代表/None) from the printed salutation, else from the proposal's proposers."""
    match = _SALUTATION_RE.match(reply.salutation.strip()) if reply.salutation else None
    if match:
        names = [
            _ET_AL_RE.sub("", "".join(name.split())) for name in _NAME_SEPARATOR_RE.split(match["names"])
        ]
        return [name for name in names if name], match["title"]
    proposers = [link.proposer for link in reply.proposal.proposer_links.all()]
    titles = {_TITLE_OF_KIND.get(proposer.kind) for proposer in proposers}
    return [proposer.name for proposer in proposers], titles.pop() if len(titles) == 1 else None
