from django.urls import reverse

from tests.conftest import SHIPPED_SLUG


def test_home_shows_the_published_topic(client, shipped_topic):
    response = client.get("/")
    assert response.status_code == 200
    assert "Should I try prolotherapy for my chronic low back pain?" in response.text
    assert "It takes about <strong>15 minutes</strong>" in response.text
    assert "not ask your name" in response.text


def test_home_lists_every_published_topic_when_there_are_several(client, shipped_topic, make_topic):
    make_topic()
    make_topic(slug="hidden-topic", title="Hidden", status="draft")
    response = client.get("/")
    assert "Start: Prolotherapy for chronic low back pain" in response.text
    assert "Start: Test topic" in response.text
    assert "Hidden" not in response.text


def test_the_overview_shows_the_decision_options_and_citations(client, shipped_topic):
    response = client.get(reverse("topics:overview", kwargs={"slug": SHIPPED_SLUG}))
    text = response.text
    assert response.status_code == 200
    assert "Should I try prolotherapy for my chronic low back pain?" in text
    for option in shipped_topic.options.all():
        assert option.title in text
    assert text.count('class="option-card') == 4
    assert "Possible benefits" in text and "Possible harms" in text
    assert "Practical issues" in text
    assert "How sure: Conflicting: the studies disagree" in text
    # At a glance, each option's title leads to its details further down.
    assert 'href="#option-prolo-alone"' in text and 'id="option-prolo-alone"' in text
    assert "Dagenais S, Yelland MJ, Del Mar C, Schoene ML." in text
    assert "doi:10.1002/14651858.CD004059.pub3" in text
    assert "What we don't know" in text


def test_the_overview_shows_numbers_as_a_sentence_and_a_picture(client, shipped_topic):
    text = client.get(shipped_topic.get_absolute_url()).text
    assert "46 of every 100 people given prolotherapy shots" in text
    assert "<strong>46 of 100</strong>" in text and "<strong>36 of 100</strong>" in text
    assert text.count('class="icon icon-affected"') == 46
    assert "51 at the start, 33 after 6 weeks, 26 after 6 months, and 23 after 1 year." in text
    assert '<rect class="scale-fill" x="0" y="1" width="51" height="8"/>' in text


def test_the_overview_shows_the_ipdas_details(client, shipped_topic):
    text = client.get(shipped_topic.get_absolute_url()).text
    assert "22 November 2026" in text
    assert "Next review due" in text and "1 December 2027" in text
    assert "Evidence last searched" in text
    assert shipped_topic.update_policy in text
    assert shipped_topic.funding in text
    assert shipped_topic.content_version in text


def test_a_draft_topic_is_hidden_from_patients(client, make_topic):
    make_topic(status="draft")
    assert client.get("/topics/test-topic/").status_code == 404
    assert client.get("/t/test-topic/").status_code == 404


def test_an_unknown_topic_is_a_404(client, db):
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.post("/t/no-such-topic/start/").status_code == 404


def test_the_overview_runs_a_constant_number_of_queries(
    client, shipped_topic, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(shipped_topic.get_absolute_url())


def test_pages_load_nothing_from_another_host(client, shipped_topic):
    for url in ["/", shipped_topic.get_absolute_url()]:
        text = client.get(url).text
        assert "http://" not in text.replace("http://www.w3.org", "")
        assert "https://" not in text
        assert "/static/vendor/bootstrap/css/bootstrap.min.css" in text


def test_a_missing_page_is_a_friendly_404(client, db):
    response = client.get("/staff-typo/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert 'href="/"' in response.text
