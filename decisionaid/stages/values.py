from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import AnswerData, Stage, radio


class ValuesStage(Stage):
    """How much each thing matters, on a 1 to 5 scale labelled at both ends."""

    slug = "values"
    title = gettext_lazy("What matters most to you")
    template = "decisionaid/stage_values.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.statements = content["values"]
        for v in self.statements:
            choices = [(str(n), str(n)) for n in range(1, 6)]
            choices[0] = ("1", f"1 – {v.low_label}")
            choices[-1] = ("5", f"5 – {v.high_label}")
            field = radio(v.statement, choices)
            field.ends = (f"1 = {v.low_label}", f"5 = {v.high_label}")
            self.fields[v.key] = field

    @classmethod
    def content(cls, topic):
        return {"values": list(topic.values.prefetch_related("points_toward"))}

    def answers(self):
        return [
            AnswerData(
                key=v.key,
                prompt=v.statement,
                value=self.cleaned_data[v.key],
                display=_("%(score)s out of 5 (%(low)s = 1, %(high)s = 5)")
                % {"score": self.cleaned_data[v.key], "low": v.low_label, "high": v.high_label},
                sheet_label=v.sheet_label,
                points_toward=[o.key for o in v.points_toward.all()],
            )
            for v in self.statements
        ]
