from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from decisionaid.stages.base import AnswerData, Stage
from decisionaid.stages.history import HistoryStage
from topics.comparison import render_comparison

# The comparison changes only with the content, and its key carries the content version, so a
# day is only a bound on memory: any edit is shown at once, by every app server.
COMPARISON_SECONDS = 24 * 60 * 60
SEEN = "seen"
OPENED = "opened-"


@dataclass(frozen=True)
class Screen:
    """One of Learn's screens: `key` names it in the answers, `kind` picks its template."""

    number: int
    key: str
    kind: str  # about, glance, option, unknowns
    heading: str
    note: str
    option: object = None

    @property
    def short(self):
        """A short name, for the printed sheet."""
        return self.option.short_title if self.option else self.note


# (key, heading, progress note) of the screens before and after the options.
BEFORE = [
    ("about", gettext_lazy("About the treatment"), gettext_lazy("About the treatment")),
    ("glance", gettext_lazy("Your options at a glance"), gettext_lazy("All options at a glance")),
]
GLANCE = 1 + [key for key, _heading, _note in BEFORE].index("glance")  # its screen number
AFTER = [
    (
        "unknowns",
        gettext_lazy("What we don't know, and how sure we are"),
        gettext_lazy("What we don't know"),
    )
]


def screens(topic, options):
    """Learn's screens, in order: the treatment, every option at a glance, one screen per option
    in the pack's order, then what we don't know."""
    count = len(options)
    found = [
        Screen(n, key, key, str(heading), str(note))
        for n, (key, heading, note) in enumerate(BEFORE, 1)
    ]
    for i, option in enumerate(options, 1):
        note = _("Option %(number)d of %(count)d") % {"number": i, "count": count}
        found.append(Screen(len(found) + 1, option.key, "option", option.title, note, option))
    found += [
        Screen(len(found) + 1, key, key, str(heading), str(note)) for key, heading, note in AFTER
    ]
    return found


def screen_headings(options):
    """(key, heading) of every Learn screen, for options given as (key, title) pairs."""
    return (
        [(k, str(h)) for k, h, _note in BEFORE]
        + list(options)
        + [(k, str(h)) for k, h, _note in AFTER]
    )


class LearnStage(Stage):
    """The options and their evidence, a screen at a time. Nothing to answer: each screen is
    recorded when it is opened, and Continue on the last one records that Learn was read."""

    slug = "learn"
    title = gettext_lazy("Learn about your options")
    template = "decisionaid/stage_learn.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.this = screens(self.topic, content["options"])[self.screen - 1]

    @classmethod
    def content(cls, topic):
        return {"options": list(topic.options.all())}

    @classmethod
    def screen_count(cls, content):
        return len(BEFORE) + len(content["options"]) + len(AFTER)

    def screen_heading(self):
        return self.this.heading

    def screen_note(self):
        return self.this.note

    @classmethod
    def resume_screen(cls, answers):
        """Back where the patient left off: the furthest screen they opened."""
        return max((a.order for a in answers if a.key.startswith(OPENED)), default=1)

    def on_view(self):
        """The record that this screen was opened (once)."""
        key = f"{OPENED}{self.this.key}"
        if any(a.key == key for a in self.saved):
            return []
        return [
            AnswerData(
                key=key,
                prompt=self.this.heading,
                value="yes",
                display=_("Opened"),
                order=self.screen,
            )
        ]

    def answers(self):
        if self.screen < self.screen_count(self.content):
            return []
        return [
            AnswerData(
                key=SEEN,
                prompt=_("Read about the options"),
                value="yes",
                display=_("Yes"),
                order=0,
            )
        ]

    @classmethod
    def is_done(cls, answers):
        return any(a.key == SEEN for a in answers)

    def page_context(self, progress):
        topic = self.topic
        comparison = cache.get_or_set(
            f"learn-comparison:{topic.pk}:{topic.content_version}:{get_language()}",
            lambda: render_comparison(topic, level=2),
            COMPARISON_SECONDS,
        )
        options = self.content["options"]
        tailored = [a for a in progress.answers_for(HistoryStage.slug) if a.message]
        keys = {o.key for o in options}
        option = self.this.option
        return {
            "screen": self.this,
            "comparison": comparison,
            "options": options,
            "glance_rows": [
                (o, self.url(i), comparison["glance_sources"][o.key])
                for i, o in enumerate(options, len(BEFORE) + 1)
            ],
            "aside_url": self.url(GLANCE) if option else "",
            "aside_label": _("All %(count)d options at a glance") % {"count": len(options)},
            "details": comparison["details"][option.key] if option else "",
            "tailored": [
                a
                for a in tailored
                if (option and a.message_option == option.key)
                or (self.this.kind == "about" and a.message_option not in keys)
            ],
        }

    @classmethod
    def summary(cls, answers, topic):
        opened, missed = cls.reading(answers, list(topic.options.all()))
        rows = [(_("You read"), "\n".join(s.heading for s in opened) or _("(none yet)"))]
        if missed:
            rows.append((_("You have not opened"), "\n".join(s.heading for s in missed)))
        return rows

    @staticmethod
    def reading(answers, options):
        """(screens opened, screens not opened) of Learn, each in their order."""
        opened = {a.key.removeprefix(OPENED) for a in answers if a.key.startswith(OPENED)}
        every = screens(None, options)
        return (
            [s for s in every if s.key in opened],
            [s for s in every if s.key not in opened],
        )
