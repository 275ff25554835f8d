"""The patient journey on the waiting-room tablet. Views are thin: forms validate, services save."""

import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from decisionaid import services
from decisionaid.context_processors import TEXT_SIZE_SESSION_KEY, TEXT_SIZES
from decisionaid.stages import BY_SLUG, STAGES, Progress
from decisionaid.visits import visit_with_answers
from topics.cache import cached_content
from topics.models import Topic
from topics.rendering import options_comparison

SESSION_VISIT = "visit_id"
SESSION_SEEN = "seen"
SESSION_TOUCH_SECONDS = 60

NO_VISIT = "Your visit has ended, or it has not started yet. You can start again below."
EXPIRED = "This visit has expired. You can start a new one below."
FINISHED = "You have finished. Your answers are saved and can no longer be changed."


def _visit_for_session(request):
    """(visit, progress) for the visit this browser's session points to, or (None, None)."""
    visit_id = request.session.get(SESSION_VISIT)
    if not isinstance(visit_id, int):
        return None, None
    visit, answers = visit_with_answers(visit_id)
    if visit is None or visit.is_expired:
        request.session.flush()
        return None, None
    # The session expires after a spell of idleness; refresh it at most once a minute so
    # most requests do not write to the database.
    now = time.time()
    if now - request.session.get(SESSION_SEEN, 0) > SESSION_TOUCH_SECONDS:
        request.session[SESSION_SEEN] = now
    return visit, Progress(answers)


def _journey_context(visit, progress, stage, **extra):
    if stage.number > 2:
        back_url = STAGES[stage.number - 2].url
    else:
        back_url = reverse("journey:welcome", kwargs={"slug": visit.topic.slug})
    return {
        "back_url": back_url,
        "visit": visit,
        "topic": visit.topic,
        "stage": stage,
        "stages": STAGES,
        "progress": progress,
        **extra,
    }


def home(request):
    """Welcome: the clinic's published topics. With only one, go straight to its welcome."""
    topics = list(Topic.objects.published())
    if len(topics) == 1:
        return render(request, "decisionaid/welcome.html", {"topic": topics[0], "only": True})
    return render(request, "decisionaid/home.html", {"topics": topics})


def about(request):
    """What this app is and what happens to the answers. Static: it touches no database."""
    return render(
        request,
        "decisionaid/about.html",
        {"retention_days": settings.DECISIONAID_RETENTION_DAYS},
    )


def welcome(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    return render(request, "decisionaid/welcome.html", {"topic": topic})


@require_POST
def start(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    visit, _ = _visit_for_session(request)
    if visit and visit.topic_id == topic.pk and not visit.is_finished:
        return redirect("journey:resume")
    request.session.flush()
    visit = services.start_visit(topic=topic)
    request.session[SESSION_VISIT] = visit.pk
    request.session[SESSION_SEEN] = time.time()
    request.session.set_expiry(settings.DECISIONAID_PATIENT_IDLE_SECONDS)
    return redirect("journey:stage", stage="safety")


def resume(request):
    """Go to the first stage not yet answered."""
    visit, progress = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return redirect("home")
    if visit.is_finished:
        return redirect("journey:finished")
    return redirect(progress.first_open().url)


def _open_visit_or_redirect(request):
    """(visit, progress, None) for an open visit, or (None, None, redirect) with a message
    saying why not."""
    visit, progress = _visit_for_session(request)
    if visit is None:
        messages.info(request, NO_VISIT)
        return None, None, redirect("home")
    if visit.is_finished:
        if request.method == "POST":
            messages.info(request, FINISHED)
        return None, None, redirect("journey:finished")
    return visit, progress, None


def stage(request, stage):
    if stage not in BY_SLUG or BY_SLUG[stage].form_class is None:
        raise Http404("No such step.")
    stage = BY_SLUG[stage]
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    if not progress.can_open(stage):
        messages.info(request, "Please answer this step first.")
        return redirect(progress.first_open().url)

    form_class = stage.form_class
    content = cached_content(visit.topic, stage.slug, form_class.content)
    form = form_class(
        # Not `request.POST or None`: a POST with no fields (the Learn step has none) must
        # still bind, or Continue would silently not save.
        request.POST if request.method == "POST" else None,
        topic=visit.topic,
        content=content,
        initial=form_class.initial_from(progress.answers),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_stage(
                visit=visit,
                stage=stage.slug,
                answers=form.answers(),
                visit_updates=form.visit_updates(),
            )
        except services.VisitClosed:
            messages.info(request, FINISHED)
            return redirect("journey:resume")
        return redirect(_after(stage, form))
    extra = {"form": form, **content}
    if stage.slug == "learn":
        extra.update(_learn_context(visit.topic, progress))
    return render(
        request,
        f"decisionaid/stage_{stage.slug}.html",
        _journey_context(visit, progress, stage, **extra),
    )


def _after(stage, form):
    """Where Continue leads from a stage."""
    if stage.slug == "safety" and any(a.outcome == "flag" for a in form.answers()):
        return "journey:safety_alert"
    if stage.slug == "understanding":
        return "journey:feedback"
    following = STAGES[stage.number]
    return following.url


def _learn_context(topic, progress):
    comparison = options_comparison(topic)
    tailored = [a for a in progress.for_stage("history") if a.message]
    return {
        "comparison": comparison,
        "option_rows": [
            (parts, [a for a in tailored if a.message_option == parts.option.key])
            for parts in comparison.options
        ],
        "general_messages": [a for a in tailored if not a.message_option],
    }


def safety_alert(request):
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    flags = [a for a in progress.for_stage("safety") if a.outcome == "flag"]
    if not flags:
        return redirect(progress.first_open().url)
    return render(
        request,
        "decisionaid/safety_alert.html",
        _journey_context(visit, progress, BY_SLUG["safety"], flags=flags),
    )


def feedback(request):
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    answers = progress.for_stage("understanding")
    if not answers:
        return redirect(progress.first_open().url)
    return render(
        request,
        "decisionaid/feedback.html",
        _journey_context(visit, progress, BY_SLUG["understanding"], answers=answers),
    )


def review(request):
    visit, progress, response = _open_visit_or_redirect(request)
    if response:
        return response
    if not progress.is_complete():
        messages.info(request, "Please answer this step first.")
        return redirect(progress.first_open().url)
    if request.method == "POST":
        try:
            services.finish_visit(visit=visit)
        except (services.VisitClosed, services.VisitIncomplete):
            return redirect("journey:resume")
        return redirect("journey:finished")
    sections = [(s, progress.summary(s.slug)) for s in STAGES if s.form_class]
    return render(
        request,
        "decisionaid/review.html",
        _journey_context(visit, progress, BY_SLUG["review"], sections=sections),
    )


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
    # Only a path on this site: redirect() would take any other word for a view's name.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = "home"
    return redirect(target)


@require_POST
def end(request):
    """Hand the tablet back: forget this visit in the browser. The answers stay saved."""
    request.session.flush()
    messages.success(request, "Thank you. The tablet is ready for the next person.")
    return redirect("home")
