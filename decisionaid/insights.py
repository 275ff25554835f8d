"""Clinic insights: what the daily tallies say about one topic over a range of days.

Everything comes from the de-identified tallies (decisionaid.tallies), never from visits, so the
numbers outlive the retention purge. Any count under 5 is shown as "fewer than 5", on the page
and in the CSV, so that no patient can be picked out. The charts are drawn by templates
(includes/bar_chart.html); this module only works out the numbers and the bars' geometry.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid import stages, tallies
from decisionaid.models import Answer, DailyTally
from decisionaid.stages.leaning import NOT_SURE_YET, READINESS
from topics.models import NOT_SURE, Topic

SMALLEST_SHOWN = 5

DEFAULT_DAYS = 30
# Bar chart geometry, in px; bar widths are a share of the chart's width.
ROW_HEIGHT = 48
BAR_HEIGHT = 18
LONGEST_BAR = 75  # percent: room for the count after the longest bar
LABEL_CHARS = 60
PERMISSION = "decisionaid.view_insights"


def fewer_than():
    return _("fewer than %(smallest)d") % {"smallest": SMALLEST_SHOWN}


def shown(count):
    return fewer_than() if count < SMALLEST_SHOWN else str(count)


def _cell(text):
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@dataclass(frozen=True)
class Row:
    label: str
    counts: tuple[int, ...]  # one per column of its chart; the bar shows the first

    @property
    def shown(self):
        return tuple(shown(c) for c in self.counts)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    width: float
    label_y: int
    bar_y: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    intro: str = ""
    item_heading: str = "Answer"

    @property
    def height(self):
        return ROW_HEIGHT * len(self.rows)

    @property
    def bars(self):
        """Each row's bar: a count under 5 gets no bar at all, only its words."""
        longest = max([r.counts[0] for r in self.rows if r.counts[0] >= SMALLEST_SHOWN] or [1])
        bars = []
        for i, row in enumerate(self.rows):
            count = row.counts[0] if row.counts[0] >= SMALLEST_SHOWN else 0
            top = i * ROW_HEIGHT
            label = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1]
            bars.append(
                Bar(
                    label=label + ("…" if label != row.label else ""),
                    text=row.shown[0],
                    width=round(LONGEST_BAR * count / longest, 1),
                    label_y=top + 16,
                    bar_y=top + 22,
                    text_y=top + 22 + BAR_HEIGHT - 4,
                )
            )
        return bars


@dataclass(frozen=True)
class Report:
    topic: Topic
    start: datetime.date
    end: datetime.date
    charts: tuple[Chart, ...]
    visits: int


