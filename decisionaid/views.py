"""The patient journey on the waiting-room tablet. Views are thin: stages decide, services save."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from decisionaid import services, stages
from decisionaid.context_processors import TEXT_SIZE_SESSION_KEY, TEXT_SIZES
from decisionaid.middleware import SESSION_LANGUAGE
from decisionaid.models import Answer, Visit
from decisionaid.stages.safety import SafetyStage
from decisionaid.stages.understanding import UnderstandingStage
from topics.models import Topic

SESSION_VISIT = "visit_id"

NO_VISIT = _("Your visit has ended, or it has not started yet. You can start again below.")
FINISHED = _("You have finished. Your answers are saved and can no longer be changed.")
ANSWER_FIRST = _("Please answer this step first.")
HANDED_BACK = _("Thank you. The tablet is ready for the next person.")


def _visit_for_session(request):
    """(visit, progress) for the visit this browser's session points to, or (None, None)."""
    visit_id = request.session.get(SESSION_VISIT)
    if not isinstance(visit_id, int):
        return None, None
    visits = Visit.objects.select_related("topic", "content_topic").prefetch_related("answers")
    visit = visits.filter(pk=visit_id).first()
    if visit is None or visit.is_expired:
        request.session.flush()
        return None, None
    return visit, stages.Progress(visit.answers.all())


def _open_visit_or_redirect(request):
    """(visit, progress, None) for an open visit, or (None, None, redirect) saying why not."""
    visit, progress = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return None, None, redirect("home")
    if visit.is_finished:
        if request.method == "POST":
            messages.info(request, FINISHED)
        return None, None, redirect("journey:finished")
    return visit, progress, None


def _journey_context(visit, stage, **extra):
    return {
        "visit": visit,
        "topic": visit.content_topic,
        "step": stages.step(stage),
        "steps": stages.total_steps(),
        "heading": stage.heading(visit.content_topic),
        "back_url": stages.previous_url(stage, visit.content_topic),
        **extra,
    }


def _stage_context(visit, form, progress):
    """The page of one screen of a stage. The bar moves on with each screen of a stage."""
    return _journey_context(
        visit,
        type(form),
        form=form,
        bar=stages.step(type(form)) - 1 + form.done_fraction(),
        heading=form.screen_heading(),
        step_note=form.screen_note(),
        back_url=form.back_url(stages.previous_url(type(form), visit.content_topic)),
        **form.page_context(progress),
    )


def home(request):
    """Welcome: the clinic's published topics. With only one, go straight to its welcome."""
    topics = list(Topic.objects.published().prefetch_related("translations"))
    if len(topics) == 1:
        return render(request, "decisionaid/welcome.html", _welcome(request, topics[0], only=True))
    language = request.LANGUAGE_CODE
    shown = [topic.translation_for(language) or topic for topic in topics]
    context = {"topics": shown, "languages": settings.LANGUAGES}
    return render(request, "decisionaid/home.html", context)


def _welcome(request, topic, only=False):
    """Welcome in the chosen language, and which languages this topic can be read in."""
    readable = {code for code, _name in settings.LANGUAGES if topic.translation_for(code)}
    return {
        "topic": topic.translation_for(request.LANGUAGE_CODE) or topic,
        "source": topic,
        "only": only,
        "missing": [(code, name) for code, name in settings.LANGUAGES if code not in readable],
        "languages": settings.LANGUAGES,
    }


def about(request):
    """What this app is and what happens to the answers. Static: it touches no database."""
    context = {"retention_days": settings.DECISIONAID_RETENTION_DAYS}
    return render(request, "decisionaid/about.html", context)


def welcome(request, slug):
    topics = Topic.objects.published().prefetch_related("translations")
    topic = get_object_or_404(topics, slug=slug)
    return render(request, "decisionaid/welcome.html", _welcome(request, topic))


