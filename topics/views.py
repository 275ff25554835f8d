from django.shortcuts import get_object_or_404, render

from topics.comparison import render_comparison
from topics.models import Topic


def overview(request, slug):
    """A read-only overview of a topic: the decision, the options side by side, the evidence."""
    topics = Topic.objects.filter(translation_of=None)
    if not request.user.is_staff:
        topics = topics.published()
    topic = get_object_or_404(topics, slug=slug)
    # In the reader's language where the topic has a current translation (a draft's own text
    # otherwise, for the staff who preview it).
    topic = topic.translation_for(request.LANGUAGE_CODE) or topic
    comparison = render_comparison(topic)
    options = list(topic.options.all())
    context = {
        "topic": topic,
        "comparison": comparison,
        "glance_rows": [
            (o, f"#option-{o.key}", comparison["glance_sources"][o.key]) for o in options
        ],
        "option_rows": [(o, comparison["details"][o.key]) for o in options],
    }
    return render(request, "topics/overview.html", context)
