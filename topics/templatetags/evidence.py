"""Showing numbers two ways (IPDAS): a sentence, and a picture drawn from the same numbers:
an icon array for "X of every 100 people", labelled bars for points on a 0 to 100 scale."""

from django import template

from topics.numbers import sentence

register = template.Library()

COLUMNS = 10
CELL = 22


@register.inclusion_tag("includes/numbers.html")
def numbers_picture(numbers):
    """The sentence and the picture for one numbers block from a pack."""
    context = {"numbers": numbers, "sentence": sentence(numbers)}
    if numbers["kind"] == "scale":
        context["bars"] = [
            {**point, "range_width": point["high"] - point["low"]}
            if point.get("low") is not None and point.get("high") is not None
            else point
            for point in numbers["points"]
        ]
    return context


@register.inclusion_tag("includes/icon_array.html")
def icon_array(count, total, label, tone="affected"):
    """A picture of `total` people, `count` of them filled, in rows of ten.

    The picture is hidden from screen readers; its caption and the sentence next to it say the
    same thing in words.
    """
    rows = -(-total // COLUMNS)
    return {
        "width": COLUMNS * CELL,
        "height": rows * CELL,
        "people": [
            (tone if i < count else "other", (i % COLUMNS) * CELL, (i // COLUMNS) * CELL)
            for i in range(total)
        ],
        "count": count,
        "total": total,
        "label": label,
        "tone": tone,
    }
