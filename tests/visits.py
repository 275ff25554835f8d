"""Two ways for a test to make a visit of the shipped topic, answered with CALM_ANSWERS unless
told otherwise.

- `Visits` fills in each stage's form and saves it with the services the pages call, screen by
  screen, without the pages. It is several times quicker, for tests about what happens to a
  visit afterwards: the sheet, the staff pages, FHIR, insights.
- `Journey` is a tablet: the test client starts a visit on the Welcome page and posts each
  stage's pages. To reach a later stage quickly, `through` saves the stages before it with
  `Visits`, in the same tablet session; `Journey(..., pages=True)` posts every page instead.
  `test_journey.py` checks that both leave exactly the same answers.
"""

import re
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from decisionaid import services, stages
from decisionaid.models import Visit


def stage_url(stage):
    return reverse("journey:stage", kwargs={"stage": stage})


# Answers that walk the shipped topic from start to finish with nothing unusual.
CALM_ANSWERS = {
    "safety": {"flags": ["none"]},
    "history": {
        "pain-duration": "3-to-12-months",
        "pain-now": "6",
        "below-knee": "no",
        "daily-life": "a-fair-amount",
        "do-again": "Walk the dog",
        "tried-exercise": "helped-a-little",
        "tried-manipulation": "did-not-help",
        "tried-other": "helped-a-little",
        "back-injections": "no",
        "needles": "fine",
        "numbing-allergy": "no",
        "blood-thinners": "no",
        "every-two-weeks": "yes",
        "cost-worry": "no",
    },
    "learn": {},
    "understanding": {
        "shots-alone": "false",
        "credit-with-other-care": "false",
        "exercise-first": "true",
        "serious-harm": "true",
        "slow-improvement": "true",
    },
    "values": {
        "try-everything": "1",
        "something-new": "2",
        "done-at-clinic": "2",
        "avoid-needles": "3",
        "guideline-advice": "5",
        "avoid-rare-risks": "4",
    },
    "leaning": {
        "choice": "exercise-or-manipulation",
        "ready-settled": "yes",
        "ready-understand": "yes",
        "ready-priorities": "yes",
        "ready-support": "yes",
    },
    "questions": {"suggested": ["exercise-first"], "own": "Can I keep working?"},
}


class Journey:
    """Drives the Django test client through the patient journey (see above)."""

    def __init__(self, client, topic, *, pages=False):
        self.client = client
        self.topic = topic
        self.pages = pages

    def start(self):
        response = self.client.post(reverse("journey:start", kwargs={"slug": self.topic.slug}))
        assert response.status_code == 302
        return Visit.objects.get(pk=self.client.session["visit_id"])

    def answer(self, stage, **changes):
        """Post a stage's answers, screen after screen for a stage of several screens. The
        response is the first one that does not lead to another screen of the same stage."""
        data = {**CALM_ANSWERS[stage], **changes}
        screen = re.compile(rf"{re.escape(stage_url(stage))}\d+/$")
        url = stage_url(stage)
        while True:
            if stage == "learn":  # Learn records each screen as it is shown
                self.client.get(url)
            response = self.client.post(url, data)
            if response.status_code != 302 or not screen.match(response["Location"]):
                return response
            url = response["Location"]

    def through(self, last_stage, answers=None):
        """Start a visit on the tablet and answer every stage up to and including
        `last_stage`: on its pages with `pages=True`, else saved as its pages save it."""
        answers = answers or {}
        visit = self.start()
        for stage in CALM_ANSWERS:
            if self.pages:
                response = self.answer(stage, **answers.get(stage, {}))
                assert response.status_code == 302, (stage, response.content[:3000])
            else:
                Visits(self.topic).answer(visit, stages.by_slug(stage), **answers.get(stage, {}))
            if stage == last_stage:
                break
        return visit

    def finish(self, answers=None):
        visit = self.through("questions", answers)
        response = self.client.post(reverse("journey:review"))
        assert response.status_code == 302
        visit.refresh_from_db()
        return visit


class Visits:
    """Makes visits the way the journey's pages save them, without the pages (see above)."""

    def __init__(self, topic):
        self.topic = topic

    def start(self, language=None):
        return services.start_visit(topic=self.topic, language=language)

    def answer(self, visit, stage, **changes):
        """Save every screen of a stage as its pages would, in the visit's language: what the
        screen records when it is shown (the page's GET), then the answers posted from it."""
        data = QueryDict(urlencode({**CALM_ANSWERS[stage.slug], **changes}, doseq=True))
        with translation.override(visit.language):
            assert stages.Progress(visit.answers.all()).can_open(stage), f"{stage.slug}: too soon"
            content = stage.content(visit.content_topic)
            for screen in range(1, stage.screen_count(content) + 1):
                viewed = self._form(visit, stage, None, content, screen).on_view()
                if viewed:
                    services.save_stage(visit=visit, stage=stage, answers=viewed)
                form = self._form(visit, stage, data, content, screen)
                assert form.is_valid(), (stage.slug, screen, form.errors)
                answers, updates = form.answers(), form.visit_updates()
                if answers or updates:  # else the page's save would only touch `updated_at`
                    services.save_stage(
                        visit=visit, stage=stage, answers=answers, visit_updates=updates
                    )

    @staticmethod
    def _form(visit, stage, data, content, screen):
        """The screen's form as the page builds it, with the stage's answers saved so far."""
        saved = list(visit.answers.filter(stage=stage.slug))
        return stage(
            data,
            topic=visit.content_topic,
            content=content,
            screen=screen,
            saved=saved,
            initial=stage.initial_from(saved),
        )

    def through(self, last_stage, answers=None, *, language=None):
        """Start a visit and answer every stage up to and including `last_stage`."""
        answers = answers or {}
        visit = self.start(language)
        for stage in stages.STAGES:
            self.answer(visit, stage, **answers.get(stage.slug, {}))
            if stage.slug == last_stage:
                break
        visit.refresh_from_db()
        return visit

    def finish(self, answers=None, *, language=None):
        visit = self.through("questions", answers, language=language)
        services.finish_visit(visit=visit)
        visit.refresh_from_db()
        return visit
