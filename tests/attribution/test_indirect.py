"""Indirect and mixed quotes, passive frames, relayed sources, entities, kinds and roles."""

from __future__ import annotations

from annotator.model import Quote
from tests.support.attribution import predicted


def quotes(text: str, lang: str = "id") -> list[Quote]:
    return predicted(text, lang)


def test_cue_verb_and_bahwa_clause() -> None:
    text = (
        "Sebagai tanggapan, Presiden Ukraina Volodymyr Zelenskyy mengatakan pada Ahad bahwa tentara Ukraina "
        "masih bertempur di Kursk."
    )
    (q,) = quotes(text)
    assert q.type == "indirect"
    assert q.text == "tentara Ukraina masih bertempur di Kursk"
    assert q.cue.text == "mengatakan"
    assert q.speaker.name == "Volodymyr Zelenskyy" and q.role == "Presiden Ukraina"


def test_cue_verb_and_comma_clause() -> None:
    (q,) = quotes("Direktur Shopee Indonesia Handhika Jahja menyatakan, penjualan naik dua kali lipat.")
    assert q.text == "penjualan naik dua kali lipat"
    assert q.speaker.name == "Handhika Jahja"


def test_menurut_x_clause() -> None:
    text = "Menurut Gabriel, di daerah itu terdapat sejumlah mata air yang bisa digunakan warga."
    (q,) = quotes(text)
    assert q.type == "indirect" and q.cue.text == "Menurut"
    assert q.text.startswith("di daerah itu") and q.speaker.name == "Gabriel"


def test_menurutnya_resolves_to_the_previous_speaker() -> None:
    text = (
        "Kepala Staf Umum Valery Gerasimov mengatakan, pasukan itu sudah tiba. "
        "Menurutnya, keikutsertaan mereka sesuai dengan perjanjian kedua negara."
    )
    second = quotes(text)[-1]
    assert second.cue.text == "Menurut" and second.speaker.mention.text == "nya"
    assert second.speaker.name == "Valery Gerasimov"


def test_passive_frame_takes_the_previous_sentence() -> None:
    text = (
        "Rusia untuk pertama kalinya mengakui bahwa pasukan Korea Utara ikut bertempur di Kursk. "
        "Hal itu diucapkan Kepala Staf Umum Angkatan Bersenjata Rusia, Valery Gerasimov, di Moskow."
    )
    passive = [q for q in quotes(text) if q.cue.text == "diucapkan"]
    assert len(passive) == 1
    assert passive[0].text == "pasukan Korea Utara ikut bertempur di Kursk"
    assert passive[0].speaker.name == "Valery Gerasimov"
    assert passive[0].role == "Kepala Staf Umum Angkatan Bersenjata Rusia"


def test_clause_then_kata_x() -> None:
    text = "Pembahasan mencakup rencana perundingan langsung, kata ajudan Kremlin Yury Ushakov setelah pertemuan."
    (q,) = quotes(text)
    assert q.text == "Pembahasan mencakup rencana perundingan langsung"
    assert q.speaker.name == "Yury Ushakov" and q.role == "ajudan Kremlin"


def test_parenthetical_kata_x() -> None:
    text = "Terutama, kata Trump, untuk menyelesaikan poin-poin utama yang sudah disetujui."
    (q,) = quotes(text)
    assert q.text == "untuk menyelesaikan poin-poin utama yang sudah disetujui"


def test_mixed_quote_absorbs_its_fragment() -> None:
    text = 'Keduanya berkomitmen untuk memberikan dukungan militer "tanpa penundaan" jika salah satu diserang.'
    (q,) = quotes(text)
    assert q.type == "mixed" and '"tanpa penundaan"' in q.text


def test_english_said_that_and_mixed() -> None:
    text = 'The former first lady said it was "a mistake" to use private email at the department.'
    (q,) = quotes(text, "en")
    assert q.type == "mixed" and q.text.startswith("it was")
    assert q.cue.text == "said"


def test_relayed_source_is_the_speaker_and_the_relay_is_via() -> None:
    text = (
        "“Operasi pembebasan wilayah itu telah berakhir dengan kemenangan,” Kantor Berita Pusat Korea (KCNA) "
        "melaporkan, mengutip Komisi Militer Pusat negara tersebut."
    )
    (q,) = quotes(text)
    assert q.type == "direct"
    assert q.speaker.name == "Komisi Militer Pusat" and q.speaker.kind == "organization"
    assert q.via == "Kantor Berita Pusat Korea (KCNA)"


def test_via_after_the_speaker() -> None:
    text = "“Tentara itu menunjukkan profesionalisme tinggi,” kata Gerasimov seperti dikutip situs resmi Kremlin."
    (q,) = quotes(text)
    assert q.via == "situs resmi Kremlin"


