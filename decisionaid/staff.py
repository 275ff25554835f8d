"""The staff side: finished visits by day, finding a visit by its code, and its sheet.

Only members of the sheet-reading groups (and superusers) may read sheets. Anyone not signed in
is sent to the login page first; a signed-in user without the right group gets a 403.
"""

import datetime
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from decisionaid.models import Answer, Visit
from decisionaid.pdf import render_sheet_pdf
from decisionaid.roles import SHEET_READERS as SHEET_READER_GROUPS
from decisionaid.sheet import FLAG_STAGES, build_sheet, flag_groups, own_words

EARLIEST_DAY = datetime.date(2000, 1, 1)


def can_read_sheets(user):
    """Sheet readers: active members of the clinician or front desk group, and superusers."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=SHEET_READER_GROUPS).exists()


def sheet_reader_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_sheets(request.user):
            raise PermissionDenied(
                "Reading discussion sheets needs the clinician or front desk role."
            )
        return view(request, *args, **kwargs)

    return wrapper


class DayForm(forms.Form):
    date = forms.DateField(
        label="Show another day",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Choose a date.",
            "invalid": "That date was not understood. Choose a date, for example 2026-11-22.",
        },
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Choose today or an earlier day.")
        if day < EARLIEST_DAY:
            raise forms.ValidationError("Choose a more recent day.")
        return day


class FindForm(forms.Form):
    code = forms.CharField(
        label="Find a visit by its code",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": "Type the code from the patient's screen.",
            "max_length": "A code has 6 letters and numbers.",
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        visit = Visit.objects.active().filter(code=code).first()
        if visit is None:
            raise forms.ValidationError(
                f"No visit has the code {code}. Check it against the patient's screen. "
                "Codes are kept for a few days only."
            )
        if not visit.is_finished:
            raise forms.ValidationError(
                f"Visit {code} is not finished yet. The patient needs to press Finish first."
            )
        self.visit = visit
        return code


def _day_bounds(day):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _visits_page(request, day_form, find_form):
    day = day_form.cleaned_data["date"] if day_form.is_valid() else timezone.localdate()
    # Only the answers that raise flags, and the patient's own words.
    answers = Answer.objects.filter(Q(stage__in=FLAG_STAGES) | Q(item="questions:own"))
    visits = (
        Visit.objects.active()
        .filter(finished_at__range=_day_bounds(day))
        .select_related("topic")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("-finished_at")
    )
    rows = [(v, flag_groups(v), own_words(v)) for v in visits]
    context = {
        "day": day,
        "is_today": day == timezone.localdate(),
        "rows": rows,
        "day_form": day_form,
        "find_form": find_form,
    }
    return render(request, "staff/visits.html", context)


@sheet_reader_required
def visits(request):
    """Finished visits of one day (today unless another is chosen), newest first."""
    data = request.GET if "date" in request.GET else None
    day_form = DayForm(data, initial={"date": timezone.localdate()})
    return _visits_page(request, day_form, FindForm())


@sheet_reader_required
def find(request):
    form = FindForm(request.GET)
    if form.is_valid():
        return redirect(form.visit)
    return _visits_page(request, DayForm(initial={"date": timezone.localdate()}), form)


def _finished_visit(token):
    """A finished, unexpired visit by its token; expired ones are gone even before the purge."""
    visits = Visit.objects.active().finished().select_related("topic")
    return get_object_or_404(visits, token=token)


@sheet_reader_required
def sheet(request, token):
    context = {
        "sheet": build_sheet(_finished_visit(token)),
        "autoprint": request.GET.get("print") == "1",
    }
    return render(request, "staff/sheet.html", context)


@sheet_reader_required
def sheet_pdf(request, token):
    visit = _finished_visit(token)
    pdf = render_sheet_pdf(build_sheet(visit), paper=request.GET.get("paper"))
    filename = f"discussion-sheet-{visit.code}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
