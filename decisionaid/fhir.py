"""FHIR R4 resources, built and validated with fhir.resources.

- `questionnaire(topic, version, base)`: the topic's questionnaire at one content version,
  made from that version's content pack (topics.versions), one group per journey stage. Each
  item's linkId is "<stage>.<key>", the same stage and key as the visit's Answer rows.
- `questionnaire_response(visit, base)`: a finished visit's answers, pointing at that
  questionnaire by its canonical URL and version. It holds the visit's code as its identifier,
  and nothing else about the patient.

fhir.resources has no R4 (4.0.1) package of its own; its R4B models are used, which for these
resources have the same elements, types and codes as R4. They do not enforce value sets such as
`status`, so the codes used here are tested against R4's (tests/test_fhir.py).
`base` is the canonical base of our resources (settings.DECISIONAID_FHIR_BASE_URL, or the API's
address), e.g. "https://aid.example-clinic.org/api/fhir".
"""

from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntrySearch
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.operationoutcome import OperationOutcome, OperationOutcomeIssue
from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from decisionaid import stages
from decisionaid.stages import learn
from decisionaid.stages.history import SCALE
from decisionaid.stages.leaning import NOT_SURE_YET, READINESS, READINESS_CHOICES
from decisionaid.stages.questions import OWN_QUESTION_LIMIT
from decisionaid.stages.retell import retold
from decisionaid.stages.understanding import CHOICES as TRUE_FALSE_CHOICES
from topics.models import NOT_SURE, OWN_QUESTIONS, Topic
from topics.versions import content_at

FHIR_JSON = "application/fhir+json"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
# A history question's kind: its item type.
HISTORY_ITEM_TYPES = {"choice": "choice", "scale": "integer", "text": "string"}
SCALE_RANGES = {"values": (1, 5), "scale": (SCALE[0], SCALE[-1])}


# --- addresses ---


def questionnaire_url(base, slug):
    return f"{base}/Questionnaire/{slug}"


def visit_code_system(base):
    """The identifier system of visit codes."""
    return f"{base}/visit-code"


def resource_id(token):
    """A FHIR id for a visit token: ids may not hold "_", which a token may; "." stands in."""
    return token.replace("_", ".")


def token_from_id(fhir_id):
    return fhir_id.replace(".", "_")


# --- the questionnaire ---


def _choice(link_id, text, options, system, *, required=True):
    return QuestionnaireItem(
        linkId=link_id,
        text=str(text),
        type="choice",
        required=required,
        answerOption=[
            QuestionnaireItemAnswerOption(
                valueCoding=Coding(system=system, code=code, display=str(label))
            )
            for code, label in options
        ],
    )


def _boolean(link_id, text):
    return QuestionnaireItem(linkId=link_id, text=str(text), type="boolean", required=True)


def _integer(link_id, text, low, high):
    return QuestionnaireItem(
        linkId=link_id,
        text=text,
        type="integer",
        required=True,
        extension=[
            Extension(url=MIN_VALUE, valueInteger=low),
            Extension(url=MAX_VALUE, valueInteger=high),
        ],
    )


def _safety(pack, link, system):
    return [_boolean(link(f["key"]), f["text"]) for f in pack["red_flags"]]


def _history(pack, link, system):
    items = []
    for q in pack["history_questions"]:
        kind = q.get("kind", "choice")
        item_type = HISTORY_ITEM_TYPES[kind]
        if item_type == "choice":
            options = [(c["key"], c["label"]) for c in q["choices"]]
            items.append(_choice(link(q["key"]), q["text"], options, system(q["key"])))
        elif item_type == "integer":
            items.append(_integer(link(q["key"]), q["text"], *SCALE_RANGES[kind]))
        else:
            items.append(QuestionnaireItem(linkId=link(q["key"]), text=q["text"], type=item_type))
    return items


def _learn(pack, link, system):
    options = [(o["key"], o["title"]) for o in pack["options"]]
    return [_boolean(link(learn.SEEN), "Read about the options")] + [
        _boolean(link(f"{learn.OPENED}{key}"), f"Opened the screen: {heading}")
        for key, heading in learn.screen_headings(options)
    ]


def _understanding(pack, link, system):
    return [
        _choice(link(k["key"]), k["statement"], TRUE_FALSE_CHOICES, system("true-false"))
        for k in pack["knowledge"]
    ]


def _values(pack, link, system):
    return [
        _integer(
            link(v["key"]),
            f"{v['statement']} (1 = {v['low_label']}, 5 = {v['high_label']})",
            *SCALE_RANGES["values"],
        )
        for v in pack["values"]
    ]


def _leaning(pack, link, system):
    options = [(o["key"], o["title"]) for o in pack["options"]] + [(NOT_SURE, NOT_SURE_YET)]
    choice = _choice(
        link("choice"), "Which option are you leaning toward right now?", options, system("choice")
    )
    ready = [
        _choice(link(f"ready-{key}"), text, READINESS_CHOICES, system("readiness"))
        for key, text in READINESS
    ]
    return [choice, *ready]


