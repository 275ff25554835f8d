"""The discussion sheet: what page 1 says and in what order, the evidence page, print and PDF."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from weasyprint.urls import URLFetchingError

from decisionaid.pdf import BASE_URL, StaticFileFetcher, render_sheet_pdf
from decisionaid.sheet import build_sheet
from tests.conftest import keep
from tests.pdftext import paper_name, pdf_pages
from tests.visits import CALM_ANSWERS

RED_FLAG = {"safety": {"flags": ["fever"]}}
EMERGENCY = {"safety": {"flags": ["bladder-bowel", "fever"]}}
NOTHING_TRIED = {"history": {"tried-exercise": "no", "tried-manipulation": "no"}}
UNSURE = {
    "understanding": {"shots-alone": "true", "slow-improvement": "not-sure"},
    "leaning": {"choice": "not-sure", "ready-settled": "no", "ready-support": "no"},
}
ALL_RED_FLAGS = [
    "saddle-numbness",
    "bladder-bowel",
    "leg-weakness",
    "fall-or-accident",
    "fever",
    "weight-loss",
    "cancer-history",
    "night-pain",
]
# Every flag the shipped topic can raise, every tailored answer, every question ticked, a
# leaning at odds with six values rated 5, and the widest letter in every box the patient can
# type: the heaviest page 1 a patient can produce.
HEAVIEST = {
    "safety": {"flags": ALL_RED_FLAGS},
    "history": {
        "pain-duration": "under-3-months",
        "pain-now": "10",
        "below-knee": "not-sure",
        "daily-life": "a-lot",
        "do-again": "W" * 200,
        "tried-exercise": "no",
        "tried-manipulation": "no",
        "tried-other": "could-not-keep-up",
        "back-injections": "not-sure",
        "needles": "a-lot",
        "numbing-allergy": "not-sure",
        "blood-thinners": "not-sure",
        "every-two-weeks": "no",
        "cost-worry": "yes",
    },
    "understanding": {
        "shots-alone": "true",
        "credit-with-other-care": "true",
        "exercise-first": "not-sure",
        "serious-harm": "false",
        "slow-improvement": "not-sure",
    },
    "values": dict.fromkeys(
        [
            "try-everything",
            "something-new",
            "done-at-clinic",
            "avoid-needles",
            "guideline-advice",
            "avoid-rare-risks",
        ],
        "5",
    ),
    "leaning": {
        "choice": "wait-and-review",
        "ready-settled": "no",
        "ready-understand": "no",
        "ready-priorities": "no",
        "ready-support": "no",
    },
    "questions": {
        "suggested": [
            "right-for-me",
            "exercise-first",
            "who-gives-shots",
            "after-a-shot",
            "cost-cover",
            "how-we-know",
        ],
        "own": "a\nb\nc\nd\ne\n" + "W" * 489,
    },
}
PAGE_ONE_HEADINGS = [
    "Flags: check these first",
    "What has been tried, and for how long",
    "Leaning toward",
    "What matters most to them",
    "Their questions",
]


def text(html):
    return " ".join(unescape(strip_tags(html)).split())


def section(html, name):
    """The visible text of one page-1 section of the sheet."""
    match = re.search(rf'<section[^>]*aria-labelledby="sheet-{name}".*?</section>', html, re.S)
    assert match, f"no {name} section"
    return text(match.group(0))


def open_sheet(make_staff, visit):
    response = make_staff("clinician").get(visit.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- page 1: what it says, and in what order ---


def test_page_one_sections_come_in_order_of_urgency(visits, make_staff):
    html = text(open_sheet(make_staff, visits.finish(RED_FLAG)))
    positions = [html.index(heading) for heading in PAGE_ONE_HEADINGS]
    assert positions == sorted(positions)
    assert html.index("Their questions") < html.index("Evidence summary")


def test_a_red_flag_is_the_first_thing_on_the_sheet(visits, make_staff):
    html = open_sheet(make_staff, visits.finish({**RED_FLAG, **UNSURE}))
    flags = section(html, "flags")
    assert flags.startswith(
        "1 Flags: check these first ⚠ See a doctor soon You have a fever as well"
    )
    order = ["See a doctor soon", "Misunderstood", "Not sure about", "Readiness 2 of 4"]
    order.append("Not sure yet")
    assert [flags.index(label) for label in order] == sorted(flags.index(la) for la in order)
    assert "Your pain is very bad at night" not in flags
    assert "EMERGENCY" not in text(html)


def test_an_emergency_sign_comes_above_everything_in_words(visits, make_staff):
    html = open_sheet(make_staff, visits.finish({**EMERGENCY, **UNSURE}))
    page = text(html)
    assert page.index("EMERGENCY: the patient ticked a sign that needs help now") < page.index(
        "Flags: check these first"
    )
    flags = section(html, "flags")
    assert flags.startswith(
        "1 Flags: check these first ⚠ EMERGENCY sign New trouble peeing, or you have newly "
        "lost control of your bladder or bowels. ⚠ See a doctor soon You have a fever"
    )


def test_an_emergency_sign_ticked_then_unticked_is_still_on_the_sheet(journey, make_staff):
    visit = journey.start()
    journey.answer("safety", flags=["saddle-numbness"])
    visit = journey.finish()  # answers again, with "None of these"
    flags = section(open_sheet(make_staff, visit), "flags")
    assert flags.startswith("1 Flags: check these first ⚠ EMERGENCY sign Ticked an emergency")
    assert "then unticked it." in flags


def test_the_sheet_tells_a_wrong_answer_from_not_sure(visits, make_staff):
    flags = section(open_sheet(make_staff, visits.finish(UNSURE)), "flags")
    assert (
        "Misunderstood Answered wrongly: In trials, prolotherapy shots on their own did better "
        "than comparison shots. Said: True. It is false." in flags
    )
    assert (
        "Not sure about Many people whose back pain has lasted a while get slowly better over "
        "time, whatever they choose. It is true." in flags
    )
    assert "Guidelines advise trying exercise first" not in flags


def test_low_readiness_shows_the_score_and_the_items_answered_no(visits, make_staff):
    flags = section(open_sheet(make_staff, visits.finish(UNSURE)), "flags")
    assert "Readiness 2 of 4 Said no or not sure:" in flags
    assert "I feel settled about which option is right for me." in flags
    assert "I have the help and advice I need to choose." in flags
    assert "I understand the good points" not in flags
    assert "Not sure yet Has not chosen an option yet." in flags


def test_what_has_been_tried_is_a_table_of_short_labels_and_answers(visits, make_staff):
    html = open_sheet(make_staff, visits.finish(NOTHING_TRIED))
    flags = section(html, "flags")
    assert "Note Advice tailored to 2 answers, marked ✎with a pencil in section 2." in flags
    assert "See a doctor soon" not in flags
    tried = section(html, "tried")
    for row in [
        "Pain for 3 to 12 months",
        "Pain now 6 out of 10",
        "Pain below the knee No",
        "✎ Exercise program Not tried (advice shown)",
        "✎ Spinal manipulation Not tried (advice shown)",
        "Other treatments Tried, helped a little",
        "Earlier back shots No",
        "Fear of needles None",
        "Numbing medicine allergy No",
        "Blood thinner or bleeding problem No",
        "Can come every 2 weeks Yes",
        "Worried about cost No",
    ]:
        assert row in tried, row
    # What the patient typed is shown as typed, in quotation marks.
    assert '<q class="typed">Walk the dog</q>' in html


def test_a_confident_patient_gets_no_flags_their_leaning_and_ranked_values(visits, make_staff):
    html = open_sheet(make_staff, visits.finish())
    assert section(html, "flags") == (
        "1 Flags: check these first ✓ No flags: no warning signs, no knowledge gaps, "
        "readiness 4 of 4, and an option chosen."
    )
    assert section(html, "leaning") == (
        "3 Leaning toward Exercise or spinal manipulation, without shots "
        "· Readiness check: 4 of 4 answered “Yes” Read every Learn screen. Said most "
        "important: following guideline advice. That points toward this option."
    )
    values = section(html, "values")
    ranked = [
        "5 of 5 following guideline advice",
        "4 of 5 avoiding rare but serious risks",
        "3 of 5 avoiding needles",
        "2 of 5 trying something new",
        "2 of 5 a treatment given at the clinic",
        "1 of 5 trying every treatment that might help",
    ]
    assert [values.index(v) for v in ranked] == sorted(values.index(v) for v in ranked)


@pytest.mark.parametrize(
    "choice, values, fit",
    [
        (
            "prolo-alone",
            {"avoid-needles": "5", "guideline-advice": "5"},
            "Said most important: avoiding needles and following guideline advice. That points "
            "toward Exercise or manipulation or Wait and review. Worth talking over.",
        ),
        (
            "prolo-alone",
            {"try-everything": "5", "avoid-rare-risks": "5", "guideline-advice": "4"},
            "Said most important: trying every treatment that might help and avoiding rare but "
            "serious risks. Some of that points toward this option, some toward Exercise or "
            "manipulation or Wait and review. Worth talking over.",
        ),
        (
            "wait-and-review",
            {"avoid-needles": "4", "guideline-advice": "3"},
            "Said most important: avoiding needles. That points toward this option.",
        ),
    ],
)
def test_the_sheet_says_whether_the_leaning_fits_what_matters_most(
    visits, make_staff, choice, values, fit
):
    calm = dict.fromkeys(CALM_ANSWERS["values"], "1")
    visit = visits.finish({"values": {**calm, **values}, "leaning": {"choice": choice}})
    leaning = section(open_sheet(make_staff, visit), "leaning")
    assert leaning.endswith(fit)


def test_no_fit_is_claimed_without_a_choice_or_a_strong_value(visits, make_staff):
    unsure = section(open_sheet(make_staff, visits.finish(UNSURE)), "leaning")
    assert "Said most important" not in unsure
    lukewarm = dict.fromkeys(CALM_ANSWERS["values"], "3")
    visit = visits.finish({"values": lukewarm})
    assert "Said most important" not in section(open_sheet(make_staff, visit), "leaning")


def test_questions_show_the_ticked_ones_and_the_own_words_with_line_breaks(visits, make_staff):
    visit = visits.finish(
        {"questions": {"suggested": ["cost-cover"], "own": "Can I keep working?\nAnd drive?"}}
    )
    html = open_sheet(make_staff, visit)
    questions = section(html, "questions")
    assert "☑ What will it cost, and will my insurance pay for any of it?" in questions
    assert "Should I try an exercise program" not in questions
    assert "Can I keep working?<br>And drive?" in html


def test_the_own_words_are_escaped_on_the_sheet(visits, make_staff):
    visit = visits.finish({"questions": {"own": "<script>alert(1)</script>\n<b>bold</b>"}})
    html = open_sheet(make_staff, visit)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html
    assert "<b>bold" not in html


def test_the_sheet_says_when_the_content_changed_after_the_visit(visits, make_staff):
    visit = visits.finish()
    type(visit.topic).objects.filter(pk=visit.topic_id).update(content_version="newer123")
    html = text(open_sheet(make_staff, visit))
    assert (
        f"Content has changed since this visit. The patient answered version "
        f"{visit.content_version}; page 1 shows the wording they saw. This page shows the "
        "current content, version newer123." in html
    )
    assert f"content version {visit.content_version} (now newer123)" in html


def test_an_unchanged_topic_gets_no_content_change_note(visits, make_staff):
    assert "Content has changed" not in open_sheet(make_staff, visits.finish())


# --- page 2 and the footer ---


def test_the_evidence_page_shows_every_option_with_certainty_risks_and_citations(
    visits, make_staff
):
    html = text(open_sheet(make_staff, visits.finish()))
    evidence = html[html.index("Evidence summary") :]
    for title in [
        "Prolotherapy together with exercise or spinal manipulation",
        "Prolotherapy on its own",
        "Exercise or spinal manipulation, without shots",
        "Keep on with my current care, wait and review",
    ]:
        assert title in evidence
    assert "Shots on their own have not been shown to help." in evidence
    assert "comparison shots. This was true for pain" in evidence
    assert "Certainty: Moderate. [" in evidence
    assert "Nerve damage (rare, serious). The most serious risk." in evidence
    # What is word for word the same for both kinds of shots is printed once, then referred to.
    assert evidence.count("Nerve damage") == 1
    assert (
        "The same 2 harms and 2 serious risks as Shots plus exercise or manipulation, above."
        in evidence
    )
    assert (
        "Hayden JA et al. Exercise therapy for chronic low back pain. Cochrane Database of "
        "Systematic Reviews 2021. doi:10.1002/14651858.CD009790.pub2" in evidence
    )
    # Who wrote it, who paid, the dates and the update policy (IPDAS).
    assert (
        "Published 22 Nov 2026 · evidence last searched 1 Dec 2026 · last reviewed 1 Dec 2026 "
        "· next review due 1 Dec 2027." in evidence
    )
    assert "Written by decisionaid content team; reviewed by Clinical lead, decisionaid." in (
        evidence
    )
    assert "Funding: This aid had no outside funding." in evidence
    assert "Updates: We check the evidence in this aid once a year." in evidence


def test_citation_numbers_point_at_the_numbered_sources(visits):
    sheet = build_sheet(visits.finish())
    first = sheet.options[0].benefits[0]
    numbers = [int(n) for n in first.refs.split(", ")]
    cited = {sheet.citations[n - 1].key for n in numbers}
    assert cited == {"hayden2021"}
    harms = sheet.options[0].harms[0]
    cited = {sheet.citations[int(n) - 1].key for n in harms.refs.split(", ")}
    assert cited == {"cadth2014", "chou2009review", "dagenais2007"}


def test_the_footer_names_topic_version_evidence_date_code_and_time(visits, make_staff):
    visit = visits.finish()
    html = open_sheet(make_staff, visit)
    footer = text(re.search(r'<footer class="sheet-footer">.*?</footer>', html, re.S).group(0))
    finished = visit.finished_at.strftime("%-d %b %Y, %H:%M")
    assert footer == (
        f"Prolotherapy for chronic low back pain · content version {visit.content_version} "
        f"· evidence reviewed 1 Dec 2026 Visit code {visit.code} · finished {finished}"
    )


# --- print ---


def test_the_printable_sheet_has_no_navigation_or_buttons(visits, make_staff):
    html = open_sheet(make_staff, visits.finish())
    sheet = re.search(r'<article class="sheet.*?</article>', html, re.S).group(0)
    for tag in ("<nav", "<button", "<form", "<a ", 'class="btn'):
        assert tag not in sheet
    toolbar = re.search(r'<div class="sheet-toolbar no-print".*?</div>\s*<p', html, re.S)
    assert '<button type="button" class="btn btn-primary" data-print hidden>Print</button>' in (
        toolbar.group(0)
    )
    assert '<header class="site-header no-print">' in html


def test_the_print_button_needs_no_inline_script(visits, make_staff):
    html = open_sheet(make_staff, visits.finish())
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/staff.js" defer>']
    assert " style=" not in html
    assert "window.print()" in (settings.BASE_DIR / "static/js/staff.js").read_text()


# --- PDF ---


def test_the_pdf_has_the_sheet_on_page_one_and_the_evidence_on_page_two(visits):
    visit = visits.finish(RED_FLAG)
    pdf = render_sheet_pdf(build_sheet(visit))
    keep("sheets/typical.pdf", pdf)
    assert pdf.startswith(b"%PDF")
    first, second = pdf_pages(pdf)
    assert visit.code in first
    for heading in ["FLAGS: CHECK THESE FIRST", "THEIR QUESTIONS", "Can I keep working?"]:
        assert heading in first
    assert "Evidence summary" not in first
    assert second.startswith("Evidence summary")
    # The page numbers come from sheet.css: proof that the stylesheet was loaded.
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert f"Visit code {visit.code}" in second


@pytest.mark.parametrize("paper, size", [("a4", "A4"), ("letter", "letter")])
def test_the_heaviest_possible_page_one_still_fits_on_one_page(visits, paper, size):
    sheet = build_sheet(visits.finish(HEAVIEST))
    pdf = render_sheet_pdf(sheet, paper=paper)
    keep(f"sheets/heaviest-{paper}.pdf", pdf)
    assert paper_name(pdf) == size
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert "EMERGENCY" in pages[0] and "You have a fever" in pages[0]
    assert "Worth talking over." in pages[0]
    assert "How will we know if a treatment is working" in pages[0]
    assert "WWWWWWWWWW\n" in pages[0] and pages[0].count("W") >= 489
    assert pages[1].startswith("Evidence summary")


def test_a_typical_sheet_prints_in_the_larger_type(visits):
    assert not build_sheet(visits.finish({**RED_FLAG, **UNSURE, **NOTHING_TRIED})).compact
    assert build_sheet(visits.finish(HEAVIEST)).compact


def test_the_pdf_shows_typed_markup_as_text(visits):
    visit = visits.finish({"questions": {"own": "<script>alert(1)</script>"}})
    first, _ = pdf_pages(render_sheet_pdf(build_sheet(visit)))
    assert "<script>alert(1)</script>" in first


def test_the_pdf_fetcher_reads_static_files_from_disk():
    response = StaticFileFetcher().fetch(f"{BASE_URL}static/css/sheet.css")
    assert response.read() == Path(settings.BASE_DIR / "static/css/sheet.css").read_bytes()
    assert response.content_type == "text/css"


def test_the_pdf_fetcher_reads_collected_files_by_their_hashed_names(settings, tmp_path):
    """After collectstatic, {% static %} names files that exist only in STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css/sheet.1a2b3c.css").write_text("body { color: black; }")
    (tmp_path.parent / "outside.css").write_text("body { color: red; }")
    response = StaticFileFetcher().fetch(f"{BASE_URL}static/css/sheet.1a2b3c.css")
    assert response.read() == b"body { color: black; }"
    for outside in ["static/../outside.css", "static/css/../../outside.css"]:
        with pytest.raises(URLFetchingError):
            StaticFileFetcher().fetch(f"{BASE_URL}{outside}")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/sheet.css",
        "http://127.0.0.1:8000/static/css/sheet.css",
        f"{BASE_URL}admin/",
        f"{BASE_URL}static/../decisionaid/settings.py",
        f"{BASE_URL}static/%2e%2e/decisionaid/settings.py",
        f"{BASE_URL}static/css/missing.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_pdf_fetcher_refuses_everything_else(url):
    with pytest.raises(URLFetchingError):
        StaticFileFetcher().fetch(url)


def test_page_two_balances_its_columns_and_keeps_every_option_and_source_in_order(visits):
    sheet = build_sheet(visits.finish(CALM_ANSWERS))
    left, right = sheet.evidence_columns
    assert [o.title for o in left + right] == [o.title for o in sheet.options]
    lengths = [sum(o.length for o in column) for column in (left, right)]
    # No other cut of the options in order makes the longer column shorter.
    options = list(sheet.options)
    best = min(
        max(sum(o.length for o in options[:cut]), sum(o.length for o in options[cut:]))
        for cut in range(1, len(options))
    )
    assert max(lengths) == best
    starts = [start for start, _column in sheet.source_columns]
    numbered = [c for _start, column in sheet.source_columns for c in column]
    assert numbered == list(sheet.citations) and starts[0] == 1 and len(starts) == 3
    html = render_to_string("includes/sheet.html", {"sheet": sheet, "pdf": True})
    for start in starts:
        assert f'<ol class="sources-column" start="{start}">' in html
