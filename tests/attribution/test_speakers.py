"""Speakers of direct quotes: after the cue, before it, clitics and pronouns, continuations (id and en)."""

from __future__ import annotations

from annotator.model import Quote
from tests.support.attribution import predicted


def quotes(text: str, lang: str | None = None) -> list[Quote]:
    return predicted(text, lang)


def only(text: str, lang: str | None = None, qtype: str = "direct") -> Quote:
    found = [q for q in quotes(text, lang) if q.type == qtype]
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def test_cue_then_name_after_the_quote() -> None:
    q = only("”Operasi ini selesai dengan baik,” kata Zelensky kepada wartawan.", "id")
    assert q.cue.text == "kata"
    assert q.speaker.name == "Zelensky" and q.speaker.mention.text == "Zelensky"
    assert q.speaker.kind == "person"


def test_cue_then_title_and_name() -> None:
    text = "”Kami akan menambah tempat tidur,” ujar Kepala Dinas Kesehatan Kota Surakarta Siti Wahyuningsih."
    q = only(text, "id")
    assert q.cue.text == "ujar"
    assert q.speaker.mention.text == "Siti Wahyuningsih"
    assert q.role == "Kepala Dinas Kesehatan Kota Surakarta"


def test_name_then_cue_verb_after_the_quote() -> None:
    text = "“Kemenangan ini milik rakyat,” Kantor Berita Pusat Korea (KCNA) melaporkan."
    q = only(text, "id")
    assert q.cue.text == "melaporkan"
    assert q.speaker.mention.text.startswith("Kantor Berita Pusat Korea")
    assert q.speaker.kind == "media"


def test_speaker_before_the_quote() -> None:
    text = "Presiden Joko Widodo mengatakan, ”Semua bantuan harus sampai minggu ini.”"
    q = only(text, "id")
    assert q.cue.text == "mengatakan"
    assert q.speaker.name == "Joko Widodo"
    assert q.role == "Presiden"


def test_menurut_before_the_quote() -> None:
    q = only("Menurut Gubernur Ganjar Pranowo, ”Sekolah tetap daring sampai akhir tahun.”", "id")
    assert q.cue.text == "Menurut"
    assert q.speaker.name == "Ganjar Pranowo"


def test_clitic_resolves_to_the_last_named_speaker() -> None:
    text = (
        "Direktur Yayasan Pijar Timur Indonesia Vinsen Kia Beda mengatakan, krisis air berdampak pada sanitasi.\n\n"
        "”Makanan itu terkontaminasi kuman lalu menimbulkan penyakit,” katanya."
    )
    q = only(text, "id")
    assert q.cue.text == "kata"  # the cue and the clitic mention are separate spans
    assert q.speaker.mention.text == "nya"
    assert q.speaker.name == "Vinsen Kia Beda"
    assert q.role == "Direktur Yayasan Pijar Timur Indonesia"


def test_ujarnya_and_short_form_join_the_full_name() -> None:
    text = (
        "Presiden Direktur Bank OCBC NISP Parwati Surjaudaja menyampaikan, bank itu tumbuh.\n\n"
        "”Program ini akan diluncurkan pada triwulan IV,” kata Parwati.\n\n"
        "”Kami ingin membangun optimisme di tengah pandemi,” ujarnya."
    )
    first, second = [q for q in quotes(text, "id") if q.type == "direct"]
    assert first.speaker.name == second.speaker.name == "Parwati Surjaudaja"
    assert first.speaker.mention.text == "Parwati"
    assert "Parwati" in first.speaker.aliases
    assert first.role == second.role == "Presiden Direktur Bank OCBC NISP"


def test_pronoun_subject_ia_mengatakan() -> None:
    text = "Menteri Keuangan Sri Mulyani hadir di rapat itu. Ia mengatakan, ”Anggaran sudah siap.”"
    q = only(text, "id")
    assert q.speaker.mention.text == "Ia"
    assert q.speaker.name == "Sri Mulyani"


def test_english_said_after_and_inverted() -> None:
    text = '"We will win in November," said Sen. Tim Kaine. "It is not close," Kaine said.'
    first, second = quotes(text, "en")
    assert first.cue.text == "said" and first.speaker.name == "Tim Kaine"
    assert second.speaker.mention.text == "Kaine" and second.speaker.name == "Tim Kaine"


