"""Bulk progress (批量报告进展): download the open commitments as a sheet, upload it filled in, look
at the preview, confirm. Departments only; the rows each department may touch are its own
commitments, as on the one-by-one page."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from proposals.access import department_of, department_required
from tracker.exports import XLSX_TYPE, file_response

from .. import bulk_progress

SESSION_KEY = "bulk_progress"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("填好的承诺事项表（.xlsx）"),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的Excel文件。"))
        return upload


@department_required
def sheet(request):
    department = department_of(request.user)
    filename = _("%(department)s承诺事项-%(day)s.xlsx") % {
        "department": department.name,
        "day": f"{timezone.localdate():%Y%m%d}",
    }
    return file_response(bulk_progress.build_sheet(department), XLSX_TYPE, filename)


@department_required
@require_http_methods(["GET", "POST"])
def upload(request):
    department = department_of(request.user)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = bulk_progress.check_sheet(form.cleaned_data["file"], department)
        if preview.ok and preview.changes:
            request.session[SESSION_KEY] = {"department": department.pk, "rows": preview.to_session()}
        else:
            request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "department/bulk_progress.html",
        {"department": department, "form": form, "preview": preview},
    )


@department_required
@require_POST
def confirm(request):
    department = department_of(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("department") != department.pk:
        messages.error(request, _("没有待确认的批量报告，请重新上传。"))
        return redirect("department:bulk_progress")
    preview = bulk_progress.apply(pending["rows"], department, request.user)
    if not preview.ok:
        # The data moved since the preview (or a step refused): nothing was written; show why.
        return render(
            request,
            "department/bulk_progress.html",
            {"department": department, "form": UploadForm(), "preview": preview, "stale": True},
        )
    del request.session[SESSION_KEY]
    messages.success(request, _("已记录%(count)s项承诺的进展。") % {"count": len(preview.changes)})
    return redirect("department:commitments")
