"""The staff side: finished visits by day, finding a visit by its code, and its sheet.

Reading sheets needs the `decisionaid.read_sheet` permission, which the clinician and front desk
groups have (migration 0004). Anyone not signed in is sent to the login page first; a signed-in
user without the permission gets a 403.
"""

import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid import fhir, services
from decisionaid.api import fhir_base, fhir_response
from decisionaid.models import CODE_LENGTH, SheetAccess, Visit, normalize_code
from decisionaid.pdf import render_sheet_pdf
from decisionaid.sheet import build_sheet, flag_groups, own_words

EARLIEST_DAY = datetime.date(2000, 1, 1)

log = logging.getLogger(__name__)
TOO_MANY_LOOKUPS = gettext_lazy(
    "Too many look-ups in one minute. Please wait a minute, then try the code again."
)


def sheet_reader_required(view):
    """Sign in first, then the read_sheet permission, or a 403 page that says why."""
    return login_required(permission_required("decisionaid.read_sheet", raise_exception=True)(view))


class DayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Show another day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Choose a date."),
            "invalid": gettext_lazy(
                "That date was not understood. Choose a date, for example 2026-11-22."
            ),
        },
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or an earlier day."))
        if day < EARLIEST_DAY:
            raise forms.ValidationError(_("Choose a more recent day."))
        return day


class FindForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Find a visit by its code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": gettext_lazy("Type the code from the patient's screen."),
            "max_length": gettext_lazy("A code has 6 letters and numbers."),
        },
    )

    def __init__(self, *args, refused=False, **kwargs):
        """`refused`: too many look-ups this minute; say so, and look nothing up."""
        super().__init__(*args, **kwargs)
        self.refused = refused

    def clean_code(self):
        if self.refused:
            raise forms.ValidationError(TOO_MANY_LOOKUPS)
        code = normalize_code(self.cleaned_data["code"])
        visit = Visit.objects.active().filter(code=code).first()
        if visit is None:
            raise forms.ValidationError(
                _(
                    "No visit has the code %(code)s. Check it against the patient's screen. "
                    "Codes are kept for a few days only."
                )
                % {"code": code}
            )
        if not visit.is_finished and not visit.emergency_at:
            raise forms.ValidationError(
                _("Visit %(code)s is not finished yet. The patient needs to press Finish first.")
                % {"code": code}
            )
        self.visit = visit
        return code


def _day_bounds(day):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _visits_page(request, day_form, find_form):
    day = day_form.cleaned_data["date"] if day_form.is_valid() else timezone.localdate()
    bounds = _day_bounds(day)
    visits = (
        Visit.objects.active()
        .filter(Q(finished_at__range=bounds) | Q(emergency_at__range=bounds))
        .select_related("topic")
        .prefetch_related("answers")
        # Emergencies first, finished or not; then the newest finished.
        .order_by(F("emergency_at").desc(nulls_last=True), F("finished_at").desc(nulls_first=True))
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
    """Visits of one day (today unless another is chosen): emergencies first, whether finished
    or not, then the finished ones, newest first."""
    data = request.GET if "date" in request.GET else None
    day_form = DayForm(data, initial={"date": timezone.localdate()})
    return _visits_page(request, day_form, FindForm())


@sheet_reader_required
def find(request):
    """Find a visit by the code on the patient's screen. Each look-up is logged, and a user
    may make DECISIONAID_FIND_PER_MINUTE of them a minute: codes cannot be guessed in bulk."""
    day_form = DayForm(initial={"date": timezone.localdate()})
    user = request.user.get_username()
    refused = _too_many_lookups(request.user)
    form = FindForm(request.GET, refused=refused)
    if refused:
        log.warning("Find by code: %s was refused: too many look-ups this minute", user)
        form.is_valid()
        response = _visits_page(request, day_form, form)
        response.status_code = 429
        return response
    found = form.is_valid()
    code = normalize_code(request.GET.get("code", ""))[: CODE_LENGTH + 2]
    log.info("Find by code: %s looked up %r: %s", user, code, "found" if found else "not found")
    if found:
        return redirect(form.visit)
    return _visits_page(request, day_form, form)


def _too_many_lookups(user):
    """Count this look-up in the user's current minute (in the cache, so per app server)."""
    key = f"staff-find:{user.pk}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    return cache.incr(key) > settings.DECISIONAID_FIND_PER_MINUTE


def _finished_visit(token):
    """An unexpired visit by its token, once finished, or at once when the patient ticked an
    emergency sign. Expired visits are gone even before the purge."""
    visits = Visit.objects.active().for_staff().select_related("topic", "content_topic")
    return get_object_or_404(visits.prefetch_related("answers"), token=token)


@sheet_reader_required
def sheet(request, token):
    visit = _finished_visit(token)
    services.record_access(visits=[visit], kind=SheetAccess.Kind.SHEET, user=request.user)
    context = {
        "sheet": build_sheet(visit),
        "autoprint": request.GET.get("print") == "1",
        # An editor who also reads sheets can open the content version the patient saw.
        "version_link": request.user.is_staff
        and request.user.has_perm("topics.view_contentsnapshot"),
    }
    return render(request, "staff/sheet.html", context)


@sheet_reader_required
def sheet_pdf(request, token):
    visit = _finished_visit(token)
    pdf = render_sheet_pdf(build_sheet(visit), paper=request.GET.get("paper"))
    services.record_access(visits=[visit], kind=SheetAccess.Kind.PDF, user=request.user)
    filename = f"discussion-sheet-{visit.code}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@sheet_reader_required
def sheet_fhir(request, token):
    """The visit's answers as a FHIR QuestionnaireResponse, to attach to the patient's record."""
    visit = _finished_visit(token)
    resource = fhir.questionnaire_response(visit, fhir_base(request))
    services.record_access(visits=[visit], kind=SheetAccess.Kind.FHIR, user=request.user)
    filename = f"questionnaire-response-{visit.code}.json"
    return fhir_response(resource, **{"Content-Disposition": f'attachment; filename="{filename}"'})