def test_english_pronoun_mention_is_the_pronoun() -> None:
    text = 'Donald Trump spoke in Ohio on Monday. "The system is rigged," he said.'
    q = only(text, "en")
    assert q.speaker.mention.text == "he"
    assert q.speaker.name == "Donald Trump"


def test_english_apposition_role() -> None:
    text = '"The next president will face a test," said Daryl Kimball, executive director of the Arms Control Association.'
    q = only(text, "en")
    assert q.speaker.name == "Daryl Kimball"
    assert q.role == "executive director of the Arms Control Association"


def test_english_according_to() -> None:
    text = 'The plan is "dead on arrival," according to House Speaker Paul Ryan.'
    q = only(text, "en")
    assert q.cue.text == "according to"
    assert q.speaker.name == "Paul Ryan"


def test_interrupted_quote_keeps_its_speaker() -> None:
    text = '"I have taken responsibility for my decision," Clinton said. "He refuses to take responsibility for his."'
    first, second = quotes(text, "en")
    assert first.speaker.mention == second.speaker.mention
    assert second.speaker.name == "Clinton"


def test_dash_signature() -> None:
    text = "“He is someone no sane person would want as president.” ― Christina Olidem\n“Fear is all he sells.” ― Beck Pimentel"
    first, second = quotes(text, "en")
    assert first.speaker.name == "Christina Olidem"
    assert second.speaker.name == "Beck Pimentel"


def test_scare_quotes_are_no_quotes() -> None:
    assert quotes("Pemerintah menyiapkan skema ”lockdown” untuk kantor.", "id") == []
    assert quotes("Skema ”new normal” disiapkan untuk kantor.", "id") == []


def test_a_capitalised_cue_word_inside_a_sentence_is_a_name() -> None:
    text = "Protesters marched across the United States on Sunday. “We are tired of waiting,” said Maria Lopez."
    q = only(text, "en")
    assert q.speaker.name == "Maria Lopez"


def test_cue_with_hyphenated_word_is_no_cue() -> None:
    assert quotes("Kata-kata itu sudah lama dikenal warga kampung.", "id") == []


def test_lower_case_role_words_then_the_name_in_apposition() -> None:
    text = (
        "”Vaksinasi harus dipercepat di semua kabupaten,” kata ahli kesehatan masyarakat Universitas Andalas, "
        "Rahmat Hidayat, di Padang, Senin (4/1/2021)."
    )
    q = only(text, "id")
    assert q.speaker.mention.text == "Rahmat Hidayat"
    assert q.role == "ahli kesehatan masyarakat Universitas Andalas"


def test_places_in_apposition_between_the_title_and_the_name() -> None:
    text = (
        "”Air bersih baru mengalir dua hari sekali,” ujar Kepala Desa Sukamaju, Kecamatan Cibeber, "
        "Kabupaten Cianjur, Asep Supriatna di kantornya."
    )
    q = only(text, "id")
    assert q.speaker.mention.text == "Asep Supriatna"
    assert q.role == "Kepala Desa Sukamaju, Kecamatan Cibeber, Kabupaten Cianjur"
    text = "”Pasien terus bertambah,” kata Kepala Puskesmas Tebet, Jakarta Selatan, Dewi Lestari, kemarin."
    assert only(text, "id").speaker.mention.text == "Dewi Lestari"


def test_a_full_name_followed_by_a_place_keeps_its_speaker() -> None:
    text = "”Kami siap,” kata Gubernur Jawa Barat Ridwan Kamil, Bandung, Senin."
    assert only(text, "id").speaker.mention.text == "Ridwan Kamil"


