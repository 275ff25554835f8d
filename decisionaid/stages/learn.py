from django.core.cache import cache

from decisionaid.stages.base import AnswerData, Stage
from decisionaid.stages.history import HistoryStage
from topics.comparison import render_comparison

# The comparison changes only with the content, and its key carries the content version, so a
# day is only a bound on memory: any edit is shown at once, by every app server.
COMPARISON_SECONDS = 24 * 60 * 60


class LearnStage(Stage):
    """The options with their evidence. Nothing to answer: Continue records that it was read."""

    slug = "learn"
    title = "Learn about your options"
    template = "decisionaid/stage_learn.html"

    def answers(self):
        return [AnswerData(key="seen", prompt="Read about the options", value="yes", display="Yes")]

    def page_context(self, progress):
        """The options, each with its evidence and the messages the patient's history answers
        tailored to it; messages tied to no option go at the top."""
        topic = self.topic
        comparison = cache.get_or_set(
            f"learn-comparison:{topic.pk}:{topic.content_version}",
            lambda: render_comparison(topic),
            COMPARISON_SECONDS,
        )
        tailored = [a for a in progress.answers_for(HistoryStage.slug) if a.message]
        options = list(topic.options.all())
        keys = {o.key for o in options}
        return {
            "comparison": comparison,
            "option_rows": [
                (
                    o,
                    [a for a in tailored if a.message_option == o.key],
                    comparison["details"][o.key],
                )
                for o in options
            ],
            "general_messages": [a for a in tailored if a.message_option not in keys],
        }

    @classmethod
    def summary(cls, answers):
        return [("Options", "You read about the options")] if answers else []