@require_POST
def start(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    visit, _progress = _visit_for_session(request)
    if visit and visit.topic_id == topic.pk and not visit.is_finished:
        return redirect("journey:resume")
    # The text size this patient chose on Welcome survives the fresh session.
    size = request.session.get(TEXT_SIZE_SESSION_KEY)
    language = request.LANGUAGE_CODE
    request.session.flush()
    if size:
        request.session[TEXT_SIZE_SESSION_KEY] = size
    visit = services.start_visit(topic=topic, language=language)
    # Read in one language from here on: the topic's own where it is not translated.
    request.session[SESSION_LANGUAGE] = visit.language
    request.session[SESSION_VISIT] = visit.pk
    # Every request saves the session (SESSION_SAVE_EVERY_REQUEST), so this is an idle limit.
    request.session.set_expiry(settings.DECISIONAID_PATIENT_IDLE_SECONDS)
    return redirect(stages.STAGES[0].url())


def resume(request):
    """Go to the first stage not yet answered."""
    visit, progress = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return redirect("home")
    if visit.is_finished:
        return redirect("journey:finished")
    return redirect(progress.first_open_url())


def stage(request, stage, screen=1):
    stage = stages.by_slug(stage)
    if stage is None:
        raise Http404("No such step.")
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    if not progress.can_open(stage):
        messages.info(request, ANSWER_FIRST)
        return redirect(progress.first_open_url())
    content = stage.content(visit.content_topic)
    if not 1 <= screen <= stage.screen_count(content):
        return redirect(stage.url())  # a screen number typed or kept from older content
    saved = progress.answers_for(stage.slug)
    form = stage(
        # Not `request.POST or None`: a POST with no fields (the Learn step has none) must
        # still bind, or Continue would silently not save.
        request.POST if request.method == "POST" else None,
        topic=visit.content_topic,
        content=content,
        screen=screen,
        saved=saved,
        initial=stage.initial_from(saved),
    )
    viewed = form.on_view() if request.method == "GET" else []
    if viewed and not _saved(request, visit, stage, viewed):
        return redirect("journey:resume")
    if form.is_valid():
        answers = form.answers()
        if not _saved(request, visit, stage, answers, form.visit_updates()):
            return redirect("journey:resume")
        return redirect(form.next_url(answers, stages.following_url(stage)))
    return render(request, stage.template, _stage_context(visit, form, progress))


def _saved(request, visit, stage, answers, visit_updates=None):
    """Save, or say why not: the visit was finished or expired meanwhile (another tab)."""
    try:
        services.save_stage(visit=visit, stage=stage, answers=answers, visit_updates=visit_updates)
    except services.VisitClosed:
        messages.info(request, FINISHED)
        return False
    return True


def _after_stage_page(request, stage, template, select, **extra):
    """A page that follows a stage (the safety pages, the quiz feedback), shown only when the
    stage's saved answers call for it."""
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    answers = select(progress.answers_for(stage.slug))
    if not answers:
        return redirect(progress.first_open_url())
    context = _journey_context(
        visit,
        stage,
        answers=answers,
        stage_url=stage.url(),
        next_url=stages.following_url(stage),
        **extra,
    )
    return render(request, template, context)


def emergency(request):
    """Get help now: an emergency sign was ticked."""
    return _after_stage_page(
        request,
        SafetyStage,
        "decisionaid/emergency.html",
        lambda answers: [a for a in answers if a.outcome == Answer.Outcome.EMERGENCY],
        emergency_number=settings.DECISIONAID_EMERGENCY_NUMBER,
    )


def safety_alert(request):
    """Before you decide on any treatment, tell your doctor: a see-a-doctor-soon sign."""
    return _after_stage_page(
        request,
        SafetyStage,
        "decisionaid/safety_alert.html",
        lambda answers: [a for a in answers if a.outcome == Answer.Outcome.FLAG],
    )


def feedback(request):
    return _after_stage_page(
        request, UnderstandingStage, "decisionaid/feedback.html", lambda answers: answers
    )


def review(request):
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    if not progress.is_complete():
        messages.info(request, ANSWER_FIRST)
        return redirect(progress.first_open_url())
    if request.method == "POST":
        try:
            services.finish_visit(visit=visit)
        except (services.VisitClosed, services.VisitIncomplete):
            return redirect("journey:resume")
        return redirect("journey:finished")
    topic = visit.content_topic
    sections = [(s.heading(topic), s.url(), rows) for s, rows in progress.summary(topic)]
    context = {
        "visit": visit,
        "topic": topic,
        "step": stages.total_steps(),
        "steps": stages.total_steps(),
        "heading": stages.REVIEW_TITLE,
        "back_url": stages.STAGES[-1].url(),
        "sections": sections,
    }
    return render(request, "decisionaid/review.html", context)


def finished(request):
    visit, _progress = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return redirect("home")
    if not visit.is_finished:
        return redirect("journey:resume")
    context = {"visit": visit, "topic": visit.content_topic}
    return render(request, "decisionaid/finished.html", context)


@require_POST
def text_size(request):
    """Remember the chosen text size for this tablet session; works without JavaScript."""
    size = request.POST.get("size")
    if size in {key for key, _label, _description in TEXT_SIZES}:
        request.session[TEXT_SIZE_SESSION_KEY] = size
    return redirect(_local_next(request))


@require_POST
def language(request):
    """English or Español, from Welcome. An open visit goes on in the new language."""
    code = request.POST.get("language")
    if code in dict(settings.LANGUAGES):
        request.session[SESSION_LANGUAGE] = code
        visit, _progress = _visit_for_session(request)
        if visit and not visit.is_finished:
            services.change_language(visit=visit, language=code)
    return redirect(_local_next(request))


def _local_next(request):
    """The page to go back to: a path on this site, or else home."""
    target = request.POST.get("next", "")
    local = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if local else reverse("home")


@require_POST
def end(request):
    """Hand the tablet back: forget this visit in the browser. The answers stay saved."""
    request.session.flush()
    messages.success(request, HANDED_BACK)
    return redirect("home")
