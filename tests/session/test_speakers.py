"""The speaker picker's data: names and roles found in the text, outlets relaying a quote, the ranking."""

from __future__ import annotations

from annotator.attribution import load_lexicon
from annotator.attribution.roles import description_role
from annotator.model import Quote
from annotator.session.document import DocumentSession
from annotator.session.speakers import role_suggestion, speaker_choices, text_names, via_suggestion
from annotator.store.edits import KnownSpeaker
from tests.support.store import TEXT, span

ID, EN = load_lexicon("id"), load_lexicon("en")


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
    assert role_suggestion(ID, text, span(text, "Vladimir Putin")) == "Presiden Rusia"
    assert role_suggestion(ID, text, span(text, "Valery Gerasimov")) == "kepala Staf Umum"
    q = Quote(0, 5, text[:5], "direct")
    assert speaker_choices(ID, text, q, [], [])  # names found with no entities at all


def test_a_titled_name_in_the_text_is_the_entity_not_a_line_of_its_own():
    text = "Vladimir Putin spoke first. Later, Presiden Rusia Vladimir Putin said the war would go on."
    quote = Quote(*(lambda s: (s.start, s.end, s.text))(span(text, "the war would go on")), "indirect")
    putin = KnownSpeaker("Vladimir Putin", "person", mentions=[span(text, "Vladimir Putin")])
    choices = speaker_choices(ID, text, quote, [putin], [])
    names = [c.name for c in choices]
    assert "Presiden Rusia Vladimir Putin" not in names and "Rusia Vladimir Putin" not in names
    assert names[0] == "Vladimir Putin"  # nearest, through its titled mention
    assert choices[0].mention == span(text, "Vladimir Putin", 1)


def test_via_suggestions_from_the_text():
    def suggest(text, lex=ID):
        end = text.index("”") + 1
        return via_suggestion(lex, text, Quote(0, end, text[:end], "direct"))

    assert suggest("“Menang,” kata KCNA, dikutip dari Radio Free Asia (RFA).") == "Radio Free Asia (RFA)"
    assert suggest("“Menang,” kata Gerasimov seperti dikutip situs resmi Kremlin.") == "situs resmi Kremlin"
    assert suggest("“Ya,” ujarnya, dilansir Fakta.com.") == "Fakta.com"
    assert suggest("“Ya,” ujarnya via Instagram.") == "Instagram"
    assert suggest("“Ya,” ujarnya via telepon.") is None  # no outlet's name after via
    assert suggest("“Ya,” kata Sylvia Grace Yuvenna.") is None  # a marker is a whole word
    assert suggest("“No,” he said.\nLater, dikutip dari Antara, ...") is None  # another paragraph
    assert suggest("“No,” he said, as reported by the BBC. Then he left.", EN) == "the BBC"
    assert suggest("“No,” he said, according to a report in The Hill.", EN) == "The Hill"
    assert suggest("“No,” he told reporters.", EN) is None
    assert suggest("“No,” he told CNN.", EN) is None  # a cue names the listener, not a relaying outlet
    assert suggest("“No,” according to Senator Paul Ryan.", EN) is None  # nor the speaker


def test_an_english_document_gets_english_suggestions(store):
    """The picker reads the document's lexicon: English cue words stay out of titles, English dates are no names."""
    text = "Senate Majority Leader Mitch McConnell said on Monday “we will vote,” as reported by the Associated Press."
    names = text_names(text)
    assert "Senate Majority Leader Mitch McConnell" in names and "Monday" not in names
    assert role_suggestion(EN, text, span(text, "Mitch McConnell")) == "Senate Majority Leader"
    quote = Quote(*(lambda s: (s.start, s.end, s.text))(span(text, "“we will vote,”")), "direct")
    assert via_suggestion(EN, text, quote) == "the Associated Press"
    later = "“We are ready,” said Prime Minister Anthony Albanese."
    assert role_suggestion(EN, later, span(later, "Anthony Albanese")) == "Prime Minister"


def test_the_session_reads_its_document_language(store):
    session = DocumentSession(store, "ann", "doc-1")
    assert session.lexicon.language == "en"  # the store's test document is English


def test_an_anonymous_description_gives_its_role():
    """Without its determiner and the phrase that withholds the name, a description is the source's role."""
    assert description_role(load_lexicon("id"), "seorang pejabat senior AS yang tidak disebutkan namanya") == \
        "pejabat senior AS"
    assert description_role(load_lexicon("id"), "pejabat di Korea Selatan") == "pejabat di Korea Selatan"
    assert description_role(load_lexicon("en"), "a senior official who declined to be named") == "senior official"


