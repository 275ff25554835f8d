from django.shortcuts import get_object_or_404, render

from topics.comparison import render_comparison
from topics.models import Topic


def overview(request, slug):
    """A read-only overview of a topic: the decision, the options side by side, the evidence."""
    topics = Topic.objects.all()
    if not request.user.is_staff:
        topics = topics.published()
    topic = get_object_or_404(topics, slug=slug)
    comparison = render_comparison(topic)
    context = {
        "topic": topic,
        "comparison": comparison,
        "option_rows": [(o, [], comparison["details"][o.key]) for o in topic.options.all()],
    }
    return render(request, "topics/overview.html", context)
