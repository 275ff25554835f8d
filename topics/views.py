from django.shortcuts import get_object_or_404, render

from topics.models import Topic


def overview(request, slug):
    """A read-only overview of a topic: the decision, the options side by side, the evidence."""
    topics = Topic.objects.with_options()
    if not request.user.is_staff:
        topics = topics.published()
    topic = get_object_or_404(topics, slug=slug)
    context = {
        "topic": topic,
        "option_rows": [(option, []) for option in topic.options.all()],
        "citations": topic.cited_sources(),
    }
    return render(request, "topics/overview.html", context)