def test_headline_caption_dateline_credit_and_time_phrases_are_not_offered():
    """Names that do not speak in the article (issue 13): those only in the headline, a photo caption, the
    dateline or a credit, and runs made only of words that are never names."""
    text = ("Rusia Akhirnya Akui Tentara Korut Ikut Perang\n\n"
            "Ilustrasi Vladimir Putin dan Kim Jong-un. Fakta.com/Evry\n"
            "FAKTA.COM, Jakarta - Rusia mengakui bahwa pasukan Korea Utara ikut bertempur, kata Presiden "
            "Vladimir Putin. Pada Jumat, Putin bertemu Steve Witkoff.")
    names = text_names(text)
    assert {"Rusia", "Korea Utara", "Presiden Vladimir Putin", "Vladimir Putin", "Putin", "Steve Witkoff"} <= set(names)
    for aside in ("Rusia Akhirnya Akui Tentara Korut Ikut Perang", "Akhirnya Akui Tentara Korut Ikut Perang",
                  "Ilustrasi Vladimir Putin", "Kim Jong-un", "Evry", "FAKTA.COM", "Jakarta", "Pada Jumat"):
        assert aside not in names, aside


def test_a_persons_titled_forms_and_surname_are_one_row_with_the_title_as_hint():
    """Issue 13: *Putin* was listed four times; now once, under the name, the title as its role hint."""
    text = ("Presiden Rusia Vladimir Putin bertemu Kim. Presiden Vladimir Putin berkata perang usai dan semua "
            "pasukan akan pulang ke rumah masing-masing dalam waktu dekat. Putin juga menyebut Presiden Amerika "
            "Serikat. “Kami siap,” kata Putin.")
    quote = Quote(*(lambda s: (s.start, s.end, s.text))(span(text, "“Kami siap,”")), "direct")
    choices = speaker_choices(ID, text, quote, [], [])
    putins = [c for c in choices if "Putin" in c.name]
    assert [c.name for c in putins] == ["Vladimir Putin"]
    assert putins[0].mention == span(text, "Putin", 3)  # the nearest of its forms
    assert "Presiden Amerika Serikat" in [c.name for c in choices]  # no personal name inside: kept whole
    reported = Quote(*(lambda s: (s.start, s.end, s.text))(span(text, "perang usai")), "indirect")
    (putin,) = [c for c in speaker_choices(ID, text, reported, [], []) if "Putin" in c.name]
    assert putin.mention == span(text, "Vladimir Putin", 1) and putin.role == "Presiden"  # its title, as hint


def test_a_run_of_two_names_written_together_offers_the_person():
    """*utusan khusus Trump Steve Witkoff*: Trump is written alone elsewhere, so the run is two names and
    the picker offers Steve Witkoff (at his own words), never "Trump Steve Witkoff"."""
    text = ("Sebelumnya, Trump mengatakan akan bertemu Putin. Putin mengadakan pertemuan dengan utusan khusus Trump "
            "Steve Witkoff di Kremlin, kata ajudan Kremlin Yury Ushakov.")
    names = text_names(text)
    assert "Trump Steve Witkoff" not in names and "Kremlin Yury Ushakov" not in names
    (witkoff,) = names["Steve Witkoff"]
    assert text[witkoff.start : witkoff.end] == "Steve Witkoff"
    assert "Yury Ushakov" in names
    assert "Departemen Luar Negeri AS" in text_names("Departemen Luar Negeri meminta. Departemen Luar Negeri AS juga.")


def test_a_title_the_text_only_sets_before_a_name_is_no_row_of_its_own():
    """*Presiden Amerika Serikat, Donald Trump,*: the title is Trump's role (his row's hint), not a speaker;
    a title standing alone somewhere (*Presiden Ukraina mengatakan*) keeps its row."""
    text = ("Di sisi lain, Presiden Amerika Serikat, Donald Trump, dan Presiden Ukraina, Volodymyr Zelenskyy, "
            "bertemu di Vatikan. Sementara itu, Presiden Ukraina mengatakan bahwa pertemuan itu baik.")
    quote = Quote(0, 10, text[:10], "indirect")
    rows = {c.name: c.role for c in speaker_choices(ID, text, quote, [], [])}
    assert "Presiden Amerika Serikat" not in rows and rows["Donald Trump"] == "Presiden Amerika Serikat"
    assert "Presiden Ukraina" in rows
