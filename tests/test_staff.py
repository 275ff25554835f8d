"""The staff side: sign-in, roles, the list of finished visits, finding a visit, the sheet and
its PDF, the hand-off QR code, and retention."""

import io
import re
from html import unescape
from urllib.parse import quote

import pytest
import segno
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from decisionaid.models import Answer, Visit
from decisionaid.pdf import paper_size
from tests.clients import Client
from tests.pdftext import paper_name

VISITS = reverse("staff:visits")
FIND = reverse("staff:find")


def staff_urls(visit):
    return [
        VISITS,
        f"{VISITS}?date=2026-01-01",
        f"{FIND}?code={visit.code}",
        visit.get_absolute_url(),
        reverse("staff:sheet_pdf", kwargs={"token": visit.token}),
    ]


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def move(visit, **fields):
    Visit.objects.filter(pk=visit.pk).update(**fields)
    visit.refresh_from_db()
    return visit


# --- signing in, and who may read sheets ---


def test_anonymous_users_are_sent_to_login_from_every_staff_url(visits, client):
    visit = visits.finish()
    anonymous = Client()
    for url in staff_urls(visit):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={quote(url, safe='/')}"


def test_scanning_the_qr_code_leads_through_login_to_the_sheet(visits):
    visit = visits.finish()
    User.objects.create_user("desk", password="a long desk password").groups.add(
        Group.objects.get(name="front desk")
    )
    phone = Client()
    login = phone.get(visit.get_absolute_url(), follow=True)
    assert "Staff sign in" in text(login)
    response = phone.post(
        reverse("login"),
        {
            "username": "desk",
            "password": "a long desk password",
            "next": visit.get_absolute_url(),
        },
    )
    assert response.url == visit.get_absolute_url()
    assert visit.code in text(phone.get(response.url))


def test_a_wrong_password_says_so(db):
    response = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in text(response)


def test_logout_needs_a_post(make_staff):
    staff = make_staff("clinician")
    assert staff.get(reverse("logout")).status_code == 405
    response = staff.post(reverse("logout"))
    assert response.url == reverse("login")
    assert staff.get(VISITS).status_code == 302


@pytest.mark.parametrize("group", ["clinician", "front desk"])
def test_clinicians_and_front_desk_can_read_sheets(visits, make_staff, group):
    visit = visits.finish()
    staff = make_staff(group)
    for url in staff_urls(visit):
        assert staff.get(url, follow=True).status_code == 200, url


def test_a_superuser_can_read_sheets(visits, make_staff):
    visit = visits.finish()
    assert make_staff(None, is_superuser=True).get(visit.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("group", [None, "content editor"])
def test_other_signed_in_users_get_a_friendly_403(visits, make_staff, group):
    visit = visits.finish()
    staff = make_staff(group, is_staff=True)
    for url in staff_urls(visit):
        response = staff.get(url)
        assert response.status_code == 403, url
        assert "You do not have access to this page" in text(response)
        assert "not in the clinician or front desk group" in text(response)
        assert visit.code not in text(response)


def test_an_inactive_member_cannot_read_sheets(visits, make_staff):
    visit = visits.finish()
    staff = make_staff("clinician")
    User.objects.filter(groups__name="clinician").update(is_active=False)
    assert staff.get(visit.get_absolute_url()).status_code == 302


def test_content_editors_can_use_the_topics_admin(make_staff):
    editor = make_staff("content editor", is_staff=True)
    assert editor.get(reverse("admin:topics_topic_changelist")).status_code == 200
    assert editor.get(reverse("admin:topics_option_changelist")).status_code == 200
    assert editor.get(reverse("admin:topics_citation_add")).status_code == 200
    assert editor.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_the_role_groups_exist_with_their_permissions(db):
    topics_perms = set(Permission.objects.filter(content_type__app_label="topics"))
    insights = Permission.objects.get(codename="view_insights")
    editor = Group.objects.get(name="content editor")
    assert set(editor.permissions.all()) == topics_perms | {insights}
    codenames = {p.codename for p in topics_perms}
    for action in ("add", "change", "delete", "view"):
        assert f"{action}_topic" in codenames
        assert f"{action}_evidence" in codenames
        assert f"{action}_historicalevidence" in codenames
        assert f"{action}_contentsnapshot" in codenames
    for name, expected in [
        ("clinician", ["decisionaid.read_sheet", "decisionaid.view_insights"]),
        ("front desk", ["decisionaid.read_sheet"]),
    ]:
        perms = Group.objects.get(name=name).permissions.all()
        assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms) == expected


