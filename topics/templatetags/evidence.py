"""Showing numbers two ways (IPDAS): a natural-frequency sentence and an icon array."""

from django import template

register = template.Library()

COLUMNS = 10
CELL = 22


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
