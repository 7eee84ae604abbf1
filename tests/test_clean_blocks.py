"""Passes over neighbouring lines (`stages.clean.blocks`) and the whole-line rules they rest on:
boxes under a heading the learned model dropped, numbered steps, gallery teasers, tag lists."""

from __future__ import annotations

from trnews.records import RawArticle, Source
from trnews.stages.clean import clean_text
from trnews.stages.clean.blocks import (
    keep_numbered_steps, mark_author_bios, mark_boxes_under_dropped_headings, mark_question_boxes,
)
from trnews.stages.clean.layout import Line
from trnews.stages.clean.reasons import (
    KEPT, REASON_AUTHOR_BIO, REASON_BOILERPLATE, REASON_CREDIT, REASON_LEARNED_BOILERPLATE, REASON_RELATED_LINKS,
    REASON_SIDEBAR_BOX, Verdict,
)
from trnews.stages.clean.rules import is_tag_list, rule_reason
from trnews.stages.clean.widgets import trailing_widget

ARTICLE = [
    "Vakfın geleneksel sanatlar atölyesinde bir yıl boyunca eğitim alan kursiyerlerin eserleri Meram'da sergilendi.",
    "Sergide hat, tezhip ve ebru dallarında otuz bir kursiyerin seksen altı eseri yer alıyor ve ziyaretçiler "
    "eserlerin yapım aşamalarını anlatan kısa filmleri de izleyebiliyor.",
    "Açılışta konuşan vakıf başkanı, geleneksel sanatların sabırla öğrenildiğini ve gençlerin bu eserlerde kendi "
    "emeklerinin karşılığını gördüğünü söyledi.",
]
LEARNED = Verdict(REASON_LEARNED_BOILERPLATE)


def lines_of(texts: list[str]) -> list[Line]:
    return [Line(text=text, block=index, marked_heading=False) for index, text in enumerate(texts)]


def text_article(text: str) -> RawArticle:
    return RawArticle(id="a1", source=Source(path="a1.txt", sha256="0" * 64, format="text"), text=text)


def test_a_box_under_a_heading_the_model_dropped_goes_whatever_its_lines_shapes() -> None:
    box = ["Kış dönemi kurs kayıtları başladı", "4 Eylül Cuma, 20.30 – Mesnevi sohbeti", "Kurslara yaş sınırı var mı?"]
    texts = [*ARTICLE, "Vakfımızdan Haberler", *box, "Künye"]
    verdicts = [KEPT] * 3 + [LEARNED] + [KEPT] * 3 + [Verdict(REASON_BOILERPLATE)]
    marked = mark_boxes_under_dropped_headings(lines_of(texts), verdicts)
    assert marked[:3] == [KEPT] * 3
    assert [verdict.reason for verdict in marked[4:7]] == [REASON_SIDEBAR_BOX] * 3
    assert marked[7] == verdicts[7]


def test_the_article_under_a_dropped_line_is_no_box() -> None:
    # The block below holds most of the page's prose (the article's main block, not its tail).
    texts = ["Kurumsal", *ARTICLE]
    verdicts = [LEARNED] + [KEPT] * 3
    assert mark_boxes_under_dropped_headings(lines_of(texts), verdicts) == verdicts
    # Under a line a rule dropped (a photo credit) or a sentence the model dropped, the model judges the tail.
    below = ["Sergi otuz eylüle kadar açık kalacak", "Giriş ücretsiz"]
    for dropped, verdict in (("Fotoğraf: Vakıf Medya", Verdict(REASON_CREDIT)),
                             ("Bağışlarınızla burs alan öğrenci sayımız bu yıl arttı.", LEARNED)):
        verdicts = [KEPT] * 3 + [verdict] + [KEPT] * 2
        assert mark_boxes_under_dropped_headings(lines_of([*ARTICLE, dropped, *below]), verdicts) == verdicts