# --- the hand-off ---


def test_the_finish_screen_has_a_qr_code_for_the_staff_sheet_url(journey, client):
    visit = journey.finish()
    html = client.get(reverse("journey:finished")).content.decode()
    qr = re.search(r'<div class="qr" role="img" aria-label="([^"]+)"><svg .*?</svg>', html, re.S)
    assert unescape(qr.group(1)) == (
        "QR code for staff. It opens this visit's discussion sheet after signing in."
    )
    svg = qr.group(0)
    assert "For staff: scan to open the sheet (staff sign-in needed)." in html
    url = f"http://testserver/staff/sheet/{visit.token}/"
    expected = segno.make(url, error="m").svg_inline(scale=4, border=4, omitsize=True)
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', expected).group(1)
    assert " style=" not in html


# --- the list of finished visits ---


def test_the_list_shows_todays_finished_visits_newest_first_with_flags(
    visits, make_staff, shipped_topic
):
    calm = visits.finish()
    flagged = visits.finish({"safety": {"flags": ["fever", "night-pain"]}})
    # Both earlier today, whatever the time the suite runs (even just after midnight).
    today = timezone.localtime()
    move(calm, finished_at=today.replace(hour=0, minute=1))
    flagged = move(flagged, finished_at=today.replace(hour=0, minute=2))
    unfinished = visits.through("values")
    page = text(make_staff("front desk").get(VISITS))
    assert "Finished visits: today" in page
    assert "2 visits: emergencies first, then finished visits, newest first" in page
    assert page.index(flagged.code) < page.index(calm.code)
    assert unfinished.code not in page
    row = page[page.index(flagged.code) : page.index(calm.code)]
    assert "⚠ See a doctor soon (2)" in row
    assert "Prolotherapy for chronic low back pain" in row
    assert timezone.localtime(flagged.finished_at).strftime("%H:%M") in row
    assert "No flags" in page[page.index(calm.code) :]


def test_an_emergency_visit_is_listed_first_at_once_even_before_it_is_finished(
    visits, make_staff, shipped_topic
):
    calm = visits.finish()
    emergency = visits.through("safety", {"safety": {"flags": ["leg-weakness"]}})
    staff = make_staff("front desk")
    page = text(staff.get(VISITS))
    assert page.index(emergency.code) < page.index(calm.code)
    row = page[page.index(emergency.code) : page.index(calm.code)]
    assert "Not finished" in row
    assert "⚠ EMERGENCY sign" in row
    # The desk can find it by its code and open what there is of its sheet.
    response = staff.get(FIND, {"code": emergency.code})
    assert response.url == emergency.get_absolute_url()
    sheet = text(staff.get(response.url))
    assert "EMERGENCY: the patient ticked a sign that needs help now" in sheet
    assert "Weakness or numbness in both legs, or a leg that is getting weaker." in sheet
    assert "Not finished: the patient stopped before the end." in sheet
    # An unfinished visit without an emergency is still not listed.
    other = visits.through("values")
    assert other.code not in text(staff.get(VISITS))


def test_the_list_shows_each_kind_of_flag_in_words(visits, make_staff):
    visits.finish(
        {
            "history": {"tried-exercise": "no"},
            "understanding": {"shots-alone": "true"},
            "leaning": {"choice": "not-sure", "ready-support": "no"},
        }
    )
    page = text(make_staff().get(VISITS))
    for label in ["✗ Misunderstood", "◐ Readiness 3 of 4", "… Not sure yet", "✎ Note"]:
        assert label in page


def test_an_earlier_day_can_be_chosen(visits, make_staff):
    old = move(visits.finish(), finished_at=timezone.now() - timezone.timedelta(days=2))
    today = visits.finish()
    day = timezone.localdate(old.finished_at).isoformat()
    page = text(make_staff().get(VISITS, {"date": day}))
    assert old.code in page and today.code not in page
    assert "Back to today" in page
    assert old.code not in text(make_staff().get(VISITS))


