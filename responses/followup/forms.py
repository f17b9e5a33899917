from django import forms
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Session

from ..models import Response
from .models import FollowUpAnswer, FollowUpRound


class RoundForm(forms.ModelForm):
    result_classes = forms.MultipleChoiceField(
        label=_("办复类别"),
        choices=Response.ResultClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选为全部类别；如只回头看“正在解决或列入计划”的答复，选B。"),
    )

    class Meta:
        model = FollowUpRound
        fields = ["session", "title", "result_classes", "deadline", "instructions"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "instructions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.select_related("committee").order_by("-year", "-pk")
        self.fields["title"].error_messages["required"] = _("请填写名称，如“2024年度提案办理回头看”。")
        self.fields["deadline"].error_messages["required"] = _("请填写报告截止日期。")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("报告截止日期不能早于今天。"))
        return deadline

    def clean_result_classes(self):
        return "".join(sorted(self.cleaned_data["result_classes"]))


class ChaseTaskForm(forms.Form):
    note = forms.CharField(label=_("催办说明"), max_length=500, required=False)


class AnswerForm(forms.ModelForm):
    class Meta:
        model = FollowUpAnswer
        fields = ["outcome", "new_due_on", "explanation"]
        widgets = {
            "outcome": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "new_due_on": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            "explanation": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = FollowUpAnswer.Outcome.choices  # no empty choice
        self.fields["outcome"].error_messages["required"] = _("请选择落实情况。")

    def clean_explanation(self):
        return self.cleaned_data["explanation"].replace("\r\n", "\n").strip()


AnswerFormSet = modelformset_factory(FollowUpAnswer, form=AnswerForm, extra=0, edit_only=True)
