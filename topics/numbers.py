"""Numbers in words: the sentence a patient reads beside each picture (IPDAS: more than one
view). A frequency is "X of every 100 people"; a scale is points from 0 to 100. The pack's
declaration (topics.pack_schema) says how each part reads, so the sentences come out whole, in
the pack's language: the joining words are translated here, the parts come from the pack.
"""

from django.utils.translation import gettext as _


def sentence(numbers):
    """The numbers as one or two plain sentences."""
    if numbers["kind"] == "scale":
        return _scale(numbers)
    return _frequency(numbers)


def _frequency(n):
    parts = {
        "time_frame": _capital(n["time_frame"]),
        "numerator": n["numerator"],
        "denominator": n["denominator"],
        "label": n["label"],
        "outcome": n["outcome"],
        "comparator_numerator": n.get("comparator_numerator"),
        "comparator_label": n.get("comparator_label", ""),
    }
    if parts["comparator_numerator"] is None:
        return _(
            "%(time_frame)s, %(numerator)s of every %(denominator)s %(label)s %(outcome)s."
        ) % (parts)
    return (
        _(
            "%(time_frame)s, %(numerator)s of every %(denominator)s %(label)s %(outcome)s, "
            "compared with %(comparator_numerator)s of every %(denominator)s "
            "%(comparator_label)s."
        )
        % parts
    )


def _scale(n):
    parts = [f"{p['value']} {p['label']}{_range(p)}" for p in n["points"]]
    text = f"{_capital(n['measure'])}: {_joined(parts)}."
    if n.get("marker") is not None:
        marker = _("%(label)s: %(points)s points.")
        text += " " + marker % {"label": _capital(n["marker_label"]), "points": n["marker"]}
    return text


def _range(point):
    if point.get("low") is None or point.get("high") is None:
        return ""
    return " " + _("(likely between %(low)s and %(high)s)") % point


def _joined(parts):
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return _("%(first)s and %(last)s") % {"first": parts[0], "last": parts[1]}
    return _("%(list)s, and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _capital(text):
    return text[:1].upper() + text[1:]
