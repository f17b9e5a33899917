"""The import page's two steps: paste or upload, then confirm (or re-match)."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals.access import office_required

from ... import importing
from ...parsing import parse_letter
from .import_forms import PasteForm, field_sources
from .letter_form import ImportForms

SOURCE_SALT = "letters.import.source"
SOURCE_MAX_AGE = 24 * 3600


# --------------------------------------------------------------------------- import views


def _source_lines(text, parsed):
    """The original's non-empty lines, each flagged when the parser did not recognise it."""
    unparsed = {line.strip() for line in parsed.unparsed}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [(line, line in unparsed) for line in lines]


def _preview(request, text, parsed, forms_, status=200):
    context = {
        "forms": forms_,
        "source": signing.dumps(text, salt=SOURCE_SALT, compress=True),
        "source_lines": _source_lines(text, parsed),
        "missing": parsed.missing,
        "sources": field_sources(parsed),
    }
    return render(request, "letters/preview.html", context, status=status)


@office_required
def import_letter(request):
    """Step 1: paste or upload; a letter goes on to the preview, anything else is sent back."""
    form = PasteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["letter_text"]
        parsed, draft = importing.draft_from_text(text)
        if draft is not None:
            return _preview(request, text, parsed, ImportForms.from_draft(draft, importing.Matcher()))
        return render(
            request,
            "letters/import.html",
            {"form": form, "not_a_letter": parsed.missing, "source_lines": _source_lines(text, parsed)},
        )
    return render(request, "letters/import.html", {"form": form})


@office_required
@require_POST
def import_confirm(request):
    """Step 2: save the confirmed letter in one transaction, or match the edited names again."""
    try:
        text = signing.loads(request.POST.get("source", ""), salt=SOURCE_SALT, max_age=SOURCE_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("导入内容已失效或被改动，请重新粘贴答复函。"))
        return redirect("letters:import")
    parsed = parse_letter(text)
    forms_ = ImportForms(request.POST, matcher=importing.Matcher())
    if request.POST.get("action") == "rematch":
        return _preview(request, text, parsed, forms_.rematched())
    if forms_.is_valid():
        letter = forms_.letter.cleaned_data
        try:
            result = importing.save_letter(
                forms_.draft(),
                forms_.resolution(),
                actor=request.user,
                publish=letter["publish"],
                disclosure=letter["disclosure"],
            )
        except importing.ImportRefused as refusal:
            forms_.problems.append(str(refusal))
        except ValidationError as error:
            forms_.problems.extend(error.messages)
        else:
            _report(request, result)
            return redirect("letters:import")
    return _preview(request, text, parsed, forms_)


def _report(request, result):
    reply = result.response
    messages.success(
        request,
        format_html(
            '已导入{}：{}的答复函（{}）。<a href="{}">打印视图</a> · <a href="{}">下载 Word</a>',
            result.proposal,
            reply.department,
            reply.get_status_display(),
            reverse("letters:print", args=[reply.pk]),
            reverse("letters:docx", args=[reply.pk]),
        ),
    )
    for line in result.created + result.notes:
        messages.info(request, line)
