"""Small factory functions: each builds a valid object with defaults a test can override."""

import itertools

from proposals.models import Assignment, Committee, Department, Proposal, ProposalProposer, Proposer, Session
from responses.models import Commitment, Response, ResponseItem

_sequence = itertools.count(1)


def make_committee(**fields):
    n = next(_sequence)
    defaults = {"name": f"测试市政协{n}", "short_name": "市政协", "level": Committee.Level.CITY}
    return Committee.objects.create(**{**defaults, **fields})


def make_session(committee=None, **fields):
    committee = committee or make_committee()
    defaults = {"term": 12, "number": next(_sequence) % 9 + 1, "year": 2024}
    return Session.objects.create(committee=committee, **{**defaults, **fields})


def make_department(name=None, **fields):
    return Department.objects.create(name=name or f"市测试局{next(_sequence)}", **fields)


def make_proposer(name="张三", **fields):
    return Proposer.objects.create(name=name, **fields)


def make_proposal(session=None, proposers=(), **fields):
    n = next(_sequence)
    defaults = {
        "number": f"2024{n:04d}",
        "title": f"关于加强第{n}项工作的建议",
        "status": Proposal.Status.REPLIED,
        "is_published": True,
    }
    proposal = Proposal.objects.create(session=session or make_session(), **{**defaults, **fields})
    for position, proposer in enumerate(proposers, 1):
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=position)
    return proposal


def make_assignment(proposal, department=None, role=Assignment.Role.LEAD, **fields):
    return Assignment.objects.create(
        proposal=proposal, department=department or make_department(), role=role, **fields
    )


def make_response(proposal=None, department=None, **fields):
    proposal = proposal or make_proposal()
    defaults = {
        "title": f"关于第{proposal.number}号提案答复的函",
        "salutation": "张三委员：",
        "opening": "您提出的提案收悉，现答复如下：",
        "status": Response.Status.PUBLISHED,
        "disclosure": Response.Disclosure.PUBLIC,
    }
    return Response.objects.create(
        proposal=proposal, department=department or make_department(), **{**defaults, **fields}
    )


def make_item(response, position, parent=None, **fields):
    defaults = {
        "number_label": f"{position}、",
        "heading": f"关于第{position}条建议",
        "paragraphs": f"第{position}条的办理情况。\n下一步，我们将落实第{position}条。",
    }
    return ResponseItem.objects.create(
        response=response, parent=parent, position=position, **{**defaults, **fields}
    )


def make_commitment(item, position=1, **fields):
    text = fields.pop("text", None) or item.paragraph_list[-1]
    return Commitment.objects.create(item=item, position=position, text=text, **fields)


def make_promise(text=None, reply=None, position=1, **fields):
    """A commitment in its own item of `reply`, its text standing in the item's paragraphs as the
    letter page expects (by default the item's own 下一步 sentence)."""
    reply = reply or make_response()
    text = text or f"下一步，我们将落实第{position}条。"
    item = make_item(reply, position, paragraphs=f"第{position}条的办理情况。\n{text}")
    return make_commitment(item, text=text, **fields)


def make_letter(items=3, children=2, **response_fields):
    """A published reply with `items` sections, each with `children` sub-sections and commitments."""
    response = make_response(**response_fields)
    for position in range(1, items + 1):
        item = make_item(response, position)
        make_commitment(item)
        for child_position in range(1, children + 1):
            child = make_item(response, child_position, parent=item, number_label=f"（{child_position}）")
            make_commitment(child)
    return response
