from django.shortcuts import get_object_or_404, render

from topics.models import Topic
from topics.rendering import options_comparison


def overview(request, slug):
    """A read-only overview of a topic: the decision, the options side by side, the evidence."""
    topics = Topic.objects.all()
    if not request.user.is_staff:
        topics = topics.published()
    topic = get_object_or_404(topics, slug=slug)
    comparison = options_comparison(topic)
    context = {
        "topic": topic,
        "comparison": comparison,
        "option_rows": [(parts, []) for parts in comparison.options],
    }
    return render(request, "topics/overview.html", context)
