"""Batch steps of the office: register (立案) or assign (交办) many proposals with one form.

Nothing here decides a rule of its own. Each row is checked by the same form as one by one
(ReviewForm, AssignForm) and carried out by the same workflow step (workflow.register,
workflow.assign). The batch runs in one transaction: a row the step refuses rolls back every row
before it, and the error names the row (BatchRefused). Mails wait for the commit (notify), so a
refused batch sends none.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import limits
from tracker.filtering import in_range

from . import bulk, workflow
from .deadlines import CalendarNotCovered
from .forms import AssignForm, ObjectChoiceField, ReviewForm, date_field
from .models import Proposal

# A session registers 800–1,100 proposals; an office works through them a screen at a time.
MAX_ROWS = 100


class BatchRefused(ValidationError):
    """A row of the batch was refused; nothing of the batch was saved."""


def row_label(position, proposal):
    """How an error names its row: 第3行（《案由》）."""
    return _("第%(row)s行（《%(title)s》）") % {"row": position, "title": proposal.title}


def selected_ids(values):
    """The proposal ids ticked in the list: whole numbers in range, in order, without repeats."""
    ids = []
    for value in values:
        number = in_range(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def selected_proposals(ids):
    """The ticked proposals in the order they were ticked, with what the batch pages show. Two
    queries (proposals with sessions, proposers)."""
    found = Proposal.objects.select_related("session__committee").with_proposers().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def suggest_numbers(proposals):
    """Consecutive registration numbers for the proposals, per session, from the session's next free
    number (workflow.suggest_number: one query per session). Proposals that are not awaiting
    registration get none."""
    next_of = {}
    numbers = {}
    for proposal in proposals:
        if proposal.status != Proposal.Status.SUBMITTED:
            continue
        session = proposal.session
        if session.pk not in next_of:
            next_of[session.pk] = workflow.suggest_number(session)
        number = next_of[session.pk]
        numbers[proposal.pk] = number
        next_of[session.pk] = str(int(number) + 1).zfill(len(number))
    return numbers


def _messages(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


# Registration (立案) ----------------------------------------------------------------------------


def number_field_name(proposal):
    return f"number_{proposal.pk}"


class BatchRegisterForm(forms.Form):
    """One number per proposal, one registration date and note for all."""

    registered_on = date_field(gettext_lazy("立案日期"))
    note = forms.CharField(
        label=gettext_lazy("审查意见"),
        required=False,
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, proposals, suggested=None, **kwargs):
        super().__init__(data, **kwargs)
        self.proposals = proposals
        self.fields["registered_on"].initial = timezone.localdate()
        suggested = suggested or {}
        for proposal in proposals:
            field = forms.CharField(label=_("编号"), max_length=32, required=False)
            field.initial = suggested.get(proposal.pk, "")
            field.widget.attrs.update({"class": "form-control form-control-sm", "inputmode": "numeric"})
            self.fields[number_field_name(proposal)] = field

    def rows(self):
        """(position, proposal, number field) for the template."""
        return [
            (position, proposal, self[number_field_name(proposal)])
            for position, proposal in enumerate(self.proposals, 1)
        ]

    def clean(self):
        cleaned = super().clean()
        if "registered_on" not in cleaned:
            return cleaned
        # add_error() drops a field from cleaned_data: read the shared ones first.
        registered_on, note = cleaned["registered_on"].isoformat(), cleaned.get("note", "")
        seen = {}
        for position, proposal in enumerate(self.proposals, 1):
            name = number_field_name(proposal)
            # The one-by-one review form checks each row: state, number format, number free, date.
            review = ReviewForm(
                {
                    "action": ReviewForm.Action.REGISTER,
                    "number": cleaned.get(name, ""),
                    "registered_on": registered_on,
                    "note": note,
                },
                proposal=proposal,
            )
            if proposal.status != Proposal.Status.SUBMITTED:
                self.add_error(
                    name,
                    _("提案当前状态为“%(status)s”，不能立案。") % {"status": proposal.get_status_display()},
                )
                continue
            if not review.is_valid():
                for field, errors in review.errors.items():
                    target = "registered_on" if field == "registered_on" else name
                    for message in errors:
                        if target == name or message not in self.errors.get(target, []):
                            self.add_error(target, message)
                continue
            number = review.cleaned_data["number"]
            key = (proposal.session_id, number)
            if key in seen:
                self.add_error(name, _("与第%(row)s行的编号重复。") % {"row": seen[key]})
            seen[key] = position
            cleaned[name] = number
        return cleaned

    def row_errors(self):
        """Every row error named by its row, for the summary above the table."""
        return [
            f"{row_label(position, proposal)}：{message}"
            for position, proposal in enumerate(self.proposals, 1)
            for message in self.errors.get(number_field_name(proposal), [])
        ]

    def plan(self):
        return [(proposal, self.cleaned_data[number_field_name(proposal)]) for proposal in self.proposals]


@transaction.atomic
def register_many(plan, *, registered_on, note="", actor):
    """立案 each (proposal, number) of `plan` with workflow.register, all or none."""
    registered = []
    with bulk.batch_writes():  # the search index once for all rows, when the last is done
        for position, (proposal, number) in enumerate(plan, 1):
            try:
                registered.append(
                    workflow.register(
                        proposal, number=number, registered_on=registered_on, note=note, actor=actor
                    )
                )
            except IntegrityError:
                # Another clerk took the number between the check and the save.
                raise BatchRefused(
                    f"{row_label(position, proposal)}：{Proposal.number_taken(number).messages[0]}"
                ) from None
            except ValidationError as exc:
                raise BatchRefused(f"{row_label(position, proposal)}：{' '.join(_messages(exc))}") from None
    return registered


# Assignment (交办) ------------------------------------------------------------------------------


class BatchAssignForm(forms.Form):
    """One plan for every ticked proposal: a lead with its due date, co-handling units with theirs.
    Blank due dates follow the committee's rules, as on the one-by-one page."""

    assigned_on = date_field(gettext_lazy("交办日期"))
    lead_due_on = date_field(gettext_lazy("主办单位答复期限"), required=False)
    co_due_on = date_field(gettext_lazy("会办单位意见期限"), required=False)

    def __init__(self, data=None, *, proposals, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.proposals = proposals
        self.departments = departments
        self.fields["assigned_on"].initial = timezone.localdate()
        self.fields["lead"] = ObjectChoiceField(departments, label=_("主办单位"))
        self.fields["co"] = forms.MultipleChoiceField(
            label=_("会办单位"),
            required=False,
            choices=[(str(d.pk), d.name) for d in departments],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["lead_due_on"].help_text = _("留空则按交办日期和本委员会规定计算。")
        self.fields["co_due_on"].help_text = _("留空则按交办日期和本委员会规定计算。")
        self.order_fields(["assigned_on", "lead", "lead_due_on", "co", "co_due_on"])
        self.plans = []

    def _one_by_one_data(self, cleaned):
        """What the one-by-one assignment page would post for this plan."""
        co = cleaned.get("co", [])
        data = QueryDict(mutable=True)
        data.update(
            {
                "assigned_on": cleaned["assigned_on"].isoformat(),
                "lead": str(cleaned["lead"].pk),
                "lead_due_on": cleaned["lead_due_on"].isoformat() if cleaned.get("lead_due_on") else "",
                "co-TOTAL_FORMS": str(len(co)),
                "co-INITIAL_FORMS": "0",
                "separate-TOTAL_FORMS": "0",
                "separate-INITIAL_FORMS": "0",
            }
        )
        due = cleaned["co_due_on"].isoformat() if cleaned.get("co_due_on") else ""
        for index, pk in enumerate(co):
            data[f"co-{index}-department"] = pk
            data[f"co-{index}-due_on"] = due
        return data

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assigned_on") or not cleaned.get("lead"):
            return cleaned
        if str(cleaned["lead"].pk) in cleaned.get("co", []):
            self.add_error("co", _("主办单位不能同时作为会办单位。"))
            return cleaned
        data = self._one_by_one_data(cleaned)
        shared = {"assigned_on", "lead_due_on"}
        for position, proposal in enumerate(self.proposals, 1):
            if proposal.status != Proposal.Status.REGISTERED:
                self.add_error(
                    None,
                    f"{row_label(position, proposal)}："
                    + _("提案当前状态为“%(status)s”，只有已立案、尚未交办的提案可以交办。")
                    % {"status": proposal.get_status_display()},
                )
                continue
            form = AssignForm(data, proposal=proposal, departments=self.departments)
            if form.is_valid():
                self.plans.append((proposal, form.plan()))
                continue
            for field, errors in form.errors.items():
                for message in errors:
                    if field in shared:
                        if message not in self.errors.get(field, []):
                            self.add_error(field, message)
                    else:
                        self.add_error(None, f"{row_label(position, proposal)}：{message}")
            for row in form.co_rows.forms:
                for field, errors in row.errors.items():
                    for message in errors:
                        if field == "due_on":
                            if message not in self.errors.get("co_due_on", []):
                                self.add_error("co_due_on", message)
                        else:
                            self.add_error(None, f"{row_label(position, proposal)}：{message}")
        return cleaned


@transaction.atomic
def assign_many(plans, *, actor):
    """交办 each (proposal, plan) with workflow.assign, all or none. `plan` is AssignForm.plan()."""
    assigned = []
    with bulk.batch_writes():
        for position, (proposal, plan) in enumerate(plans, 1):
            try:
                assigned.append(workflow.assign(proposal, actor=actor, **plan))
            except (ValidationError, CalendarNotCovered) as exc:
                raise BatchRefused(f"{row_label(position, proposal)}：{' '.join(_messages(exc))}") from None
    return assigned