class InsightsForm(forms.Form):
    topic = forms.ModelChoiceField(
        Topic.objects.filter(translation_of=None),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the topics listed.")},
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Use a date such as 2026-11-01.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Use a date such as 2026-11-30.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Choose a day on or after the first day."))
        return data


def default_form_data():
    today = timezone.localdate()
    topic = Topic.objects.filter(translation_of=None).order_by("title").first()
    return {
        "topic": topic.pk if topic else "",
        "start": (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        "end": today.isoformat(),
    }


def build_report(*, topic, start, end) -> Report:
    """The insights for one topic, for visits started from `start` to `end` (both included)."""
    totals = defaultdict(int)
    rows = (
        DailyTally.objects.filter(topic=topic, day__range=(start, end))
        .values_list("metric", "key")
        .annotate(total=Sum("count"))
    )
    for metric, key, total in rows:
        totals[metric, key] = total
    by_metric = defaultdict(dict)
    for (metric, key), total in totals.items():
        by_metric[metric][key] = total
    charts = [
        _visits(totals),
        _stopped(topic, by_metric[tallies.STOPPED]),
        _red_flags(by_metric[tallies.RED_FLAG]),
        _leaning(topic, by_metric[tallies.LEANING]),
        _knowledge(topic, by_metric),
        _readiness(by_metric[tallies.READINESS]),
        _leaning_fit(by_metric[tallies.LEANING_FIT]),
    ]
    visits = totals[tallies.STARTED, ""]
    return Report(topic, start, end, tuple(c for c in charts if c), visits)


def _one(label, count):
    return Row(label, (count,))


def _visits(totals):
    return Chart(
        "visits",
        _("Visits"),
        (_("Visits"),),
        (
            _one(_("Started"), totals[tallies.STARTED, ""]),
            _one(_("Finished"), totals[tallies.FINISHED, ""]),
        ),
        intro=_(
            "A visit that is never finished is counted when it is deleted, %(days)d days after it "
            "started, so the last few days may still grow."
        )
        % {"days": settings.DECISIONAID_RETENTION_DAYS},
        item_heading=_("Visits"),
    )


def _stopped(topic, counts):
    places = [(s.slug, s.heading(topic)) for s in stages.STAGES]
    places.append((tallies.REVIEW, stages.REVIEW_TITLE))
    return Chart(
        "stopped",
        _("Where unfinished visits stopped"),
        (_("Unfinished visits"),),
        tuple(_one(title, counts.get(slug, 0)) for slug, title in places),
        intro=_("The step each unfinished visit had reached and not yet answered."),
        item_heading=_("Step"),
    )


def _outcome_label(value):
    try:
        return Answer.Outcome(value).label
    except ValueError:
        return value


def _red_flags(counts):
    outcomes = sorted(set(counts) | {Answer.Outcome.FLAG})
    return Chart(
        "red-flags",
        _("Red flags"),
        (_("Visits"),),
        tuple(_one(_outcome_label(o), counts.get(o, 0)) for o in outcomes),
        intro=_("Visits, finished or not, in which the patient ticked at least one warning sign."),
        item_heading=_("Kind"),
    )


def _leaning(topic, counts):
    titles = {o.key: o.title for o in topic.options.all()} | {NOT_SURE: NOT_SURE_YET}
    keys = [*titles, *sorted(set(counts) - set(titles))]
    return Chart(
        "leaning",
        _("Where finished visits were leaning"),
        (_("Visits"),),
        tuple(_one(titles.get(k, k), counts.get(k, 0)) for k in keys),
        item_heading=_("Option"),
    )


def _knowledge(topic, by_metric):
    wrong = by_metric[tallies.KNOWLEDGE + Answer.Outcome.WRONG]
    unsure = by_metric[tallies.KNOWLEDGE + Answer.Outcome.UNSURE]
    correct = by_metric[tallies.KNOWLEDGE + Answer.Outcome.CORRECT]
    statements = {k.key: k.statement for k in topic.knowledge.all()}
    keys = [*statements, *sorted((set(wrong) | set(unsure) | set(correct)) - set(statements))]
    rows = [
        Row(
            statements.get(k, k),
            (
                wrong.get(k, 0) + unsure.get(k, 0),
                wrong.get(k, 0),
                unsure.get(k, 0),
                correct.get(k, 0),
            ),
        )
        for k in keys
    ]
    return Chart(
        "knowledge",
        _("Knowledge statements most often wrong or not sure"),
        (_("Wrong or not sure"), _("Wrong"), _("Not sure"), _("Correct")),
        tuple(sorted(rows, key=lambda r: -r.counts[0])),
        intro=_("From the understanding check of finished visits, the most missed first."),
        item_heading=_("Statement"),
    )


def _readiness(counts):
    top = len(READINESS)
    return Chart(
        "readiness",
        _("Readiness scores"),
        (_("Visits"),),
        tuple(
            _one(_("%(score)d of %(top)d") % {"score": n, "top": top}, counts.get(str(n), 0))
            for n in range(top, -1, -1)
        ),
        intro=_("How many of the %(top)d readiness questions finished visits answered yes.")
        % {"top": top},
        item_heading=_("Score"),
    )


def _leaning_fit(counts):
    """Shown once decisionaid.tallies.leaning_fits_values can tell (nothing is counted before)."""
    if not counts:
        return None
    return Chart(
        "leaning-fit",
        _("Does the leaning fit what matters most?"),
        (_("Visits"),),
        (
            _one(_("Fits what the patient said matters most"), counts.get(tallies.FITS, 0)),
            _one(_("Does not fit"), counts.get(tallies.DOES_NOT_FIT, 0)),
        ),
        item_heading=_("Leaning"),
    )


# --- views ---


def insights_reader_required(view):
    """Sign in first; then the view_insights permission, or a 403 page that says why."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return render(request, "staff/insights_forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _form(request):
    return InsightsForm(request.GET if "topic" in request.GET else default_form_data())


@insights_reader_required
def insights(request):
    form = _form(request)
    report = build_report(**form.cleaned_data) if form.is_valid() else None
    return render(request, "staff/insights.html", {"form": form, "report": report})


@insights_reader_required
def insights_csv(request):
    form = _form(request)
    if not form.is_valid():
        return insights(request)
    report = build_report(**form.cleaned_data)
    name = f"insights-{report.topic.slug}-{report.start}-to-{report.end}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    writer = csv.writer(response)
    writer.writerow(["topic", "from", "to", "section", "item", "measure", "count"])
    for chart in report.charts:
        for row in chart.rows:
            for measure, count in zip(chart.columns, row.shown, strict=True):
                cells = (report.topic.slug, report.start, report.end, chart.title, row.label)
                writer.writerow([*map(_cell, cells), measure, count])
    return response