def test_a_numbered_step_a_page_phrase_dropped_is_kept_among_its_kept_neighbours() -> None:
    steps = ['1. Uygulama mağazasından "Tek Kart" uygulaması indirilir.', "2. e-Devlet şifresiyle giriş yapılır.",
             "3. Kartın arka yüzündeki numara girilir."]
    assert rule_reason(steps[0]) == REASON_BOILERPLATE
    verdicts = [Verdict(REASON_BOILERPLATE), KEPT, KEPT]
    assert keep_numbered_steps(lines_of(steps), verdicts) == [KEPT] * 3
    # Alone, or among items numbered otherwise, the app prompt stays dropped.
    alone = ['1. Uygulamamızı indirin, haberleri kaçırmayın', "Künye"]
    assert keep_numbered_steps(lines_of(alone), [Verdict(REASON_BOILERPLATE), KEPT])[0].reason == REASON_BOILERPLATE
    apart = ["5. Kart teslim edilir.", steps[0]]
    assert keep_numbered_steps(lines_of(apart), [KEPT, Verdict(REASON_BOILERPLATE)])[1].reason == REASON_BOILERPLATE


def test_the_numbered_steps_of_an_article_survive_cleaning() -> None:
    page = "\n\n".join([
        "Toplu taşımada tek kart dönemi başlıyor",
        ARTICLE[0],
        "Kart, cep telefonundaki mobil uygulamaya da tanımlanabilecek. İşlem şu adımlarla yapılıyor:",
        '1. Uygulama mağazasından "Tek Kart" uygulaması indirilir.',
        "2. e-Devlet şifresiyle giriş yapılır.",
        "3. Kartın arka yüzündeki 16 haneli numara girilir.",
        ARTICLE[1],
    ])
    kept = [paragraph.text for paragraph in clean_text(text_article(page)).paragraphs]
    assert '1. Uygulama mağazasından "Tek Kart" uygulaması indirilir.' in kept


def test_a_gallery_teaser_and_a_photo_count_are_furniture() -> None:
    assert rule_reason("FOTO GALERİ Kuruyan barajlardan dikkat çeken kareler 14 Fotoğraf") == REASON_BOILERPLATE
    assert rule_reason("Foto Galeri: Yılın ilk karı kente beyaz örtü serdi 12 fotoğraf") == REASON_BOILERPLATE
    assert rule_reason("12 Kare") == REASON_BOILERPLATE
    assert rule_reason("Sergide 14 fotoğraf") is None
    assert rule_reason("Galeride bu hafta 14 fotoğraf sergileniyor.") is None


def test_a_tag_list_glued_to_its_label_without_a_colon() -> None:
    assert is_tag_list("Etiketler İstanbul metrobüs İETT toplu taşıma")
    assert is_tag_list("Etiketler: seçim, ekonomi")
    assert not is_tag_list("Konular arasında eğitim ve sağlık da var.")
    assert not is_tag_list("Etiketlerin yeniden basılması gerekecek.")


def test_an_author_box_below_a_byline_whose_name_runs_on_into_a_place() -> None:
    texts = ["Ertan Balcı Yalıkavak", *ARTICLE,
             "Ertan Balcı Korner Spor Ege Bölge Muhabiri. 2011'den bu yana Ege ekiplerini sahada takip ediyor."]
    verdicts = [Verdict(REASON_CREDIT)] + [KEPT] * 4
    marked = mark_author_bios(lines_of(texts), verdicts)
    assert marked[1:4] == [KEPT] * 3
    assert marked[4].reason == REASON_AUTHOR_BIO


def test_round_thirty_furniture_kinds_each_by_a_general_rule() -> None:
    furniture = [
        "Bu duyuruyu paylaşın X Facebook WhatsApp Yazdır",  # a share row after its prompt
        "Kişisel verileriniz 6698 sayılı Kanun kapsamında yalnızca hizmet sunumu amacıyla işlenir.",
        "Yorumunuz moderatör onayının ardından yayımlanır. Lütfen Türkçe karakter kullanın.",
        "Galeri: Sayım gününden kareler",
        "Gazetemizin 3. sayfasında yayımlanmıştır",
        "‹ Önceki 3 / 14 Sonraki ›",  # a gallery's arrows and counter
        "Videoyu oynat 01:48 Tam ekran",  # a player's controls and running time
    ]
    assert [text for text in furniture if rule_reason(text) is None] == []
    article = [
        "Bu fotoğrafı paylaşan kullanıcılar tepki gösterdi",
        "Kurul, 6698 sayılı Kanun kapsamında kişisel verilerin korunmasına ilişkin kararını açıkladı.",
        "Haber gazetenin ilk sayfasında yayımlandı ve büyük yankı uyandırdı.",
        "Galeride bu hafta 14 fotoğraf sergileniyor.",
        "Maç sonuçları",
    ]
    assert [text for text in article if rule_reason(text) is not None] == []


