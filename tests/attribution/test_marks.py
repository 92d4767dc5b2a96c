"""Direct quotes from quotation marks: every style, Kompas ” at both ends, paragraphs, nesting, bad marks."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.attribution import predict_document
from annotator.attribution.marks import _MARK_RE, _PARAGRAPH_RE, _marks, find_marked
from annotator.model import Document


def spans(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_marked(text)]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Dia berkata “Kami siap bekerja keras,” lalu pergi.", "“Kami siap bekerja keras,”"),
        ("Ia menulis „Wir schaffen das“ di sana.", "„Wir schaffen das“"),
        ("Il a dit « nous partons demain » hier.", "« nous partons demain »"),
        ("Ia berkata ‹ tidak mungkin › tadi.", "‹ tidak mungkin ›"),
        ('He said "we will win this race" loudly.', '"we will win this race"'),
        ("He said ``we will win this race'' loudly.", "``we will win this race''"),
        ("He said ''we will win this race'' loudly.", "''we will win this race''"),
        ("Dia bilang ‘kami akan datang besok’ pagi.", "‘kami akan datang besok’"),
        ("Ia menyebut 「今日は晴れ」 tadi.", "「今日は晴れ」"),
    ],
)
def test_every_mark_style(text: str, quoted: str) -> None:
    assert spans(text) == [quoted]


def test_kompas_closing_mark_at_both_ends() -> None:
    text = "JAKARTA, KOMPAS — Rapat itu selesai.\n\n”Saya minta semuanya jalan minggu ini,” kata Presiden.\n\nIa pulang."
    assert spans(text) == ["”Saya minta semuanya jalan minggu ini,”"]
    quote = predict_document(Document("k", text, "id"))[0]
    assert quote.text == "”Saya minta semuanya jalan minggu ini,”"
    assert quote.speaker is not None and quote.speaker.mention.text == "Presiden"


def test_kompas_scare_quotes_inside_a_sentence() -> None:
    text = "Warga menyebut kebijakan itu ”new normal” sejak Juni."
    assert spans(text) == ["”new normal”"]


def test_quote_over_several_paragraphs_repeats_the_opening_mark() -> None:
    text = (
        "Menteri itu berkata:\n\n"
        "“Kami sudah bekerja sejak pagi. Semua data sudah masuk.\n\n"
        "“Besok kami umumkan hasilnya kepada publik,” katanya.\n\nLalu rapat ditutup."
    )
    (quoted,) = spans(text)
    assert quoted.startswith("“Kami sudah") and quoted.endswith("kepada publik,”")


def test_nested_quotes_stay_inside_the_outer_quote() -> None:
    text = "“Mereka bilang ‘kami tidak tahu’ kepada saya,” kata Budi. \"Dia menulis “cukup” saja,\" ujarnya."
    assert spans(text) == ["“Mereka bilang ‘kami tidak tahu’ kepada saya,”", "\"Dia menulis “cukup” saja,\""]


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Ma’ruf Amin said it's the voters’ choice and don't 'worry' much."
    assert spans(text) == ["'worry'"]


def test_an_unclosed_quote_ends_with_its_paragraph() -> None:
    paragraph = "“Kami tidak akan mundur dari rencana ini kata dia di depan wartawan."
    rest = "\n\n".join(f"Paragraf lain nomor {i} tentang hal yang berbeda." for i in range(50))
    text = paragraph + "\n\n" + rest
    assert spans(text) == [paragraph]


def test_a_stray_closing_mark_makes_no_quote() -> None:
    text = "Harga naik” kata pedagang.\n\nTidak ada yang lain."
    assert spans(text) == []


def test_many_unbalanced_marks_never_span_half_the_article() -> None:
    paragraphs = [f"Paragraf {i} “dengan tanda yang tidak ditutup dan kata lain." for i in range(200)]
    text = "\n".join(paragraphs)
    for m in find_marked(text):
        assert "\n" not in text[m.start : m.end]
    quotes = predict_document(Document("u", text, "id"))
    assert all(len(q.text) < 100 for q in quotes)


def test_continued_quote_needs_an_opening_mark_on_the_next_paragraph() -> None:
    text = "“Kalimat pertama tanpa penutup.\n\nParagraf biasa tanpa tanda kutip sama sekali."
    assert spans(text) == ["“Kalimat pertama tanpa penutup."]


def test_an_unclosed_quote_in_a_huge_paragraph_ends_with_its_sentence() -> None:
    text = "“Kami tidak akan mundur dari rencana ini. " + "Kalimat lain tanpa tanda kutip sama sekali. " * 200
    (m,) = find_marked(text)
    assert text[m.start : m.end] == "“Kami tidak akan mundur dari rencana ini."


def test_unclosed_marks_on_every_paragraph_do_not_make_one_quote_of_the_article() -> None:
    text = "\n\n".join(f"“Paragraf {i} dibuka dengan tanda kutip tetapi tidak pernah ditutup oleh penulisnya." for i in range(400))
    quotes = find_marked(text)
    assert quotes and max(m.end - m.start for m in quotes) <= 8000 + 200


def test_an_unclosed_quote_longer_than_any_news_quotation_ends_with_its_sentence() -> None:
    # a paragraph of some 1,200 characters whose opening mark is never closed: the mark was lost,
    # so the quote is its first sentence, not the whole paragraph
    text = "Ia datang pagi itu.\n\n“Kami tidak akan mundur dari rencana ini. " + "Kalimat berita lain tanpa tanda kutip. " * 30
    (m,) = find_marked(text)
    assert text[m.start : m.end] == "“Kami tidak akan mundur dari rencana ini."
    short = "“Kami tidak akan mundur. " + "Kalimat lain. " * 10
    (m,) = find_marked(short)
    assert m.end == len(short.rstrip())  # a short unclosed quote still ends with its paragraph


def test_a_speaker_label_on_the_next_paragraph_does_not_carry_the_quote_on() -> None:
    text = '"HOST: First question, about the debate.\n\n"GUEST: My answer is short.'
    assert [m.end - m.start for m in find_marked(text)] == [len('"HOST: First question, about the debate.'), len('"GUEST: My answer is short.')]


@given(st.text(alphabet="``''\"“”„‟«»‹›‘‚’「」『』a \n", max_size=40))
@settings(max_examples=300, deadline=None)
def test_one_scan_finds_the_marks_of_the_pattern(text: str) -> None:
    """find_marked scans for every mark's first character once, not the pattern per paragraph."""
    assert _marks(text) == [(m.start(), m.group()) for m in _MARK_RE.finditer(text)]


def test_the_paragraph_pattern_reads_white_space_as_regex_does() -> None:
    """_PARAGRAPH_RE is an ``re`` pattern: its white space is every character ``regex`` takes for \\s (none
    past U+3000)."""
    spaces = "".join(chr(c) for c in range(0x3100) if regex.match(r"\s", chr(c)))
    for c in map(chr, range(0x3100)):
        blank = _PARAGRAPH_RE.match("\n" + c + "\n")
        assert (blank is not None and blank.end() == 3) == (c in spaces), hex(ord(c))