def test_a_day_with_no_visits_says_so(make_staff):
    assert "No finished visits on this day." in text(make_staff().get(VISITS))


@pytest.mark.parametrize(
    "date, message",
    [
        ("junk", "That date was not understood."),
        ("2026-13-45", "That date was not understood."),
        ("0001-01-01", "Choose a more recent day."),
        ("9999-12-31", "Choose today or an earlier day."),
        ("", "Choose a date."),
        ("<script>", "That date was not understood."),
    ],
)
def test_a_bad_date_gets_a_clear_message_and_todays_list(make_staff, date, message):
    response = make_staff().get(VISITS, {"date": date})
    assert response.status_code == 200
    assert message in text(response)
    assert "Finished visits: today" in text(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_expired_visits_are_not_listed(visits, make_staff):
    visit = move(visits.finish(), expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert visit.code not in text(make_staff().get(VISITS))


def test_the_patients_own_words_are_escaped_in_the_list(visits, make_staff):
    visits.finish({"questions": {"own": "<script>alert(1)</script>"}})
    html = make_staff().get(VISITS).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_the_list_links_to_open_print_and_download_each_sheet(visits, make_staff):
    visit = visits.finish()
    html = make_staff().get(VISITS).content.decode()
    assert f'href="/staff/sheet/{visit.token}/"' in html
    assert f'href="/staff/sheet/{visit.token}/?print=1"' in html
    assert f'href="/staff/sheet/{visit.token}/pdf/"' in html
    assert f"/staff/sheet/{visit.pk}/" not in html


def test_the_list_takes_the_same_few_queries_however_many_visits(
    visits, make_staff, django_assert_max_num_queries
):
    staff = make_staff()
    visits.finish()
    with django_assert_max_num_queries(14) as one:
        staff.get(VISITS)
    for _ in range(3):
        visits.finish({"safety": {"flags": ["fever"]}, "history": {"tried-exercise": "no"}})
    with django_assert_max_num_queries(14) as four:
        assert text(staff.get(VISITS)).count("See a doctor soon") == 3
    assert len(four) == len(one)


# --- finding a visit by its code ---


def test_a_visit_is_found_by_its_code_in_any_case_and_spacing(visits, make_staff):
    visit = visits.finish()
    messy = f"  {visit.code[:3].lower()} {visit.code[3:]} "
    response = make_staff().get(FIND, {"code": messy})
    assert response.status_code == 302
    assert response.url == visit.get_absolute_url()


@pytest.mark.parametrize(
    "code, message",
    [
        ("ZZZZZZ", "No visit has the code ZZZZZZ."),
        ("", "Type the code from the patient's screen."),
        ("x" * 41, "A code has 6 letters and numbers."),
        ("<script>", "No visit has the code <SCRIPT>."),
        ("%00\u2603", "No visit has the code %00\u2603."),
    ],
)
def test_an_unknown_code_gets_a_clear_message(make_staff, code, message):
    response = make_staff().get(FIND, {"code": code})
    assert response.status_code == 200
    assert message in text(response)
    assert "<SCRIPT>" not in response.content.decode()


def test_an_unfinished_visit_is_not_found_by_code(visits, make_staff):
    visit = visits.through("values")
    response = make_staff().get(FIND, {"code": visit.code})
    assert f"Visit {visit.code} is not finished yet." in text(response)


def test_an_expired_visit_is_not_found_by_code(visits, make_staff):
    visit = move(visits.finish(), expires_at=timezone.now())
    assert f"No visit has the code {visit.code}." in text(
        make_staff().get(FIND, {"code": visit.code})
    )


# --- the sheet and its PDF ---


def test_the_sheet_page_uses_the_staff_layout(visits, make_staff):
    visit = visits.finish()
    page = text(make_staff().get(visit.get_absolute_url()))
    assert "decisionaid · Staff" in page
    assert "Sign out" in page
    assert "Stop and hand the tablet back" not in page
    assert "Download PDF (A4)" in page and "Download PDF (Letter)" in page


def test_the_lists_print_link_opens_the_sheet_ready_to_print(visits, make_staff):
    visit = visits.finish()
    staff = make_staff()
    assert "data-autoprint" in staff.get(visit.get_absolute_url(), {"print": "1"}).content.decode()
    assert "data-autoprint" not in staff.get(visit.get_absolute_url()).content.decode()


def test_sheets_are_found_by_token_never_by_id(visits, make_staff):
    visit = visits.finish()
    staff = make_staff()
    assert staff.get(f"/staff/sheet/{visit.pk}/").status_code == 404
    assert staff.get("/staff/sheet/not-a-token/pdf/").status_code == 404
    assert staff.get(visit.get_absolute_url()).status_code == 200


def test_an_expired_sheet_is_gone_before_the_purge(visits, make_staff):
    visit = move(visits.finish(), expires_at=timezone.now() - timezone.timedelta(seconds=1))
    staff = make_staff()
    assert staff.get(visit.get_absolute_url()).status_code == 404
    assert staff.get(reverse("staff:sheet_pdf", kwargs={"token": visit.token})).status_code == 404


def test_an_unfinished_visit_has_no_sheet(visits, make_staff):
    visit = visits.through("questions")
    assert make_staff().get(visit.get_absolute_url()).status_code == 404


def test_the_pdf_downloads_with_the_code_in_its_name(visits, make_staff):
    visit = visits.finish()
    response = make_staff().get(reverse("staff:sheet_pdf", kwargs={"token": visit.token}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="discussion-sheet-{visit.code}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert paper_name(response.content) == "A4"


def test_the_pdf_paper_size_can_be_chosen(visits, make_staff):
    visit = visits.finish()
    url = reverse("staff:sheet_pdf", kwargs={"token": visit.token})
    response = make_staff().get(url, {"paper": "LETTER "})
    assert paper_name(response.content) == "letter"


@pytest.mark.parametrize(
    "paper, size",
    [("letter", "letter"), ("LETTER ", "letter"), ("a4", "A4"), ("junk", "A4"), (None, "A4")],
)
def test_a_paper_name_is_read_loosely_and_anything_unknown_is_a4(paper, size):
    assert paper_size(paper) == size  # the PDF above shows the size reaches the page


def test_the_sheet_takes_the_same_few_queries_however_many_answers(
    visits, make_staff, django_assert_max_num_queries
):
    staff = make_staff()
    calm = visits.finish()
    heavy = visits.finish(
        {
            "safety": {"flags": ["fever", "night-pain", "weight-loss"]},
            "understanding": {"shots-alone": "true", "exercise-first": "false"},
            "questions": {"suggested": ["right-for-me", "cost-cover", "how-we-know"]},
        }
    )
    # Reads, and one row in the access log (who read which sheet).
    with django_assert_max_num_queries(15) as few:
        staff.get(calm.get_absolute_url())
    with django_assert_max_num_queries(15) as many:
        staff.get(heavy.get_absolute_url())
    assert len(few) == len(many)


# --- retention ---


def test_purge_deletes_expired_visits_and_their_answers_and_keeps_the_rest(visits):
    expired = [visits.finish(), visits.finish()]
    kept = visits.finish()
    for visit in expired:
        move(visit, expires_at=timezone.now() - timezone.timedelta(days=1))
    expired_answers = Answer.objects.filter(visit__in=expired).count()
    assert expired_answers > 0
    out = io.StringIO()
    call_command("purge_visits", stdout=out)
    assert out.getvalue() == (
        f"Deleted 2 expired visits and {expired_answers} answers, and 0 sheet access records.\n"
    )
    assert list(Visit.objects.all()) == [kept]
    assert not Answer.objects.filter(visit_id__in=[v.pk for v in expired]).exists()
    assert Answer.objects.filter(visit=kept).count() > 0


def test_purge_with_nothing_expired_says_so(visits):
    visits.finish()
    out = io.StringIO()
    call_command("purge_visits", stdout=out)
    assert out.getvalue() == "Deleted 0 expired visits and 0 answers, and 0 sheet access records.\n"
    assert Visit.objects.count() == 1


def test_a_new_visit_expires_after_the_retention_period(visits, settings):
    visit = visits.finish()
    days = (visit.expires_at - visit.started_at).total_seconds() / 86400
    assert round(days, 3) == settings.DECISIONAID_RETENTION_DAYS