def test_a_long_opening_phrase_before_the_subject_a_clitic_refers_to() -> None:
    text = (
        "Menteri Keuangan Sri Mulyani mengatakan, defisit masih terkendali. "
        "Terkait dengan kebutuhan likuiditas lembaga keuangan daerah, Gubernur Bank Sentral Budi Santoso "
        "mendorong agar bank memakai fasilitas repo.\n\n"
        "”Bank punya cadangan cukup untuk itu,” ujarnya."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "Budi Santoso"


def test_said_of_something_after_a_name_and_its_apposition() -> None:
    text = (
        "The plan was released on Monday.\n\n"
        "“It has the virtue of being simple,” Laura Jenkins, a professor of economics at the University "
        "of Denver, said of Senator Ortiz’s plan. “It does not make things worse.”"
    )
    found = [q for q in quotes(text, "en") if q.type == "direct"]
    assert [q.speaker.mention.text for q in found] == ["Laura Jenkins", "Laura Jenkins"]


def test_a_clitic_does_not_refer_to_someone_named_inside_the_quote() -> None:
    text = (
        "Ketua Dewan Pengawas Rudi Hartono menyampaikan pesan kepada para taruna.\n\n"
        "”Sejak menjadi perwira muda, Jenderal Sutomo menunjukkan bahwa ia tidak bisa dibeli. "
        "Komisaris Besar Anton Wijaya juga begitu,” katanya."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "Rudi Hartono"


def test_a_title_whose_portfolio_is_a_list_with_commas() -> None:
    text = "”Sekolah dibuka bertahap,” ujar Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Nadia Makmur di Jakarta."
    q = only(text, "id")
    assert q.speaker.mention.text == "Nadia Makmur"
    assert q.role == "Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi"
    text = "“We are ready,” said Secretary of Health, Labor and Pensions Jane Doe on Monday."
    q = only(text, "en")
    assert q.speaker.mention.text == "Jane Doe"
    assert q.role == "Secretary of Health, Labor and Pensions"


def test_names_listed_after_a_cue_are_not_a_portfolio() -> None:
    q = only("”Kami siap,” kata Budi, Andi, dan Joko kepada wartawan.", "id")
    assert q.speaker.mention.text == "Budi"


def test_a_capitalised_verb_opening_a_sentence_is_no_part_of_a_name() -> None:
    text = "Dikucilkan Rina sejak lama, warga itu pindah.\n\n”Saya tidak tahu harus ke mana,” kata Dikucilkan Rina."
    # "Dikucilkan" (di-…-kan) is a passive verb, never a name word
    q = only(text, "id")
    assert q.speaker.mention.text == "Rina"


def test_a_quotation_of_sentences_after_an_initial_takes_the_cue_after_it() -> None:
    # "S." is an initial, so no sentence ends before the quote; the quote's own full stop does
    text = (
        "Kepala Polres Andi Wijaya mengatakan, kasus itu sudah ditangani. Pelaku lalu bertemu dengan S. "
        "”Jadi, ada latar belakang psikis. Dulu pelaku batal menikah,” kata Rudi Hartono."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.mention.text == "Rudi Hartono" and q.cue.text == "kata"


def test_a_cue_pushed_onto_the_next_paragraph_still_attributes_the_quote() -> None:
    text = (
        "Menteri Perhubungan Budi Santoso sembuh setelah dirawat.\n\n"
        "”Ini menjadi semangat bagi kita semua untuk melawan Covid-19!”\n\n"
        "kata Budi Santoso dalam video singkat tersebut. Kesembuhannya menjadi kabar baik."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.cue.text == "kata" and q.speaker.mention.text == "Budi Santoso"
    # a new paragraph that opens with a capital is a sentence of its own, not the quote's cue
    text = "”Kami siap bekerja keras untuk semua warga kota,”\n\nKata Pengantar buku itu ditulis Andi Wijaya."
    assert all(q.cue is None or q.cue.text != "Kata" for q in quotes(text, "id"))


def test_an_organisation_in_apposition_between_the_title_and_the_name() -> None:
    text = (
        "”Pasien sudah ditangani sejak pagi,” kata Kepala Bagian Hukum dan Humas, Rumah Sakit Umum Daerah "
        "Kota Baru, Dewi Anggraini, saat dihubungi, Rabu."
    )
    q = only(text, "id")
    assert q.speaker.mention.text == "Dewi Anggraini"
    assert q.role == "Kepala Bagian Hukum dan Humas, Rumah Sakit Umum Daerah Kota Baru"


def test_an_initial_opening_a_name_stays_in_the_name() -> None:
    text = (
        "Kepala Unit Pengelola Kawasan Monas M Isa Sarnuri menjelaskan, Monas akan dibuka. "
        "Kepala Dinas Kebudayaan M Yusuf mengatakan, museum tetap tutup.\n\n"
        "”Jika kasus meningkat terus, Monas tidak jadi dibuka,” kata Sarnuri."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "M Isa Sarnuri"
    assert q.role == "Kepala Unit Pengelola Kawasan Monas"


def test_a_clitic_skips_a_sentence_opened_by_a_common_noun_before_a_place() -> None:
    text = (
        "Kepala Unit Pengelola Kawasan Ancol Andi Wijaya menjelaskan, Ancol akan dibuka pada 20 Juni. "
        "Pembukaan Ancol tetap mengacu pada hasil evaluasi.\n\n"
        "”Jika kasus meningkat, taman tidak jadi dibuka,” ujarnya."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "Andi Wijaya"


def test_as_someone_put_it() -> None:
    text = (
        "The network has critics. As Ms. Lopez put it in a statement in July, the channel is "
        '"providing a perspective you won\'t get from the mainstream press."'
    )
    (q,) = [q for q in quotes(text, "en") if q.type in ("direct", "mixed")]
    assert q.cue.text == "put it" and "Lopez" in q.speaker.mention.text
    assert q.end == len(text)


def test_a_short_cue_word_after_a_preposition_is_a_noun() -> None:
    text = (
        "Rina Wati mengatakan, ia ingin salat Tarawih. Pekan lalu, ia membaca kabar dari pesan Whatsapp terkait "
        "pembukaan masjid.\n\n”Pesan itu mengabarkan masjid dibuka dengan protokol ketat,” ucapnya."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "Rina Wati"


def test_an_initial_used_elsewhere_is_not_cut_from_the_speaker_name() -> None:
    text = (
        "Kepala Unit Pengelola Kawasan Monas M Isa Sarnuri menjelaskan, Monas akan dibuka. "
        "Kepala Dinas Kebudayaan M Yusuf mengatakan, museum tetap tutup.\n\n"
        "”Jika kasus meningkat terus, Monas tidak jadi dibuka,” kata Isa."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "M Isa Sarnuri"


def test_a_weather_forecaster_is_named_by_her_job_title() -> None:
    text = (
        "Berdasarkan keterangan yang disampaikan prakirawan Stasiun Klimatologi Bogor Lina Hartati, banjir dipicu "
        "hujan lebat.\n\n”Terjadi peningkatan awan hujan konvektif,” ujarnya."
    )
    q = next(q for q in quotes(text, "id") if q.type == "direct")
    assert q.speaker.name == "Lina Hartati"


def test_transcript_lines_are_quotes_of_the_speaker_their_label_names() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        '"HOST: Let\'s start with the debate. Why would the campaign invite her to sit in the front row?\n\n'
        '"SMITH: Well, look, the campaign thinks this is a game show. But this is serious business for voters.\n\n'
        '"HOST: Do you really see those two as equivalent?\n\n'
        '"SMITH: I do, and the voters will see it too on Monday night."'
    )
    found = [q for q in quotes(text, "en") if q.type == "direct"]
    assert [q.speaker.mention.text for q in found] == ["HOST", "SMITH", "HOST", "SMITH"]
    assert found[1].text.startswith("Well, look") and found[1].end < text.index('"HOST: Do')
    assert all(q.end - q.start < 120 for q in found)  # one line each, not the whole transcript


def test_a_connector_before_the_verb_is_no_part_of_the_name() -> None:
    text = (
        "Kesempatan itu dimanfaatkan Presiden Adi Nugroho untuk mengingatkan Polri agar tak lupa pada agendanya.\n\n"
        "”Jajaran Polri harus terus mereformasi diri,” tegas Presiden."
    )
    names = {q.speaker.name for q in quotes(text, "id") if q.speaker}
    assert "Presiden Adi Nugroho untuk" not in names and "Adi Nugroho" in names


def test_a_person_is_not_merged_into_the_campaign_that_bears_his_name() -> None:
    text = (
        "Donald Trump’s campaign said it raised $18 million on Tuesday.\n\n"
        "“We have some big plans for the final month,” Trump said."
    )
    (q,) = [q for q in quotes(text, "en") if q.type == "direct"]
    assert q.speaker.name == "Trump" and q.speaker.kind == "person"
    (report,) = [q for q in quotes(text, "en") if q.type == "indirect"]
    assert report.speaker.kind == "organization"