def _questions(pack, link, system):
    own = QuestionnaireItem(
        linkId=link(OWN_QUESTIONS),
        text="Your own questions or worries",
        type="text",
        maxLength=OWN_QUESTION_LIMIT,
    )
    return [*(_boolean(link(q["key"]), q["text"]) for q in pack["doctor_questions"]), own]


# Each stage's items, from the content pack. A new stage adds a line here.
STAGE_ITEMS = {
    "safety": _safety,
    "history": _history,
    "learn": _learn,
    "understanding": _understanding,
    "values": _values,
    "leaning": _leaning,
    "questions": _questions,
}


def _stage_title(stage, pack):
    return pack["history_heading"] if stage.slug == "history" else str(stage.title)


def build_questionnaire(pack, version, base):
    """The Questionnaire for one content version of a topic, from its content pack."""
    url = questionnaire_url(base, pack["slug"])
    groups = []
    for stage in stages.STAGES:

        def link(key, stage=stage):
            return f"{stage.slug}.{key}"

        def system(name, stage=stage):
            return f"{url}/{stage.slug}/{name}"

        groups.append(
            QuestionnaireItem(
                linkId=stage.slug,
                text=_stage_title(stage, pack),
                type="group",
                item=STAGE_ITEMS[stage.slug](pack, link, system),
            )
        )
    published = pack.get("status") == Topic.Status.PUBLISHED
    return Questionnaire(
        id=pack["slug"],
        meta=Meta(versionId=version),
        url=url,
        version=version,
        name="".join(part.capitalize() for part in pack["slug"].split("-")),
        title=pack["title"],
        status="active" if published else "draft",
        date=pack["last_reviewed"] if "last_reviewed" in pack else None,
        description=pack["decision"],
        item=groups,
    )


def questionnaire(topic, version, base):
    """The topic's Questionnaire at a content version, or None if that version was not kept."""
    pack = content_at(topic, version)
    return build_questionnaire(pack, version, base) if pack is not None else None


# --- the response ---


def _answer(item, answer):
    """One answer in the type its question asks for; None for an empty free-text answer."""
    kind = item.type
    if kind == "boolean":
        return QuestionnaireResponseItemAnswer(valueBoolean=answer.value == "yes")
    if kind == "integer":
        return QuestionnaireResponseItemAnswer(valueInteger=int(answer.value))
    if kind == "choice":
        system = item.answerOption[0].valueCoding.system if item.answerOption else None
        coding = Coding(system=system, code=answer.value, display=answer.display or None)
        return QuestionnaireResponseItemAnswer(valueCoding=coding)
    if not answer.value.strip():
        return None
    return QuestionnaireResponseItemAnswer(valueString=answer.value)


def _items_by_link(resource):
    return {child.linkId: child for group in resource.item or [] for child in group.item or []}


def questionnaire_response(visit, base):
    """The QuestionnaireResponse of a finished visit (answers prefetched, ideally)."""
    topic = visit.topic
    version = visit.source_version
    pack = content_at(topic, version) or content_at(topic, topic.content_version)
    questions = _items_by_link(build_questionnaire(pack, version, base))
    answers = visit.answers.all()
    if visit.language != topic.language:  # in the topic's own words, by the answers' keys
        answers = retold(answers, topic)
    progress = stages.Progress(answers)
    groups = []
    for stage in stages.STAGES:
        children = []
        for answer in progress.answers_for(stage.slug):
            link_id = f"{stage.slug}.{answer.key}"
            if link_id not in questions:  # the app's own records, e.g. "all screens answered"
                continue
            value = _answer(questions[link_id], answer)
            if value is not None:
                children.append(
                    QuestionnaireResponseItem(linkId=link_id, text=answer.prompt, answer=[value])
                )
        if children:
            groups.append(
                QuestionnaireResponseItem(
                    linkId=stage.slug, text=_stage_title(stage, pack), item=children
                )
            )
    return QuestionnaireResponse(
        id=resource_id(visit.token),
        identifier=Identifier(system=visit_code_system(base), value=visit.code),
        questionnaire=f"{questionnaire_url(base, topic.slug)}|{version}",
        status="completed",
        authored=visit.finished_at,
        item=groups,
    )


def search_bundle(responses, base):
    """A searchset Bundle of QuestionnaireResponses."""
    return Bundle(
        type="searchset",
        total=len(responses),
        entry=[
            BundleEntry(
                fullUrl=f"{base}/QuestionnaireResponse/{r.id}",
                resource=r,
                search=BundleEntrySearch(mode="match"),
            )
            for r in responses
        ],
    )


def operation_outcome(code, text, severity="error"):
    """An OperationOutcome with one issue; `code` from FHIR's issue-type codes."""
    return OperationOutcome(
        issue=[OperationOutcomeIssue(severity=severity, code=code, diagnostics=text)]
    )


def to_json(resource):
    return resource.model_dump_json(indent=2)