def test_a_share_row_glued_after_a_credit_and_counters_glued_after_a_date() -> None:
    page = "\n\n".join([
        "Nöbetçi eczane sisteminde yeni dönem başlıyor",
        "08.05.2027 Okuma süresi 4 dk Yazdır PDF olarak indir",
        ARTICLE[0],
        ARTICLE[1] + " Görsel: Oda Bilimsel Komisyonu Paylaş Facebook X WhatsApp",
        ARTICLE[2],
    ])
    article = clean_text(text_article(page))
    assert [paragraph.text for paragraph in article.paragraphs] == ARTICLE
    assert article.published is not None and article.published.startswith("2027-05-08")
    reasons = {removed.text: removed.reason for removed in article.removed}
    assert reasons["Okuma süresi 4 dk"] == REASON_BOILERPLATE
    assert reasons["Görsel: Oda Bilimsel Komisyonu"] == REASON_CREDIT


def test_a_site_name_after_a_middle_dot_is_cut_from_the_title() -> None:
    page = "\n\n".join(["Eski Defterler ikinci sezonuyla 7 Mayıs'ta dönüyor · Yankı Odası",
                        "Eski Defterler podcast'i ikinci sezonuyla 7 Mayıs'ta dinleyicilerle yeniden buluşuyor.",
                        *ARTICLE])
    article = clean_text(text_article(page))
    assert article.title == "Eski Defterler ikinci sezonuyla 7 Mayıs'ta dönüyor"
    assert article.outlet == "Yankı Odası"


def test_a_faq_box_is_its_heading_over_questions_without_answers() -> None:
    box = ["Sıkça Sorulan Sorular", "Faturama nasıl itiraz edebilirim?",
           "Sayaç okuma tarihim ne zaman? Su kesintisinde depodaki suyu içebilir miyim?"]
    marked = mark_question_boxes(lines_of([*ARTICLE, *box, "Künye"]), [KEPT] * 6 + [Verdict(REASON_BOILERPLATE)])
    assert [verdict.reason for verdict in marked] == [None] * 3 + [REASON_RELATED_LINKS] * 3 + [REASON_BOILERPLATE]
    # The article's own questions each have their answer below them.
    faq = ["Sık sorulan sorular", "Kesinti ne kadar sürecek?", "Çalışmaların akşam saatlerinde bitmesi bekleniyor.",
           "Depodaki su içilebilir mi?", "Uzmanlar depodaki suyun kaynatılarak içilmesini öneriyor."]
    assert mark_question_boxes(lines_of([*ARTICLE, *faq]), [KEPT] * 8) == [KEPT] * 8
    # One question alone under the heading is no box.
    assert mark_question_boxes(lines_of(["SSS", "Başvuru nereden yapılır?"]), [KEPT] * 2) == [KEPT] * 2


def test_two_buttons_glued_to_the_end_of_a_line_are_cut_whatever_comes_before() -> None:
    tokens = "Ameliyat sonrası sahalardan uzak kaldığı süre: 8 ay WhatsApp'ta paylaş X'te paylaş".split()
    assert tokens[trailing_widget(tokens):] == ["WhatsApp'ta", "paylaş", "X'te", "paylaş"]
    # One phrase that a sentence may end on is no row of buttons.
    assert trailing_widget("Vali, fotoğrafları herkesin görmesi için X'te paylaş dedi".split()) is None


def test_an_embedded_posts_text_and_a_reading_time_alone_are_furniture() -> None:
    for text in ("Bu gönderiyi Instagram'da görüntüle", "2.184.377 beğenme", "Doğrulanmış hesap", "· 5 dk"):
        assert rule_reason(text) == REASON_BOILERPLATE, text
    assert rule_reason("Hazırlık: 10 dk") is None
