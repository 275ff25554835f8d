"""Numbers in words: the sentence a patient reads beside each picture (IPDAS: more than one
view). A frequency is "X of every 100 people"; a scale is points from 0 to 100. The pack's
declaration (topics.pack_schema) says how each part reads, so the sentences come out whole.
"""


def sentence(numbers):
    """The numbers as one or two plain sentences."""
    if numbers["kind"] == "scale":
        return _scale(numbers)
    return _frequency(numbers)


def _frequency(n):
    text = (
        f"{_capital(n['time_frame'])}, {n['numerator']} of every {n['denominator']} "
        f"{n['label']} {n['outcome']}"
    )
    if n.get("comparator_numerator") is not None:
        text += (
            f", compared with {n['comparator_numerator']} of every {n['denominator']} "
            f"{n['comparator_label']}"
        )
    return text + "."


def _scale(n):
    parts = [f"{p['value']} {p['label']}{_range(p)}" for p in n["points"]]
    text = f"{_capital(n['measure'])}: {_joined(parts)}."
    if n.get("marker") is not None:
        text += f" {_capital(n['marker_label'])}: {n['marker']} points."
    return text


def _range(point):
    if point.get("low") is None or point.get("high") is None:
        return ""
    return f" (likely between {point['low']} and {point['high']})"


def _joined(parts):
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])}, and {parts[-1]}"


def _capital(text):
    return text[:1].upper() + text[1:]
