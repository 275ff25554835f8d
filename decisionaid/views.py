"""The patient journey on the waiting-room tablet. Views are thin: stages decide, services save."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from decisionaid import services, stages
from decisionaid.context_processors import TEXT_SIZE_SESSION_KEY, TEXT_SIZES
from decisionaid.models import Answer, Visit
from decisionaid.stages.safety import SafetyStage
from decisionaid.stages.understanding import UnderstandingStage
from topics.models import Topic

SESSION_VISIT = "visit_id"

NO_VISIT = "Your visit has ended, or it has not started yet. You can start again below."
FINISHED = "You have finished. Your answers are saved and can no longer be changed."
ANSWER_FIRST = "Please answer this step first."


def _visit_for_session(request):
    """(visit, progress) for the visit this browser's session points to, or (None, None)."""
    visit_id = request.session.get(SESSION_VISIT)
    if not isinstance(visit_id, int):
        return None, None
    visits = Visit.objects.select_related("topic").prefetch_related("answers")
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
        "topic": visit.topic,
        "step": stages.step(stage),
        "steps": stages.total_steps(),
        "heading": stage.heading(visit.topic),
        "back_url": stages.previous_url(stage, visit.topic),
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
        back_url=form.back_url(stages.previous_url(type(form), visit.topic)),
        **form.page_context(progress),
    )


def home(request):
    """Welcome: the clinic's published topics. With only one, go straight to its welcome."""
    topics = list(Topic.objects.published())
    if len(topics) == 1:
        return render(request, "decisionaid/welcome.html", {"topic": topics[0], "only": True})
    return render(request, "decisionaid/home.html", {"topics": topics})


def about(request):
    """What this app is and what happens to the answers. Static: it touches no database."""
    context = {"retention_days": settings.DECISIONAID_RETENTION_DAYS}
    return render(request, "decisionaid/about.html", context)


def welcome(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    return render(request, "decisionaid/welcome.html", {"topic": topic})


@require_POST
def start(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    visit, _ = _visit_for_session(request)
    if visit and visit.topic_id == topic.pk and not visit.is_finished:
        return redirect("journey:resume")
    size = request.session.get(TEXT_SIZE_SESSION_KEY)  # chosen on Welcome, by this patient
    request.session.flush()
    if size:
        request.session[TEXT_SIZE_SESSION_KEY] = size
    visit = services.start_visit(topic=topic)
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
    content = stage.content(visit.topic)
    if not 1 <= screen <= stage.screen_count(content):
        return redirect(stage.url())  # a screen number typed or kept from older content
    saved = progress.answers_for(stage.slug)
    form = stage(
        # Not `request.POST or None`: a POST with no fields (the Learn step has none) must
        # still bind, or Continue would silently not save.
        request.POST if request.method == "POST" else None,
        topic=visit.topic,
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
    sections = [
        (s.heading(visit.topic), s.url(), rows) for s, rows in progress.summary(visit.topic)
    ]
    context = {
        "visit": visit,
        "topic": visit.topic,
        "step": stages.total_steps(),
        "steps": stages.total_steps(),
        "heading": stages.REVIEW_TITLE,
        "back_url": stages.STAGES[-1].url(),
        "sections": sections,
    }
    return render(request, "decisionaid/review.html", context)


def finished(request):
    visit, _ = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return redirect("home")
    if not visit.is_finished:
        return redirect("journey:resume")
    return render(request, "decisionaid/finished.html", {"visit": visit, "topic": visit.topic})


@require_POST
def text_size(request):
    """Remember the chosen text size for this tablet session; works without JavaScript."""
    size = request.POST.get("size")
    if size in {key for key, _, _ in TEXT_SIZES}:
        request.session[TEXT_SIZE_SESSION_KEY] = size
    target = request.POST.get("next", "")
    local = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if local else reverse("home"))


@require_POST
def end(request):
    """Hand the tablet back: forget this visit in the browser. The answers stay saved."""
    request.session.flush()
    messages.success(request, "Thank you. The tablet is ready for the next person.")
    return redirect("home")
