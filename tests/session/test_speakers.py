"""The speaker picker's data: names and roles found in the text, outlets relaying a quote, the ranking."""

from __future__ import annotations

from annotator.model import Quote
from annotator.session.document import DocumentSession
from annotator.session.speakers import role_suggestion, speaker_choices, text_names, via_suggestion
from annotator.store.edits import KnownSpeaker
from tests.support.store import TEXT, span


def test_speaker_choices_rank_nearby_names_and_link_mentions(store):
    session = DocumentSession(store, "ann", "doc-1")
    session.index = 2  # “Nobody asked us,” Bob Jones told reporters.
    choices = session.speaker_choices()
    assert choices[0].name == "Bob Jones" and choices[0].source == "current"
    names = [c.name for c in choices]
    assert "Carla Diaz" in names and "Anna Smith" in names
    carla = next(c for c in choices if c.name == "Carla Diaz")
    assert carla.mention == span(TEXT, "Carla Diaz") and carla.source == "text"
    # entities of the annotator's layer are listed once each
    assert len(names) == len(set(n.casefold() for n in names))


def test_text_names_and_role_suggestions():
    text = "Presiden Rusia Vladimir Putin berkata. Menurut Valery Gerasimov, kepala Staf Umum, itu benar."
    names = text_names(text)
    assert "Valery Gerasimov" in names
    assert role_suggestion(text, span(text, "Vladimir Putin")) == "Presiden Rusia"
    assert role_suggestion(text, span(text, "Valery Gerasimov")) == "kepala Staf Umum"
    q = Quote(0, 5, text[:5], "direct")
    assert speaker_choices(text, q, [], [])  # names found with no entities at all


def test_a_titled_name_in_the_text_is_the_entity_not_a_line_of_its_own():
    text = "Vladimir Putin spoke first. Later, Presiden Rusia Vladimir Putin said the war would go on."
    quote = Quote(*(lambda s: (s.start, s.end, s.text))(span(text, "the war would go on")), "indirect")
    putin = KnownSpeaker("Vladimir Putin", "person", mentions=[span(text, "Vladimir Putin")])
    choices = speaker_choices(text, quote, [putin], [])
    names = [c.name for c in choices]
    assert "Presiden Rusia Vladimir Putin" not in names and "Rusia Vladimir Putin" not in names
    assert names[0] == "Vladimir Putin"  # nearest, through its titled mention
    assert choices[0].mention == span(text, "Vladimir Putin", 1)


def test_via_suggestions_from_the_text():
    def suggest(text):
        end = text.index("”") + 1
        return via_suggestion(text, Quote(0, end, text[:end], "direct"))

    assert suggest("“Menang,” kata KCNA, dikutip dari Radio Free Asia (RFA).") == "Radio Free Asia (RFA)"
    assert suggest("“Menang,” kata Gerasimov seperti dikutip situs resmi Kremlin.") == "situs resmi Kremlin"
    assert suggest("“No,” he said, as reported by the BBC. Then he left.") == "the BBC"
    assert suggest("“Ya,” ujarnya, dilansir Fakta.com.") == "Fakta.com"
    assert suggest("“No,” he told reporters.") is None
    assert suggest("“No,” he said.\nLater, dikutip dari Antara, ...") is None  # another paragraph