def test_negated_cue_reports_nothing() -> None:
    assert quotes("Korea Utara belum mengonfirmasi pengiriman pasukan tersebut.") == []


def test_report_inside_a_reported_clause_is_not_a_second_quote() -> None:
    text = "Trump mengatakan telah meminta kepada Zelensky untuk melanjutkan rencana perdamaian."
    (q,) = quotes(text)
    assert q.cue.text == "mengatakan"


def test_coordinated_verbs_share_the_subject() -> None:
    text = (
        "Valery Gerasimov, kepala Staf Umum Angkatan Bersenjata Rusia, mengonfirmasi keikutsertaan mereka "
        "dalam pertempuran, mengakui peran penting Korea Utara."
    )
    first, second = quotes(text)
    assert first.cue.text == "mengonfirmasi" and second.cue.text == "mengakui"
    assert first.speaker.name == second.speaker.name == "Valery Gerasimov"
    assert first.role == "kepala Staf Umum Angkatan Bersenjata Rusia"
    assert first.text == "keikutsertaan mereka dalam pertempuran"


def test_entities_cluster_name_variants() -> None:
    text = (
        "Presiden Ukraina Volodymyr Zelenskyy mengatakan bahwa pasukannya bertahan. "
        "“Kami mempertahankan kehadiran kami,” kata Zelensky. "
        "Pemimpin Korea Utara Kim Jong Un memerintahkan pengerahan itu. "
        "“Monumen akan segera didirikan,” kata Kim."
    )
    found = quotes(text)
    by_cue = {q.speaker.mention.text: q.speaker for q in found}
    assert by_cue["Zelensky"].name == "Volodymyr Zelenskyy" and "Zelensky" in by_cue["Zelensky"].aliases
    assert by_cue["Kim"].name == "Kim Jong Un"


def test_kinds_organization_media_anonymous() -> None:
    text = (
        "“Penempatan tentara itu harus dihentikan,” kata Departemen Luar Negeri dalam sebuah pernyataan. "
        "Publikasi daring AS Axios melaporkan bahwa pemerintah sedang berkonsultasi dengan para ahli. "
        "Axios mengutip seorang pejabat senior AS yang tidak disebutkan namanya yang mengatakan bahwa "
        "badan-badan AS sedang menilai posisi Korea Utara."
    )
    kinds = {q.speaker.name: q.speaker.kind for q in quotes(text)}
    assert kinds["Departemen Luar Negeri"] == "organization"
    assert kinds["Axios"] == "media"
    anonymous = [name for name, kind in kinds.items() if kind == "anonymous"]
    assert anonymous and anonymous[0].startswith("seorang pejabat senior AS")


def test_role_from_the_introduction_for_a_later_short_form() -> None:
    text = (
        "Analis riset Capital Asset Management, Desmon Silitonga, menuturkan, minat investor tinggi.\n\n"
        "”Permintaan masih kuat sampai akhir tahun,” kata Desmon."
    )
    direct = next(q for q in quotes(text) if q.type == "direct")
    assert direct.speaker.name == "Desmon Silitonga"
    assert direct.role == "Analis riset Capital Asset Management"


def test_multi_word_reporting_verb_and_its_first_word_alone() -> None:
    (q,) = quotes("The senator pointed out that the bill had failed twice in the House this year.", "en")
    assert q.cue.text == "pointed out" and q.text == "the bill had failed twice in the House this year"
    (q,) = quotes("Warren called the practice a scandal that should end before the election.", "en")
    assert q.cue.text == "called" and q.speaker.name == "Warren"


def test_subject_after_a_dateline() -> None:
    text = "(IslamToday ID) – Korea Utara pada hari Senin untuk pertama kalinya mengakui telah mengerahkan pasukan ke Rusia."
    (q,) = quotes(text)
    assert q.cue.text == "mengakui" and q.speaker.name == "Korea Utara"
    assert q.text == "telah mengerahkan pasukan ke Rusia"


def test_place_and_date_between_subject_and_verb() -> None:
    text = (
        "Kepala Polda Papua Inspektur Jenderal Paulus Waterpauw, di Jayapura, Jumat (25/9/2020), mengatakan, "
        "tim investigasi gabungan sudah ada di Sugapa."
    )
    (q,) = quotes(text)
    assert q.speaker.name == "Paulus Waterpauw" and q.role == "Kepala Polda Papua Inspektur Jenderal"
    text = (
        "Ahmad Riza Patria, Wakil Gubernur DKI Jakarta, di Balai Kota DKI, Kamis (5/11/2020), menyampaikan, "
        "penanganan banjir sudah siap."
    )
    (q,) = quotes(text)
    assert q.speaker.name == "Ahmad Riza Patria" and q.role == "Wakil Gubernur DKI Jakarta"
