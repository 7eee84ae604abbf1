"""Cleaning stage: what is kept (exactly, in order), what is removed and why, and metadata."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from trnews.stages import clean
from trnews.stages.clean.layout import Line, split_lines, unflatten
from trnews.stages.clean.article import rule_verdicts
from trnews.stages.clean import fragments
from trnews.stages.clean.learned import LineModel, Tree, is_judged, judged_lines, shipped_model
from trnews.stages.clean.lexicon import addresses_reader, buttons_after_sentence, is_button, is_ui_line, sells_to_reader
from trnews.stages.clean.line_features import FEATURES, MAX_TAIL_BLOCK_SENTENCES, page_context
from trnews.stages.clean.word_model import NO_WORDS, WordModel, word_tokens
from trnews.stages.clean.phrases import line_key
from trnews.stages.clean.reasons import KEPT, Verdict
from trnews.stages.clean.rules import rule_reason
from trnews.stages.clean.site_templates import SiteTemplate, TemplateStats, source_of, template_key
from trnews.stages.clean.titles import lead_overlap, make_title, split_breadcrumbs
from trnews.stages.clean import (
    NO_TEXT_LEFT,
    check_languages,
    clean_article,
    clean_text,
    language_detector,
)
from trnews.text.dates import parse_turkish_date
from trnews.stages.ingest.files import read_file
from trnews.records import CleanArticle, RawArticle, Source, SourceFormat

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
DATA = Path(clean.__file__).parents[2] / "data"
CLEANER_CODE = "\n".join(path.read_text(encoding="utf-8") for path in Path(clean.__file__).parent.glob("*.py"))

NOISE = re.compile(
    r"REKLAM|Reklam|ADVERTISEMENT|yanıt yazın|Yorum|E-posta adresiniz|SON DAKİKA|FLAŞ|SICAK GELİŞME"
    r"|Yayımlandı|kategorisi|yazarı|Etiketler|Paylaş|paylaş|WhatsApp|İlgili Haberler|Abone ol"
    r"|Google News|Okunma|Tüm hakları|çerez|devamı için|Kaynak|Editör|Muhabir|girdileriyle|SERVİSİ"
    r"|Güncelleme|Yayınlanma|zorvaks|kelmora",
    re.IGNORECASE,
)


def raw(text: str, fmt: SourceFormat = "text", **fields: str | None) -> RawArticle:
    return RawArticle(id="a1", source=Source(path="a1.txt", sha256="0" * 64, format=fmt), text=text, **fields)


def fixture(name: str, fmt: SourceFormat = "text") -> CleanArticle:
    return clean_article(raw((FIXTURES / name).read_text(encoding="utf-8"), fmt))


def body(article: CleanArticle) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in article.paragraphs]


def removed(article: CleanArticle, reason: str) -> list[str]:
    return [r.text for r in article.removed if r.reason == reason]


def assert_no_noise(article: CleanArticle) -> None:
    for paragraph in article.paragraphs:
        assert not NOISE.search(paragraph.text), paragraph.text
        assert paragraph.text != article.title


def test_blog_article_with_comment_form_labels_ads_and_appended_spam() -> None:
    article = fixture("blog_spam_tail.txt")

    assert article.title == "Kadıköy'de sahil yolu yenileniyor"
    assert removed(article, "site-name-suffix") == ["Şehir Haberleri"]
    assert body(article) == [
        ("text", "İstanbul Büyükşehir Belediyesi, Kadıköy sahil yolunda başlattığı yenileme çalışmalarının "
                 "yaz sonuna kadar tamamlanacağını açıkladı. Çalışmalar nedeniyle bazı şeritler geçici olarak "
                 "trafiğe kapatıldı."),
        # The photo credit glued after the sentence is cut off it, to the credits.
        ("text", "Moda ile Haydarpaşa arasındaki yürüyüş yolunda bisiklet şeridi genişletiliyor."),
        ("heading", "Esnaf endişeli"),
        ("text", "Sahil boyunca faaliyet gösteren kafe işletmecileri, çalışmaların turizm sezonuna denk "
                 "gelmesinden yakınıyor. Bir işletme sahibi, “Müşterilerimiz sahile ulaşmakta zorlanıyor.” dedi."),
        ("heading", "BAKAN YARDIMCISI: PROJE ÖRNEK OLACAK"),
        ("text", "Projeyi yerinde inceleyen yetkililer, benzer düzenlemelerin diğer ilçelerde de "
                 "uygulanacağını belirtti."),
        ("heading", "“YEŞİL ALAN İKİ KATINA ÇIKACAK”"),
        ("text", "Belediye, sahil şeridindeki yeşil alanın iki katına çıkarılmasının planlandığını duyurdu."),
    ]
    assert_no_noise(article)
    assert article.credits == ["AA", "(Fotoğraf: İBB Basın Ofisi)", "(İSTANBUL HABER SERVİSİ)"]
    assert removed(article, "credit") == article.credits
    assert removed(article, "ad-marker") == ["----- REKLAM ----- ----- REKLAM -----"]
    assert removed(article, "metadata-label") == ["Yayımlandı", "kategorisi", "yazarı:", "Etiketler:"]
    assert removed(article, "comment-form") == [
        "Yorumlar", "Bir yanıt yazın",
        "E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir",
    ]
    assert len(removed(article, "spam")) == 4
    assert article.language == "tr" and article.skip_reason is None
    assert article.published is None


def test_spam_block_is_caught_by_statistics_not_by_a_word_list() -> None:
    spam = (FIXTURES / "blog_spam_tail.txt").read_text(encoding="utf-8").split("işaretlenmişlerdir")[1]
    code_words = set(line_key(CLEANER_CODE).split())
    assert not set(line_key(spam).split()) & code_words

    # Also without the tail position (no comment form before it).
    text = (
        "Sivas'ta yeni kütüphane açıldı\n\n"
        "Kent merkezindeki kütüphane, yirmi bin kitaplık koleksiyonuyla okurlara kapılarını açtı.\n\n"
        + spam.strip()
    )
    article = clean_article(raw(text))
    assert body(article) == [
        ("text", "Kent merkezindeki kütüphane, yirmi bin kitaplık koleksiyonuyla okurlara kapılarını açtı."),
    ]
    assert removed(article, "spam") == spam.strip().split("\n")


def test_lone_spam_line_after_the_comment_form_is_spam() -> None:
    text = (
        "Tokat'ta hasat başladı\n\nTokat ovasında domates hasadı bu hafta başladı.\n\n"
        "Yorum yapın\n\ntokat zorvaks yozgat kelmora"
    )
    article = clean_article(raw(text))
    assert body(article) == [("text", "Tokat ovasında domates hasadı bu hafta başladı.")]
    assert removed(article, "spam") == ["tokat zorvaks yozgat kelmora"]


def test_banner_repeated_title_update_date_on_next_line_and_ad_markers() -> None:
    article = fixture("breaking_update.txt")

    assert article.title == "Karadeniz'de fındık hasadı başladı: Üreticiler fiyat bekliyor"
    assert removed(article, "site-name-suffix") == ["Kent Postası, Kentpostasi, Güncel Karadeniz Haberleri"]
    assert removed(article, "breaking-news-banner") == ["FLAŞ"]
    assert removed(article, "repeated-title") == [
        "Karadeniz'de fındık hasadı başladı: Üreticiler fiyat bekliyor",
        "KARADENİZ'DE FINDIK HASADI BAŞLADI: ÜRETİCİLER FİYAT BEKLİYOR",
    ]
    assert removed(article, "update-date") == ["Güncelleme:", "14 Ağustos 2025 - 9:41"]
    # A last-updated date is not the publication date.
    assert article.published is None
    assert article.updated == "2025-08-14T09:41+03:00"
    assert removed(article, "ad-marker") == ["----- REKLAM -----", "Reklam", "ADVERTISEMENT"]
    assert article.credits == ["Kaynak: Reuters", "Editör: Ayşe Demir"]
    assert body(article) == [
        ("text", "Ordu, Giresun ve Trabzon'da fındık hasadı bu hafta itibarıyla başladı. Bahçelerde çalışan "
                 "işçilerin günlük yevmiyeleri geçen yıla göre yüzde 40 arttı."),
        ("heading", "Rekolte Tahminleri"),
        ("text", "Ziraat odaları, bu yıl rekoltenin 650 bin ton civarında olmasını bekliyor. Don olaylarının "
                 "etkilediği yüksek kesimlerde ise verim düşüklüğü yaşanıyor."),
        ("heading", "Fiyat açıklaması için gözler TMO'da"),
        ("text", "Üreticiler, Toprak Mahsulleri Ofisi'nin alım fiyatını bir an önce açıklamasını istiyor. "
                 "Giresun Ziraat Odası Başkanı, maliyetlerin ciddi biçimde yükseldiğini vurguladı."),
    ]
    assert_no_noise(article)


def test_portal_boilerplate_share_buttons_footer_and_credits() -> None:
    article = fixture("portal_boilerplate.txt")

    assert article.title == "Ankara'da kar yağışı ulaşımı aksattı"
    assert removed(article, "title-label") == ["VİDEO:"]
    assert removed(article, "site-name-suffix") == ["Başkent Gazetesi"]
    assert removed(article, "breaking-news-banner") == ["SICAK GELİŞME"]
    assert removed(article, "publish-date") == ["Yayınlanma: 12.01.2025 07:30"]
    assert article.published == "2025-01-12T07:30+03:00"
    assert article.updated is None
    assert article.credits == [
        "Haber Kaynağı: Demirören Haber Ajansı (DHA)", "Muhabir: Kemal Aksoy", "(Anadolu Ajansı'nın girdileriyle)",
    ]
    assert removed(article, "boilerplate") == [
        "Paylaş", "Facebook'ta paylaş", "WhatsApp", "Haberin devamı için tıklayın", "Okunma: 1.234",
        "Facebook | X | WhatsApp | Telegram", "İlgili Haberler", "Abone ol", "Google News'te takip edin",
        "Sitemizde size daha iyi hizmet sunabilmek için çerezler kullanılmaktadır. Ayrıntılar için Çerez "
        "Politikası'nı inceleyebilirsiniz.",
        "© 2025 Başkent Medya A.Ş. Tüm hakları saklıdır.",
    ]
    assert body(article) == [
        ("text", "Başkentte gece saatlerinde başlayan kar yağışı, sabah trafiğinde uzun kuyruklara neden oldu. "
                 "Kar kalınlığı bazı ilçelerde 20 santimetreyi aştı."),
        ("text", "Valilik, okulların bir gün süreyle tatil edildiğini duyurdu. Kamu kurumlarında hamile ve "
                 "engelli personel idari izinli sayılacak."),
        ("heading", "Karla mücadele ekipleri sahada"),
        ("text", "Belediye ekipleri, ana arterlerde tuzlama çalışmalarını sürdürüyor. Yetkililer, sürücülerin "
                 "zorunlu olmadıkça araçlarıyla trafiğe çıkmamasını istedi."),
    ]
    assert_no_noise(article)


def test_markdown_headings_come_only_from_hash_lines() -> None:
    article = fixture("markdown_headings.txt", fmt="markdown")

    assert article.title == "Türkiye'de yenilenebilir enerji payı rekor kırdı"
    assert body(article) == [
        ("text", "Yenilenebilir kaynakların elektrik üretimindeki payı, geçen ay ilk kez yüzde 60'ı aştı. "
                 "Rüzgar ve güneş santrallerindeki kapasite artışı belirleyici oldu."),
        ("heading", "Güneşte yeni kapasite"),
        ("text", "Lisanssız güneş santrali başvuruları son bir yılda iki katına çıktı. Sektör temsilcileri, "
                 "şebeke bağlantı sürelerinin kısalması gerektiğini söylüyor."),
        ("text", "Kurulu gücün dağılımı"),
        ("text", "Enerji Bakanlığı'nın verilerine göre kurulu gücün yarısından fazlası yenilenebilir "
                 "kaynaklardan oluşuyor."),
        ("heading", "Uzmanlar ne diyor"),
        ("text", "Uzmanlar, depolama yatırımları yapılmadan bu artışın sürdürülebilir olmayacağı görüşünde."),
    ]
    assert removed(article, "breaking-news-banner") == ["SON DAKİKA"]
    assert removed(article, "boilerplate") == ["İlgili Haberler"]
    assert removed(article, "comment-form") == ["Yorumlar", "Yorum yapın"]


def test_markdown_lines_are_read_as_a_reader_sees_them() -> None:
    text = (
        "# [Yeşilköy'de yeni park açıldı](https://ornek.example/park)\n\n"
        "[Ana sayfa](/) › [Yerel](/yerel) › Park\n\n"
        "![Parkın açılışı](/img/park.png)\n\n"
        "Belediye Başkanı Ayşe Kara, **Yeşilköy Parkı**'nı [dün](https://ornek.example/dun) açtı. "
        "Törene `yüzlerce` kişi katıldı.\n\n"
        "Park, 12 dönümlük alanda çocuk oyun alanları ve yürüyüş yolları içeriyor. Kara, parkın gece de "
        "açık kalacağını söyledi.\n"
    )
    article = clean_article(raw(text, fmt="markdown"))

    assert article.title == "Yeşilköy'de yeni park açıldı"
    assert body(article) == [
        ("text", "Belediye Başkanı Ayşe Kara, Yeşilköy Parkı'nı dün açtı. Törene yüzlerce kişi katıldı."),
        ("text", "Park, 12 dönümlük alanda çocuk oyun alanları ve yürüyüş yolları içeriyor. Kara, parkın gece de "
                 "açık kalacağını söyledi."),
    ]
    assert removed(article, "image") == ["![Parkın açılışı](/img/park.png)"]
    assert "Ana sayfa › Yerel › Park" in [r.text for r in article.removed]


def test_link_share_of_a_markdown_line() -> None:
    menu, sentence = split_lines(
        "[Ana sayfa](/) › [Yerel](/yerel)\n\nBaşkan [parkı](/p) dün açtı.\n\n5 * 3 = 15 *****", "markdown"
    )[:2]
    assert (menu.text, menu.link_share) == ("Ana sayfa › Yerel", 13 / 14)
    assert sentence.text == "Başkan parkı dün açtı." and 0 < sentence.link_share < 0.5
    assert split_lines("5 * 3 = 15 *****", "markdown")[0].text == "5 * 3 = 15 *****"
    assert [(line.text, line.link_share) for line in split_lines("[Ana sayfa](/)", "html")] == [("[Ana sayfa](/)", 0.0)]


def test_given_title_is_cleaned_and_its_repetition_in_the_body_removed() -> None:
    text = "# Bursa'da yeni metro hattı\n\nBursa'da yeni metro hattının temeli atıldı. Hat 2027'de açılacak."
    article = clean_article(raw(text, "html", title="Bursa'da yeni metro hattı | Marmara Haberleri"))
    assert article.title == "Bursa'da yeni metro hattı"
    assert removed(article, "site-name-suffix") == ["Marmara Haberleri"]
    assert removed(article, "repeated-title") == ["Bursa'da yeni metro hattı"]
    assert body(article) == [("text", "Bursa'da yeni metro hattının temeli atıldı. Hat 2027'de açılacak.")]


@pytest.mark.parametrize(
    ("title_line", "title", "suffix"),
    [
        ("Vergi paketi Meclis'ten geçti - Hürriyet", "Vergi paketi Meclis'ten geçti", "Hürriyet"),
        ("Vergi paketi Meclis'ten geçti | Ekonomi | Günün Gazetesi", "Vergi paketi Meclis'ten geçti",
         "Ekonomi | Günün Gazetesi"),
        # A dash followed by ordinary words is part of the headline.
        ("Ankara'da kritik zirve: Erdoğan - Biden görüşmesi sona erdi",
         "Ankara'da kritik zirve: Erdoğan - Biden görüşmesi sona erdi", None),
        # A leading phrase that is not a medium/urgency label stays.
        ("Yıllar sonra ilk: Bakan Kars'ta", "Yıllar sonra ilk: Bakan Kars'ta", None),
    ],
)
def test_title_suffixes(title_line: str, title: str, suffix: str | None) -> None:
    article = clean_article(raw(f"{title_line}\n\nKars'ta kar yağışı etkili oldu. Yollar kapandı."))
    assert article.title == title
    assert removed(article, "site-name-suffix") == ([suffix] if suffix else [])


@pytest.mark.parametrize(
    ("title_line", "title", "section", "suffix"),
    [
        ("Spor | Milli takım aday kadrosunu açıkladı", "Milli takım aday kadrosunu açıkladı", "Spor", None),
        ("Hava Durumu » Karadeniz'de sağanak uyarısı", "Karadeniz'de sağanak uyarısı", "Hava Durumu", None),
        # A short headline before a capitalised site name: the site name is the suffix.
        ("Deprem uyarısı | Haber Merkezi Gazetesi", "Deprem uyarısı", None, "Haber Merkezi Gazetesi"),
        # Title Case on both sides: nothing tells a section from a headline, so nothing is cut.
        ("Gündem | Bakan Yılmaz Kars'ta", "Gündem | Bakan Yılmaz Kars'ta", None, None),
    ],
)
def test_a_section_name_before_the_headline_is_cut(title_line: str, title: str, section: str | None,
                                                   suffix: str | None) -> None:
    article = clean_article(raw(f"{title_line}\n\nKars'ta kar yağışı etkili oldu. Yollar kapandı."))
    assert article.title == title
    assert removed(article, "section-prefix") == ([section] if section else [])
    assert removed(article, "site-name-suffix") == ([suffix] if suffix else [])


def test_buttons_glued_after_the_headline_are_cut_and_a_headline_ending_like_one_stays() -> None:
    article = clean_article(raw("Belediye yeni kütüphaneyi açtı Paylaş Yazdır\n\nKütüphane yarın açılıyor."))
    assert article.title == "Belediye yeni kütüphaneyi açtı"
    assert removed(article, "widget") == ["Paylaş Yazdır"]
    article = clean_article(raw("Öğrenciler projelerini paylaştı\n\nFuar yarın açılıyor."))
    assert article.title == "Öğrenciler projelerini paylaştı"


def test_a_labelled_date_range_is_the_articles_not_the_publication_date() -> None:
    article = clean_article(raw("Müzede yeni sergi\n\nKent müzesi, yerel ressamların eserlerini bir araya getiriyor."
                                "\n\nTarih: 5 Mart - 20 Nisan 2026\n\nSergi hafta içi her gün ziyaret edilebilecek."))
    assert article.published is None
    assert "Tarih: 5 Mart - 20 Nisan 2026" in [text for _, text in body(article)]


@pytest.mark.parametrize(
    ("text", "published", "event_date"),
    [
        ("Köy çeşmesi yeniden akıyor\n\n12.11.2026\n\nOnarım iki ay sürdü ve bugün tamamlandı.\n\n"
         "Çeşme, köyün ayakta kalan en eski yapısıdır.\n\nTarih: 6 Aralık 2026 Pazar, saat 11.00\n\n"
         "Yer: Köy Meydanı\n\nTörene katılım herkese açıktır.",
         "2026-11-12", "Tarih: 6 Aralık 2026 Pazar, saat 11.00"),
        # The box closes the article: its next field, not a sentence, follows the date.
        ("Şair yeni romanını imzalayacak\n\nŞair, ilk romanını yazmanın dört yıl sürdüğünü anlattı.\n\n"
         "Romanın bir bölümünü okurlarla paylaşacağını da söyledi.\n\nİmza günü\n\n"
         "Tarih: 20 Aralık 2026 Cumartesi, 15.00\n\nYer: Kitapsever Kafe, Odunpazarı\n\nSöyleşiyi paylaşın",
         None, "Tarih: 20 Aralık 2026 Cumartesi, 15.00"),
    ],
)
def test_an_event_date_inside_the_article_is_the_articles_not_the_publication_date(
        text: str, published: str | None, event_date: str) -> None:
    article = clean_article(raw(text))
    assert article.published == published
    assert event_date in [line for _, line in body(article)]


def test_a_price_list_after_a_photo_credit_between_paragraphs_is_the_articles() -> None:
    # One paragraph a line, as many sites' pages arrive.
    article = clean_article(raw("Pazarda sebze fiyatları düştü\nSıcaklar artınca tezgahlar sebzeyle doldu.\n"
                                "Fotoğraf: Merkez Ajansı\nPazarcıların bugünkü fiyatları şöyle:\n"
                                "Domates: 18 TL\nBiber: 25 TL\nKabak: 14 TL\n"
                                "Esnaf fiyatların hafta sonu daha da düşeceğini söylüyor."))
    kept = [text for _, text in body(article)]
    assert ["Domates: 18 TL", "Biber: 25 TL", "Kabak: 14 TL"] == [t for t in kept if t.endswith(" TL")]
    assert removed(article, "spam") == []


def test_counted_reaction_buttons_are_furniture_and_counted_facts_stay() -> None:
    article = clean_article(raw("Başlık burada\n\nBelediye yeni parkı açtı.\n\n12 kişi yaralandı.\n\n"
                                "Beğendim 12\n\nÜzüldüm 3\n\nYorumlar 4"))
    assert [text for _, text in body(article)] == ["Belediye yeni parkı açtı.", "12 kişi yaralandı."]
    assert removed(article, "boilerplate") == ["Beğendim 12", "Üzüldüm 3", "Yorumlar 4"]


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        ("Bu haberi beğendiniz mi?", True),
        ("E-posta hesabınız yayımlanmayacak.", True),
        ("Sizce en büyük sorun nedir?", True),
        ("Videoyu izlemek için tıklayın", True),
        ("Deniz kenarında yalnız yürüdü.", False),
        ("Sayın Vali oyun alanını açtı.", False),
        ("Ankara'nın merkezinde toplantı yapıldı.", False),
    ],
)
def test_words_that_address_the_reader(text: str, addresses: bool) -> None:
    assert addresses_reader(text) is addresses


def test_a_polls_answers_between_sentences_are_not_protected_and_a_subheading_is() -> None:
    texts = ["Belediye yeni parkı bugün törenle hizmete açtı.", "Bu haberi beğendiniz mi?", "Evet", "Hayır",
             "Park gece yarısına kadar açık kalacak ve girişler ücretsiz olacak.", "Ağaçlar ve yürüyüş yolları",
             "Parkta iki basketbol sahası ve bir koşu parkuru da bulunuyor."]
    lines = [Line(text, index, False) for index, text in enumerate(texts)]
    context = page_context(lines, [KEPT] * len(lines), word_model=NO_WORDS)
    assert [protected for protected, text in zip(context.protected, texts) if text in ("Evet", "Hayır")] == [False] * 2
    assert context.protected[texts.index("Ağaçlar ve yürüyüş yolları")]


def test_a_one_sentence_prompt_to_the_reader_is_judged_and_the_writers_sentences_are_not() -> None:
    assert is_judged("Bu haberi beğendiniz mi?", 0.0)
    assert not is_judged("Belediye yeni parkı bugün törenle açtı.", 0.0)
    # A longer statement to the reader is an adviser's or a columnist's.
    assert not is_judged("İyi bir spor ayakkabısı ayağınızın şekline ve adım tarzınıza uygun olmalıdır.", 0.0)
    # A line that holds an article sentence too (a flattened page) is left to the writer.
    assert not is_judged("Park gece de açık olacak. Bu haber hakkında ne düşünüyorsunuz?", 0.0)
    # So is a quotation: "Siz de gelin." said someone in the article.
    assert not is_judged("“Siz de gelin, görün.”", 0.0)


def test_izleyin_label_is_cut_from_the_title() -> None:
    article = clean_article(raw("İzleyin: Boğaz'da yunus sürüsü görüntülendi\n\nBalıkçılar yunusları kaydetti."))
    assert article.title == "Boğaz'da yunus sürüsü görüntülendi"
    assert removed(article, "title-label") == ["İzleyin:"]


@pytest.mark.parametrize(
    ("month", "number"),
    [("Ocak", 1), ("Şubat", 2), ("Mart", 3), ("Nisan", 4), ("Mayıs", 5), ("Haziran", 6), ("Temmuz", 7),
     ("Ağustos", 8), ("Eylül", 9), ("Ekim", 10), ("Kasım", 11), ("Aralık", 12)],
)
def test_parse_turkish_month_names(month: str, number: int) -> None:
    assert parse_turkish_date(f"5 {month} 2024") == f"2024-{number:02d}-05"
    assert parse_turkish_date(f"5 {month.upper()} 2024 Cuma, 18:45") == f"2024-{number:02d}-05T18:45"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("19 Haziran 2024 - 0:06", "2024-06-19T00:06"),
        ("19.06.2024 14:30", "2024-06-19T14:30"),
        ("19/06/2024", "2024-06-19"),
        ("2024-06-19 08:15", "2024-06-19T08:15"),
        ("31 Şubat 2024", None),
        ("bugün", None),
    ],
)
def test_parse_turkish_date(text: str, iso: str | None) -> None:
    assert parse_turkish_date(text) == iso


def test_update_date_on_the_same_line_is_updated_and_given_published_wins() -> None:
    text = "Başlık burada\n\nSon Güncelleme: 3 Mart 2025 11:20\n\nMetin burada yer alıyor."
    article = clean_article(raw(text))
    assert (article.published, article.updated) == (None, "2025-03-03T11:20+03:00")
    assert clean_article(raw(text, published="19 Haziran 2024")).published == "2024-06-19"
    assert clean_article(raw(text, published="2024-06-19T10:00:00+03:00")).published == "2024-06-19T10:00:00+03:00"
    assert clean_article(raw(text, published="2024-06-19T10:00:00Z")).published == "2024-06-19T10:00:00Z"
    # A time without a zone is Istanbul time, with that day's offset (+02:00 in winter before 2016).
    assert clean_article(raw(text, published="2014-01-10 09:15")).published == "2014-01-10T09:15+02:00"
    assert clean_article(raw(text, published="19.06.2024 14:30")).published == "2024-06-19T14:30+03:00"


def test_caption_with_parenthesised_source_is_kept_but_lone_agency_lines_are_credits() -> None:
    text = (
        "Van'da deprem tatbikatı\n\nİHA\n\n"
        "Tatbikat sabah saatlerinde başladı. (X/Valilik Haberleri)\n\n"
        "Ekipler enkaz altındaki kişileri kurtarma senaryosunu uyguladı.\n\n"
        "Van (AA)\n\nAnadolu Ajansı\n\nDHA"
    )
    article = clean_article(raw(text))
    assert body(article) == [
        ("text", "Tatbikat sabah saatlerinde başladı. (X/Valilik Haberleri)"),
        ("text", "Ekipler enkaz altındaki kişileri kurtarma senaryosunu uyguladı."),
    ]
    # One credit per agency: "Anadolu Ajansı" is the "AA" of "Van (AA)".
    assert article.credits == ["İHA", "Van (AA)", "DHA"]
    assert removed(article, "credit") == ["İHA", "Van (AA)", "Anadolu Ajansı", "DHA"]


def test_english_article_is_skipped_with_a_reason() -> None:
    article = fixture("english.txt")
    assert article.language == "en"
    assert article.skip_reason is not None
    assert re.fullmatch(r"not Turkish: detected English \(confidence (?:0\.\d\d|1\.00)\)", article.skip_reason)
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize(
    "text",
    ["", "Sadece başlık", "Sadece başlık\n\n----- REKLAM -----\n\nBir yanıt yazın\n\nPaylaş"],
)
def test_nothing_left_is_skipped(text: str) -> None:
    article = clean_article(raw(text))
    assert article.paragraphs == []
    assert article.skip_reason == NO_TEXT_LEFT
    assert article.language is None


def test_reasons_are_machine_friendly_and_output_is_deterministic() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        article = fixture(path.name)
        assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", r.reason) for r in article.removed)
        again = fixture(path.name)
        assert again.model_dump(exclude={"timings"}) == article.model_dump(exclude={"timings"})
        assert "clean" in article.timings


def test_languages_of_many_articles_are_checked_at_once_each_as_alone() -> None:
    texts = [(FIXTURES / "english.txt").read_text(encoding="utf-8"), "Sadece başlık",
             *(path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt")) if path.name != "english.txt")]
    alone = [clean_article(raw(text)) for text in texts]
    together = check_languages([clean_text(raw(text)) for text in texts])
    assert [(a.language, a.skip_reason) for a in together] == [(a.language, a.skip_reason) for a in alone]
    assert together[0].language == "en" and together[1].skip_reason == NO_TEXT_LEFT
    assert all(a.language == "tr" and a.skip_reason is None for a in together[2:] if a.paragraphs)
    assert check_languages([]) == []


def test_detector_is_built_once() -> None:
    # Cleaning speed is measured by benchmarks/clean_quality.py, not asserted here.
    assert language_detector() is language_detector()


def test_one_paragraph_per_line_text_is_split_and_a_missing_final_stop_is_not_spam() -> None:
    text = (
        "Rize'de çay hasadı sürüyor\n"
        "Rize'de yaş çay hasadı yoğun tempoyla sürüyor. Üreticiler kota uygulamasından şikayetçi.\n"
        "Alım fiyatı tartışması\n"
        "Çay üreticileri, bu yıl açıklanan alım fiyatının maliyetleri karşılamadığını belirtiyor ve yeni bir düzenleme "
        "yapılmasını bekliyor\n"
        "Bir yanıt yazın\n"
        "tokat zorvaks yozgat kelmora\n"
        "Kelmora Tokat kelmora Yozgat zorvaks"
    )
    article = clean_article(raw(text, "jsonl"))
    assert body(article) == [
        ("text", "Rize'de yaş çay hasadı yoğun tempoyla sürüyor. Üreticiler kota uygulamasından şikayetçi."),
        ("heading", "Alım fiyatı tartışması"),
        ("text", "Çay üreticileri, bu yıl açıklanan alım fiyatının maliyetleri karşılamadığını belirtiyor ve yeni "
                 "bir düzenleme yapılmasını bekliyor"),
    ]
    assert removed(article, "spam") == ["tokat zorvaks yozgat kelmora", "Kelmora Tokat kelmora Yozgat zorvaks"]


def test_hard_wrapped_paragraph_and_list_stay_whole() -> None:
    wrapped = (
        "Meteoroloji Genel Müdürlüğü, hafta sonu boyunca\n"
        "Ege ve Akdeniz kıyılarında sıcaklıkların mevsim\n"
        "normallerinin üzerinde seyredeceğini açıkladı."
    )
    items = "- Bol su için.\n- Öğle saatlerinde dışarı çıkmayın."
    article = clean_article(raw(f"Sıcak hava uyarısı\n\n{wrapped}\n\n{items}"))
    assert body(article) == [("text", wrapped), ("text", items)]


def test_label_before_a_pipe_is_not_taken_for_the_title() -> None:
    article = clean_article(raw("SON DAKİKA | Marmara'da 4,1 büyüklüğünde deprem\n\nDeprem kısa sürdü."))
    assert article.title == "Marmara'da 4,1 büyüklüğünde deprem"
    assert removed(article, "title-label") == ["SON DAKİKA |"]
    assert removed(article, "site-name-suffix") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Kurum, web sitelerinin çerez kullanımına ilişkin yeni bir rehber yayımladı.",
        "2 yorumcu programda ekonomiyi tartıştı.",
        "Ajans, Reuters'a konuşan bakanın açıklamalarını aktardı.",
    ],
)
def test_body_sentences_that_mention_noise_words_are_kept(sentence: str) -> None:
    article = clean_article(raw(f"Başlık\n\n{sentence}\n\nGörüşmeler yarın da sürecek."))
    assert body(article)[0] == ("text", sentence)


def test_noise_above_the_headline_is_skipped_when_finding_the_title() -> None:
    text = (
        "SON DAKİKA\n\n5 Mayıs 2025 Pazartesi 08:10\n\nDHA\n\n"
        "Edirne'de sel uyarısı\n\nMeriç Nehri'nde su seviyesi yükseldi."
    )
    article = clean_article(raw(text))
    assert article.title == "Edirne'de sel uyarısı"
    assert [(r.reason, r.text) for r in article.removed] == [
        ("breaking-news-banner", "SON DAKİKA"), ("publish-date", "5 Mayıs 2025 Pazartesi 08:10"), ("credit", "DHA"),
    ]
    assert article.published == "2025-05-05T08:10+03:00"
    assert article.credits == ["DHA"]
    assert body(article) == [("text", "Meriç Nehri'nde su seviyesi yükseldi.")]


# --- pages built unlike the project's own examples ------------------------------------------------


def ingested(name: str) -> RawArticle:
    """A fixture read the way `trnews run` reads it (ingest decides format, title, published)."""
    (article,) = read_file(FIXTURES / name)
    assert isinstance(article, RawArticle)
    return article


def test_article_flattened_to_one_line_is_split_back_and_its_glued_widgets_cut() -> None:
    page = ingested("flattened_one_line.txt")
    assert "\n" not in page.text.strip()
    article = clean_article(page)

    assert article.title == "Kuraklık alarmı: Barajlarda su seviyesi yüzde 30'un altına indi"
    assert article.published == "2025-03-03"
    assert body(article) == [
        ("text", "İzmir'de barajlardaki doluluk oranı son on yılın en düşük seviyesine geriledi. Uzmanlar, "
                 "yağışların mevsim normallerinin çok altında kaldığını belirtiyor."),
        ("text", "Su ve Kanalizasyon İdaresi, gece saatlerinde bazı ilçelerde planlı kesintiye gidileceğini "
                 "duyurdu. Kesintilerin süresi ve saatleri idarenin internet sitesinden ilan edilecek."),
        ("heading", "ÇİFTÇİLER ENDİŞELİ"),
        ("text", "Ovadaki üreticiler, sulama suyunun yetmeyeceğinden endişe ediyor. Bir pamuk üreticisi, ekim "
                 "alanını bu yıl yarı yarıya azaltacağını söyledi."),
        ("text", "Yetkililer, vatandaşlardan suyu tasarruflu kullanmalarını istedi."),
    ]
    assert [(r.reason, r.text) for r in article.removed] == [
        ("publish-date", "3 Mart 2025"), ("widget", "PAYLAŞ Yorum yaz A"), ("widget", "PAYLAŞ A"),
    ]


def test_the_headline_is_the_line_above_the_lead_that_the_lead_restates() -> None:
    text = ("CANLI\n\nDicle Gençlik 1-0 Karadağspor 34'\n\nKonya 14°C Parçalı Bulutlu\n\n"
            "Kızılırmak deplasmanda Ege Yıldızspor'u 3-1 mağlup etti\n\n"
            "Kızılırmak, deplasmanda Ege Yıldızspor'u 3-1 yenerek üst üste dördüncü galibiyetini aldı. "
            "Karadağspor ise evinde berabere kaldı.")
    article = clean_article(raw(text))
    assert article.title == "Kızılırmak deplasmanda Ege Yıldızspor'u 3-1 mağlup etti"
    assert removed(article, "header-row") == ["CANLI", "Dicle Gençlik 1-0 Karadağspor 34'"]
    assert removed(article, "boilerplate") == ["Konya 14°C Parçalı Bulutlu"]
    # A column's opening question runs straight into the lead; the headline is set apart from it.
    article = clean_article(raw("Türk muhatap kim? 9 Ağustos 2009 PAYLAŞ Yorum yaz A Partiler görüşmeye devam "
                                "etsin mi?\n\nPartilerin görüşmesi doğal. Ama asıl soru belli: bu meselenin Türk "
                                "muhatabı kimdir?"))
    assert article.title == "Türk muhatap kim?"
    assert body(article)[0] == ("text", "Partiler görüşmeye devam etsin mi?")
    # A section name sharing two words loses to a headline sharing three.
    article = clean_article(raw("Ortopedi ve Travmatoloji\n\nDiz protezinden sonra hayata dönüş ne kadar sürüyor?"
                                "\n\n2 Aralık 2026\n\nDiz protezi ameliyatından sonra hayata dönüş, Ortopedi ve "
                                "Travmatoloji uzmanlarına göre üç ay sürüyor."))
    assert article.title == "Diz protezinden sonra hayata dönüş ne kadar sürüyor?"
    # A line sharing one word with the lead is no evidence: the first headline-shaped line stays.
    assert lead_overlap("Konya 14°C Parçalı Bulutlu", "Konya'da yeni fabrika açıldı.") == 0.0
    assert lead_overlap("Konya'da yeni fabrika temeli atıldı", "Konya'da yeni fabrikanın temeli atıldı.") > 2


def test_a_date_and_a_name_in_capitals_glued_around_a_flattened_headline_are_cut() -> None:
    text = ("T.C. KUZEYKENT BELEDİYESİ Karla mücadelede 180 personel göreve hazır Paylaş WhatsApp   "
            "Kuzeykent Belediyesi karla mücadele için 180 personel ve 46 aracı göreve hazırladı.")
    article = clean_article(raw(text))
    assert article.title == "Karla mücadelede 180 personel göreve hazır"
    assert removed(article, "header-row") == ["T.C. KUZEYKENT BELEDİYESİ"]
    assert removed(article, "widget") == ["Paylaş WhatsApp"]
    article = clean_article(raw("04 Aralık 2026 Kuzeykent Kış Festivali başlıyor\n\n"
                                "Kuzeykent Kış Festivali 20 Aralık'ta başlıyor."))
    assert article.title == "Kuzeykent Kış Festivali başlıyor"
    assert article.published == "2026-12-04"
    article = clean_article(raw("Güncellenme 9 Aralık 2026 19:47 Asgari ücret teklifi komisyondan geçti "
                                "🔊 Haberi sesli dinle\n\n"
                                "Asgari ücret desteği öngören teklif komisyonda kabul edildi."))
    assert article.title == "Asgari ücret teklifi komisyondan geçti"
    assert removed(article, "update-date") == ["Güncellenme 9 Aralık 2026 19:47"]
    assert removed(article, "widget") == ["🔊 Haberi sesli dinle"]


def test_a_comment_count_in_the_header_ends_nothing() -> None:
    text = ("Köy okulu kapanınca neler eksilir?\n\n"
            "Yeni yazılardan ilk siz haberdar olmak için bildirimlere izin verin.\n\n112 yorum\n\n"
            "Nazmi Bey otuz bir yıl çalıştığı köy okulunun kapandığını yazıyor.\n\n"
            "Öğrenci sayısı: 9\n\nÖğretmen sayısı: 1\n\n"
            "Okul kapandığında genç aileler de köyden ayrılıyor.\n\nYorumlar (112)\n\n"
            "Yorum yazmak için üye girişi yapmanız gerekir.\n\nçok güzel yazı olmuş tebrikler")
    kept = [paragraph.text for paragraph in clean_article(raw(text)).paragraphs]
    assert "Öğrenci sayısı: 9" in kept and "Okul kapandığında genç aileler de köyden ayrılıyor." in kept
    assert "çok güzel yazı olmuş tebrikler" not in kept


def test_a_tag_list_below_the_article_ends_it_and_one_in_the_header_ends_nothing() -> None:
    text = ("Kategori: Gündem\n\nKöprü onarımı tamamlandı\n\n"
            "Dere üzerindeki tarihi köprünün onarımı dört ayda tamamlandı.\n\n"
            "Köprü yarından itibaren yayalara yeniden açılacak.\n\n"
            "Etiketler: köprü, onarım, belediye\n\n"
            "Kent meydanındaki tarihi çeşme de yeniden akmaya başladı.\n\n"
            "Murat Kaya, on yıldır gazetemizin kent muhabiri olarak çalışıyor.")
    article = clean_article(raw(text))
    assert [paragraph.text for paragraph in article.paragraphs] == [
        "Dere üzerindeki tarihi köprünün onarımı dört ayda tamamlandı.",
        "Köprü yarından itibaren yayalara yeniden açılacak."]
    assert removed(article, "after-tag-list") == [
        "Kent meydanındaki tarihi çeşme de yeniden akmaya başladı.",
        "Murat Kaya, on yıldır gazetemizin kent muhabiri olarak çalışıyor."]


TAIL_PAGE = [
    "Kent parkına 500 yeni fidan dikildi",
    "Kuzeykent Belediyesi, kent parkına 500 yeni fidan dikti.",
    "Fidanlar ıhlamur, çınar ve meşe türlerinden seçildi ve park boyunca üç sıra halinde yerleştirildi.",
    "Belediye Başkanı Ayten Kara, dikim şenliğine yüzlerce çocuğun ailesiyle birlikte katıldığını söyledi.",
    "Dikim sırasında gönüllü ekipler çocuklara fidan bakımını anlattı ve her aileye birer sulama kovası verdi.",
    "Park çevresindeki yürüyüş yolları da önümüzdeki ay yenilenecek ve yeni aydınlatma direkleri konulacak.",
    "Fotoğraf: Kuzeykent Belediyesi",
    "Kara, ilkbaharda ikinci bir dikim günü düzenleneceğini de açıkladı.",
    "Paylaş",
    "Kaydet",
    "Selin Aydın, 2015 yılından bu yana gazetemizin kent muhabiri olarak çalışıyor.",
    "Tüm haberlerimizden anında haberdar olmak için bildirimlere izin verin.",
]


def test_sentences_in_the_articles_tail_are_judged_and_the_model_drops_a_bio_below_the_share_row() -> None:
    title, lines, verdicts = rule_verdicts(raw("\n\n".join(TAIL_PAGE)))
    context = page_context(lines, verdicts, word_model=NO_WORDS)
    tail = [line.text for line, in_tail in zip(lines, context.tail) if in_tail]
    # Blocks below the article's main block holding little of its prose, credits and buttons between.
    assert tail == TAIL_PAGE[7:8] + TAIL_PAGE[10:]
    assert set(judged_lines(lines, verdicts, context)) >= {lines.index(line) for line in lines if line.text in tail}
    article = clean_article(raw("\n\n".join(TAIL_PAGE)))
    assert removed(article, "learned-boilerplate") == TAIL_PAGE[10:]
    assert TAIL_PAGE[7] in [paragraph.text for paragraph in article.paragraphs]
    # A block of more sentences below a break is the article's next section, however short.
    for count, in_tail in ((MAX_TAIL_BLOCK_SENTENCES, True), (MAX_TAIL_BLOCK_SENTENCES + 1, False)):
        section = " ".join(["Fidanlar sulandı."] * count)
        title, lines, verdicts = rule_verdicts(raw("\n\n".join(TAIL_PAGE[:7] + [section])))
        assert any(page_context(lines, verdicts, word_model=NO_WORDS).tail) == in_tail


def test_the_headline_that_carries_the_sites_name_beats_a_ticker_the_lead_repeats_as_much() -> None:
    text = ("SON DAKİKA\n\nSeçim Kurulu ilk toplu verileri saat 22.00'de paylaşacak\n\n"
            "Seçim gecesi: sandıklar açıldı, ilk sonuçlar gelmeye başladı | Canlı - Günaydın Postası\n\n"
            "Otomatik yenileme: Açık\n\n"
            "Yurt genelinde yerel seçim için oy verme işlemi saat 17.00'de sona erdi ve sandıkların açılmasıyla "
            "sayım başladı. Seçim Kurulu ilk toplu verileri gece paylaşacak.")
    assert clean_article(raw(text)).title == "Seçim gecesi: sandıklar açıldı, ilk sonuçlar gelmeye başladı"


def test_runs_between_sentences_below_the_articles_main_block_are_not_protected() -> None:
    texts = [*TAIL_PAGE[1:6], "Paylaş",
             "Selin Aydın, 2015 yılından bu yana gazetemizin kent muhabiri olarak çalışıyor ve yerel "
             "yönetimleri izliyor.",
             "Okur temsilcisi", "Hat 0 (232) 000 00 00",
             "Tüm haberlerimizden anında haberdar olmak için bildirimlere izin vermeyi unutmayın lütfen."]
    lines = [Line(text, index, False) for index, text in enumerate(texts)]
    verdicts = [Verdict("boilerplate") if text == "Paylaş" else KEPT for text in texts]
    context = page_context(lines, verdicts, word_model=NO_WORDS)
    assert not any(context.protected[texts.index("Okur temsilcisi"):])
    # The same run inside the article is a subheading and a table row: protected.
    inside = [*texts[:2], "Okur temsilcisi", "Hat 0 (232) 000 00 00", *texts[2:5]]
    context = page_context([Line(text, index, False) for index, text in enumerate(inside)], [KEPT] * len(inside),
                           word_model=NO_WORDS)
    assert context.protected[2] and context.protected[3]


def test_a_live_blogs_time_stamps_go_and_its_entries_stay_one_block() -> None:
    entries = [TAIL_PAGE[1], "21:42", TAIL_PAGE[2], "20:15", TAIL_PAGE[3], TAIL_PAGE[4], "19.30", TAIL_PAGE[5]]
    title, lines, verdicts = rule_verdicts(raw("\n\n".join([TAIL_PAGE[0], *entries])))
    assert [line.text for line, verdict in zip(lines, verdicts) if verdict.reason == "time-stamp"] == [
        "21:42", "20:15", "19.30"]
    context = page_context(lines, verdicts, word_model=NO_WORDS)
    assert not any(context.tail) and len(set(context.block_share) - {0.0}) == 1
    # A time in a table row or a sentence is no time stamp.
    assert rule_verdicts(raw("Başlık burada\n\nSaat 21:42'de başladı.\n\n24:10"))[2] == [KEPT, KEPT]


@pytest.mark.parametrize(
    ("text", "button"),
    [("Satın Al", True), ("Yazdırılabilir PDF'i İndir", True), ("Tüm kadroyu gör", True), ("Sorgulayınız", True),
     ("Destek Ol", True), ("Kaydet.", False), ("Park yeniden açıldı", False),
     ("Her gün en az yarım saat yürüyüş yapın ve bol su için", False)],
)
def test_a_short_line_that_ends_in_a_buttons_imperative_is_a_button(text: str, button: bool) -> None:
    assert is_button(text) is button


def test_a_button_between_paragraphs_goes_and_the_text_after_it_stays() -> None:
    text = ("Kartlar bebeklerin dil gelişimini destekliyor\n\n"
            "Uzmanlar, resimli kartların bebeklerin kelime dağarcığını geliştirdiğini söylüyor.\n\n"
            "Konuşan Resimli Kartlar Seti\n\nSatın Al\n\n"
            "Kartlarla oynarken çocuğunuza acele etmeden eşlik etmeniz öneriliyor.")
    article = clean_article(raw(text))
    assert "Satın Al" in removed(article, "boilerplate")
    assert "Kartlarla oynarken çocuğunuza acele etmeden eşlik etmeniz öneriliyor." in [
        paragraph.text for paragraph in article.paragraphs]


@pytest.mark.parametrize(
    ("text", "furniture"),
    [("Bu içerik yalnızca bilgilendirme amaçlıdır; tanı ve tedavi için hekiminize başvurun.", True),
     ("Köşe yazılarının sorumluluğu yazarlarına aittir.", True),
     ("Kişisel verileriniz 6698 sayılı Kanun kapsamında işlenmektedir.", True),
     ("Yorumlarınız editör onayından sonra yayımlanır.", True),
     ("Belediye, esnafa yönelik bilgilendirme amaçlı bir toplantı düzenledi.", False),
     ("Kişisel verilerin korunması kanunu kapsamında işlenen kayıtlar silinecek.", False),
     ("Yasa, Cumhurbaşkanı onayından sonra yayımlanacak.", False)],
)
def test_disclaimers_in_the_pages_own_voice_are_furniture_and_the_news_is_not(text: str, furniture: bool) -> None:
    assert (rule_reason(text) == "boilerplate") is furniture


def test_a_label_before_a_whole_sentence_is_a_speakers_turn_not_a_credit() -> None:
    text = ("Ek seferler yarın başlıyor\n\nMuhabir: Ayşe Kaya\n\n"
            "Spiker: Belediye, gece yarısından sonra da metro seferi düzenleyecek.\n\n"
            "Muhabir: Vardiyalı çalışan yolcular kararı memnuniyetle karşıladı.")
    article = clean_article(raw(text))
    assert removed(article, "credit") == ["Muhabir: Ayşe Kaya"]
    assert body(article)[-1] == ("text", "Muhabir: Vardiyalı çalışan yolcular kararı memnuniyetle karşıladı.")


@pytest.mark.parametrize(
    ("line", "title"),
    [("Güzellik > Cilt Bakımı Dermatologlar anlatıyor: Kışın cilt nasıl korunur? - Vitrin Stil",
      "Dermatologlar anlatıyor: Kışın cilt nasıl korunur?"),
     ("Ana Sayfa / Eleştiri / Dans Tuz: Denizin ve göçün dansla anlatıldığı gece | Perde Arası",
      "Tuz: Denizin ve göçün dansla anlatıldığı gece"),
     # The headline's own names are the ones its lead repeats; the last crumb's are not.
     ("Anasayfa / Basın Odası / Haberler Yenice Gençlik Merkezi hizmete açıldı | Sarıçiçek Belediyesi",
      "Yenice Gençlik Merkezi hizmete açıldı"),
     ("Anasayfa > Fiyat Listeleri > Arvena Arvena Aralık 2026 fiyat listesi açıklandı » Motorpanosu",
      "Arvena Aralık 2026 fiyat listesi açıklandı"),
     # Breadcrumbs that end on their separator: the headline starts with the names its lead repeats.
     ("Ana Sayfa / Şirket Haberleri / Doğukaya Çimento kârını yüzde 38 artırdı | Bildirim Masası",
      "Doğukaya Çimento kârını yüzde 38 artırdı"),
     ("Haberler › Hayvan Hakları › Kış geldi, gönüllüler mama noktalarını artırdı | Can Dostlar",
      "Kış geldi, gönüllüler mama noktalarını artırdı"),
     # A section's name the lead writes in lower case, or only to open a sentence, is a crumb.
     ("Anasayfa / Sanayi / Tesis Yatırımları Kırıkkale'de yeni fabrikanın temeli atıldı | Savunma Hattı",
      "Kırıkkale'de yeni fabrikanın temeli atıldı"),
     ("Ana Sayfa » Yurt İçi » Güneydoğu Mardin ve Midyat'ta iki gün geçirdik | Rotasız Defter",
      "Mardin ve Midyat'ta iki gün geçirdik"),
     ("Ana Sayfa > Analizler > Süper Lig # Bozkırspor 2-1 Kıyıkent FK: Çift pivot kazandırdı - Taktik Tahtası",
      "Bozkırspor 2-1 Kıyıkent FK: Çift pivot kazandırdı")],
)
def test_a_title_glued_after_its_breadcrumbs_is_cut_off_them(line: str, title: str) -> None:
    lead = (f"{title.split(': ')[-1].rstrip('?')} üzerine uzmanlar ve yetkililer konuştu, herkes dinledi. "
            "Yatırımları ve güneydoğu turlarını da anlattılar.")
    assert clean_article(raw(f"{line}\n\n{lead}")).title == title
    # A sentence that names two places is no breadcrumb: nothing carries a site's name.
    assert split_breadcrumbs("İstanbul / Kadıköy Belediyesi yeni parkı bugün açtı.", "Kadıköy'de park açıldı.") is None


def test_a_title_glued_after_a_long_trail_needs_no_site_name_when_the_lead_restates_it() -> None:
    lead = "Kent müzesi, yeni salonunu dün ziyaretçilere açtı. Salonda tarihi fotoğraflar sergileniyor."
    assert split_breadcrumbs("Ana Sayfa / Yerel / Kültür Kent müzesi yeni salonunu açtı", lead) == (
        "Ana Sayfa / Yerel / Kültür", "Kent müzesi yeni salonunu açtı")
    # Two crumbs may be two places; a headline the lead does not restate stays where it is.
    assert split_breadcrumbs("Yerel / Kültür Kent müzesi yeni salonunu açtı", lead) is None
    assert split_breadcrumbs("Ana Sayfa / Yerel / Kültür Konser biletleri satışta", lead) is None


def test_a_markdown_heading_glued_after_a_line_starts_a_line_of_its_own() -> None:
    text = ("Söyleşi # Oktay Yelkovan: \"Tuzu denizden topladım\"\n\n"
            "Şair Oktay Yelkovan, yeni kitabında tuzu ve denizi anlatıyor. Kitap geçen ay yayımlandı.\n\n"
            "C # dilinde yazılan program da anlatıldı.")
    lines = split_lines(text, "markdown")
    assert [(line.text, line.marked_heading) for line in lines[:2]] == [
        ("Söyleşi", False), ("Oktay Yelkovan: \"Tuzu denizden topladım\"", True)]
    assert lines[-1].text == "C # dilinde yazılan program da anlatıldı."
    assert clean_article(raw(text, fmt="markdown")).title == "Oktay Yelkovan: \"Tuzu denizden topladım\""


def test_a_named_headline_below_a_sentence_of_the_page_is_the_title() -> None:
    text = ("YENİPAZAR POSTASI\n\n"
            "Bu haber eski internet sitemizden arşive aktarılmıştır; bazı fotoğraflar görünmeyebilir.\n\n"
            "Salı pazarı yeni kapalı pazar yerine taşındı - Yenipazar Postası\n\n"
            "Yenipazar'ın salı pazarı, otuz yıllık yerinden yeni kapalı pazar yerine taşındı. "
            "Pazar yerinde 180 tezgah bulunuyor.")
    article = clean_article(raw(text))
    assert article.title == "Salı pazarı yeni kapalı pazar yerine taşındı"
    assert [text for _, text in body(article)] == [
        "Yenipazar'ın salı pazarı, otuz yıllık yerinden yeni kapalı pazar yerine taşındı. "
        "Pazar yerinde 180 tezgah bulunuyor."]
    # Without the site's name, the first sentence opens the article: no line above it is restated.
    unnamed = clean_article(raw(text.replace(" - Yenipazar Postası", "").replace("YENİPAZAR POSTASI\n\n", "")))
    assert "Bu haber eski internet sitemizden" in body(unnamed)[0][1]


def test_a_sentence_without_a_verb_above_a_photo_credit_is_its_caption() -> None:
    text = ("Başlık burada\n\nKazı ekibi bu yıl ikinci bir mozaik buldu. Çalışmalar ekimde sürecek.\n\n"
            "Mozaiğin merkez panelindeki balık ve yunus figürleri.\n\nFotoğraf: Kazı Başkanlığı arşivi\n\n"
            "Kazı başkanı, mozaiğin 4. yüzyıla ait olduğunu söyledi.\n\n"
            "Ekip, buluntuları müzeye teslim etti.\n\nFoto: Ali Kaya\n\n"
            "Müzenin yeni salonu ve vitrinleri.\n\nMüze, salonu ocakta açacak. Giriş ücretsiz olacak.")
    article = clean_article(raw(text))
    assert removed(article, "caption") == ["Mozaiğin merkez panelindeki balık ve yunus figürleri."]
    # A sentence that ends in a verb is the writer's, and a verbless line below the credit may be too.
    assert [text for _, text in body(article)] == [
        "Kazı ekibi bu yıl ikinci bir mozaik buldu. Çalışmalar ekimde sürecek.",
        "Kazı başkanı, mozaiğin 4. yüzyıla ait olduğunu söyledi.",
        "Ekip, buluntuları müzeye teslim etti.",
        "Müzenin yeni salonu ve vitrinleri.",
        "Müze, salonu ocakta açacak. Giriş ücretsiz olacak.",
    ]


def test_a_title_glued_after_a_ticker_and_a_two_crumb_trail_is_cut_off_them() -> None:
    lead = "Soğuk yağmurlar bu yıl kestane balı rekoltesini yarıya düşürdü, üretici fiyatı rekor kırdı."
    line = "Polen 900 TL/kg = Haberler › Piyasa Kestane balında rekolte yarıya indi"
    assert split_breadcrumbs(line, lead) == ("Polen 900 TL/kg = Haberler › Piyasa", "Kestane balında rekolte yarıya indi")
    # " / " is prose's too, and " » " parts a title from its site's name: no glued ticker there.
    assert split_breadcrumbs(line.replace(" › ", " / "), lead) is None


def test_a_newsletter_form_inside_the_article_does_not_end_it() -> None:
    text = ("Başlık burada\n\nBelediye meclisi yeni bütçeyi oy birliğiyle kabul etti. Bütçe 2 milyar lira.\n\n"
            "Bültenimize abone olun, meclis kararları e-posta kutunuza gelsin.\n\nE-posta adresiniz\n\nAbone Ol\n\n"
            "Yeni cezalar\n\nMeclis, kaldırım işgaline verilecek cezaları da iki katına çıkardı.")
    article = clean_article(raw(text))
    assert body(article)[-1] == ("text", "Meclis, kaldırım işgaline verilecek cezaları da iki katına çıkardı.")
    assert removed(article, "form-field") == ["E-posta adresiniz"]
    # A comment form's own line still ends it.
    closed = clean_article(raw(text.replace("E-posta adresiniz", "Yorum yapın")))
    assert "Meclis, kaldırım işgaline" not in " ".join(text for _, text in body(closed))


def test_a_lower_case_word_after_a_short_line_is_no_glued_button() -> None:
    article = clean_article(raw("Başlık burada\n\nTaslakta öngörülen cezalar şöyle:\n\nİlk ihlal: her abone için 500 TL\n\n"
                                "Tekrarı: her abone için 1.500 TL\n\nDernekler düzenlemeyi olumlu karşıladı."))
    assert [text for _, text in body(article)][1:3] == ["İlk ihlal: her abone için 500 TL", "Tekrarı: her abone için 1.500 TL"]


def test_a_newspapers_name_inside_an_archives_suffix_is_cut_too() -> None:
    article = clean_article(raw("Limanın temeli dün törenle atıldı - Ege Postası | Kent Belleği Dijital Arşiv\n\n"
                                "Limanın temeli dün vali ve belediye reisinin katıldığı törenle atılmıştır."))
    assert article.title == "Limanın temeli dün törenle atıldı"
    assert removed(article, "site-name-suffix") == ["Ege Postası | Kent Belleği Dijital Arşiv"]


def test_a_line_of_several_ui_phrases_is_furniture_and_a_sentence_of_them_is_not() -> None:
    assert is_ui_line("Yazı boyutu: A- A A+") and is_ui_line("Paylaş Kaydet") and is_ui_line("Reklamı gizle")
    assert is_ui_line("Oy ver")
    assert not is_ui_line("Paylaş.") and not is_ui_line("Yazı boyutu küçüldü") and not is_ui_line("/")


def test_a_long_first_line_or_a_sentence_never_becomes_the_title() -> None:
    sentence = "Belediye, kent merkezindeki otoparkların ücretsiz olacağını açıkladı."
    article = clean_article(raw(f"{sentence} \u00a0 Uygulama pazartesi başlayacak."))
    assert article.title == ""
    assert body(article) == [("text", sentence), ("text", "Uygulama pazartesi başlayacak.")]
    long_line = " ".join(["Belediye meclisi toplandı ve yeni bütçe görüşüldü"] * 5)
    assert clean_article(raw(long_line)).title == ""


def test_no_break_spaces_inside_a_sentence_are_not_paragraph_breaks() -> None:
    text = ("Başlık\n\nKonser listesinde Ayşe\u00a0Yılmaz,\u00a0Mert Kaya ve diğerleri var. Biletler "
            "satışta olmasına\u00a0 rağmen salon yarı boş kaldı.")
    (paragraph,) = clean_article(raw(text)).paragraphs
    assert paragraph.text == ("Konser listesinde Ayşe Yılmaz, Mert Kaya ve diğerleri var. Biletler satışta "
                              "olmasına rağmen salon yarı boş kaldı.")


def test_portal_page_with_related_links_counters_prompts_and_footers() -> None:
    article = fixture("related_links.txt")

    assert article.title == "Asgari ücret görüşmelerinde ikinci tur tamamlandı"
    assert body(article) == [
        ("text", "Asgari Ücret Tespit Komisyonu, ikinci toplantısını Çalışma Bakanlığı'nda gerçekleştirdi. "
                 "İşçi ve işveren temsilcileri, enflasyon verileri üzerinde görüş alışverişinde bulundu."),
        # "Flaş" used in a sentence is not a banner.
        ("text", "Flaş... Toplantının ardından yapılan açıklamada, üçüncü turun gelecek hafta yapılacağı bildirildi."),
        ("heading", "Sendikaların talebi"),
        ("text", "İşçi sendikaları, yeni ücretin yoksulluk sınırının altında kalmaması gerektiğini vurguladı. "
                 "İşveren tarafı ise maliyetlerin arttığını hatırlattı."),
        # A closing sentence that restates the headline is the writer's, not a repeated title.
        ("text", "Asgari ücret görüşmelerinde ikinci tur tamamlandı."),
    ]
    assert removed(article, "related-links") == [
        "Emekli ikramiyesi için tarih belli oldu", "Akaryakıta yeni zam geldi mi?",
        "Kira artışında yeni dönem başlıyor",
    ]
    assert removed(article, "boilerplate") == [
        "Ana Sayfa > Gündem > Ekonomi", "Paylaş: Facebook | X | WhatsApp | E-posta", "A A+ A-", "İlgili Haberler",
        "Bu haber 1.284 kez okundu.", "#asgariücret #ekonomi",
        "Bülten aboneliği: Günün özeti her sabah e-postanızda. Hemen abone olun!",
        "Bu içerik Örnek Bankası iş birliğiyle hazırlanmıştır.", "Devamını oku",
        "KVKK Aydınlatma Metni | Çerez Politikası | Künye | İletişim",
    ]
    assert article.credits == ["Yazan: Deniz Arslan · 4 dk okuma", "Fotoğraf: AA"]


def test_weather_and_price_lists_are_content_not_spam() -> None:
    article = clean_article(ingested("weather_prices.jsonl"))

    assert article.title == "Doğu Anadolu'da dondurucu soğuk"
    texts = [text for _, text in body(article)]
    for item in ("İstanbul 12 derece", "Kars -2 derece", "Erzurum -4 derece", "Domates 28 lira", "Patlıcan 30 lira"):
        assert ("text", item) in body(article)
    assert len(texts) == 13
    assert not removed(article, "spam")
    assert (article.published, article.updated) == ("2025-01-11T09:15+03:00", "2025-01-11T18:40+03:00")


def test_keyword_stuffed_list_is_spam_but_a_score_table_is_not() -> None:
    scores = "Sivasspor 2 - 1 Rizespor\nKonyaspor 0 - 0 Kasımpaşa\nAlanyaspor 3 - 2 Samsunspor"
    stuffed = "kelmora sivas kelmora\nkelmora tokat kelmora\nkelmora yozgat kelmora"
    intro = "Hafta sonu oynanan maçlarda ev sahipleri öne çıktı. Sonuçlar şöyle:"
    article = clean_article(raw(f"Süper Lig'de haftanın sonuçları\n\n{intro}\n\n{scores}\n\n{stuffed}"))
    assert [text for _, text in body(article)][1:] == scores.split("\n")
    assert removed(article, "spam") == stuffed.split("\n")


def test_video_caption_repeating_the_sentence_before_it_goes() -> None:
    sentence = "Festival alanında dev bir uçurtma gökyüzüne bırakıldı."
    text = (f"Başlık\n\nGünün en çok ilgi gören anı oldu. {sentence}\n\n{sentence} (X/Festival Haberleri)\n\n"
            "Etkinlik pazar günü sona erecek. (Foto: Festival)")
    article = clean_article(raw(text))
    assert removed(article, "duplicate-caption") == [f"{sentence} (X/Festival Haberleri)"]
    # A sentence that repeats nothing stays; its photo credit goes to the credits.
    assert body(article)[-1] == ("text", "Etkinlik pazar günü sona erecek.")
    assert "(Foto: Festival)" in removed(article, "credit")


def test_markup_line_breaks_left_in_plain_text_split_paragraphs() -> None:
    article = clean_article(raw("Başlık\n\nİlk paragraf burada bitiyor?<br><br>İkinci paragraf başlıyor."))
    assert body(article) == [("text", "İlk paragraf burada bitiyor?"), ("text", "İkinci paragraf başlıyor.")]


def test_data_files_hold_the_phrase_lists() -> None:
    for phrase in ("Bir yanıt bırakın", "Bültene abone ol", "İlginizi Çekebilir", "Mezopotamya Ajansı"):
        assert phrase not in CLEANER_CODE
        assert any(phrase in path.read_text(encoding="utf-8") for path in DATA.iterdir())


# --- site templates learned from the corpus -----------------------------------------------------

SITE_PREFIX = "KENT POSTASI |"
SLOGAN = "Şehrin nabzı burada atıyor"
APP_SUFFIX = "KENT POSTASI MOBİL"
AGENCY_SENTENCE = "Açıklamada, çalışmaların yıl sonuna kadar tamamlanacağı belirtildi."
STORIES = [
    ("Sahil yolunda çalışma başladı", "Belediye ekipleri sahil yolunda asfalt yenileme çalışmasına başladı."),
    ("Yeni kütüphane hizmete girdi", "Kent merkezindeki yeni kütüphane okurlara kapılarını açtı."),
    ("Otobüs hatları değişiyor", "Ulaşım dairesi, üç otobüs hattının güzergahını değiştirdi."),
    ("Parklara yeni oyun alanları", "Mahalle parklarına çocuklar için yeni oyun alanları kuruluyor."),
    ("Kaldırımlar genişletiliyor", "Çarşı caddesindeki kaldırımlar yayalar için genişletiliyor."),
]


def write_site(folder: Path) -> list[RawArticle]:
    """Five pages of one site, as files in one folder: the site's name before every headline, a
    slogan line and an app banner glued to the last line on every page, and the same agency
    sentence in three of them."""
    folder.mkdir(parents=True)
    articles = []
    for number, (title, sentence) in enumerate(STORIES):
        agency = f"{AGENCY_SENTENCE} " if number < 3 else ""
        path = folder / f"haber-{number}.txt"
        path.write_text(f"{SITE_PREFIX} {title}\n\n{SLOGAN}\n\n{sentence} {agency}Çalışmalar sürüyor. {APP_SUFFIX}\n",
                        encoding="utf-8")
        (article,) = read_file(path)
        assert isinstance(article, RawArticle)
        articles.append(article)
    return articles


def test_site_template_learned_across_documents_is_removed_and_repeated_sentences_stay(tmp_path: Path) -> None:
    articles = write_site(tmp_path / "kentpostasi")
    alone = clean_article(articles[0])
    # One page alone cannot tell its template apart (the line model may still judge the slogan).
    assert removed(alone, "site-template") == []

    stats = TemplateStats(tmp_path / "cache" / "templates.sqlite")
    stats.observe(articles)
    template = stats.template_for(articles[0])
    stats.close()
    assert template.source == str(tmp_path / "kentpostasi")
    assert template.lines == (template_key(SLOGAN),)
    assert template.suffix == template_key(APP_SUFFIX)
    assert template.prefix == template_key(SITE_PREFIX)

    article = clean_article(articles[0], template)
    assert article.title == STORIES[0][0]
    assert removed(article, "site-template") == [SITE_PREFIX, SLOGAN, APP_SUFFIX]
    assert body(article) == [
        ("text", f"{STORIES[0][1]} {AGENCY_SENTENCE} Çalışmalar sürüyor."),
    ]


def test_template_statistics_count_each_document_once_and_are_shared(tmp_path: Path) -> None:
    articles = write_site(tmp_path / "site")
    path = tmp_path / "templates.sqlite"
    first, second = TemplateStats(path), TemplateStats(path)  # e.g. two worker processes
    first.observe(articles[:2])
    second.observe(articles[:2])  # the same documents again: nothing new to count
    first.observe(articles[:2])
    assert second.template_for(articles[0]).lines == ()  # seen in 2 documents: not yet a template
    second.observe(articles[2:3])
    assert first.template_for(articles[0]).lines == (template_key(SLOGAN),)
    first.close()
    second.close()


def test_template_is_small_serialisable_and_moves_only_with_its_own_verdicts(tmp_path: Path) -> None:
    articles = write_site(tmp_path / "site")
    with TemplateStats(tmp_path / "templates.sqlite") as stats:
        stats.observe(articles[:4])
        before = stats.template_for(articles[0])
        stats.observe(articles[4:])  # counts move; this article's verdicts do not
        after = stats.template_for(articles[0])
    assert before == after
    assert SiteTemplate.model_validate_json(after.model_dump_json()) == after
    assert clean_article(articles[0], after).model_dump(exclude={"timings"}) == \
        clean_article(articles[0], before).model_dump(exclude={"timings"})


@pytest.mark.parametrize(
    ("url", "path", "fmt", "source"),
    [
        ("https://www.kentpostasi.example/a/b", "in/a.jsonl", "jsonl", "kentpostasi.example"),
        (None, "in/gazete.jsonl", "jsonl", "in/gazete.jsonl"),
        (None, "in/site/haber.txt", "text", "in/site"),
    ],
)
def test_source_is_the_url_host_else_the_jsonl_file_else_the_folder(
    url: str | None, path: str, fmt: SourceFormat, source: str
) -> None:
    article = RawArticle(id="a", text="x", url=url, source=Source(path=path, sha256="0" * 64, format=fmt))
    assert source_of(article) == source


@pytest.mark.parametrize("dates", ["Giriş: 12.01.2025 10:30 | Güncelleme: 12.01.2025 11:45",
                                   "12.01.2025 10:30 | Son Güncelleme: 12.01.2025 11:45"])
def test_one_date_line_with_publication_and_update_dates_fills_both(dates: str) -> None:
    text = f"Başlık burada\n\n{dates}\n\nHaber metni burada devam ediyor."
    article = clean_article(raw(text))
    assert (article.published, article.updated) == ("2025-01-12T10:30+03:00", "2025-01-12T11:45+03:00")
    assert body(article) == [("text", "Haber metni burada devam ediyor.")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Twitter ve Facebook'ta paylaşılan video kısa sürede yayıldı.",
        "Paylaş butonuna basan kullanıcı sayısı arttı.",
        "A takımı maçı 2-0 kazandı. B takımı ise berabere kaldı.",
        "Bakan, toplantının ardından gazetecilere yaptığı kısa açıklamada konuyu daha fazla uzatmak "
        "istemediğini söyledi ve herkese bunu paylaş dedi",
    ],
)
def test_widget_words_inside_text_are_text(sentence: str) -> None:
    article = clean_article(raw(f"Başlık burada\n\n{sentence}\n\nGörüşmeler yarın da sürecek."))
    assert body(article)[0] == ("text", sentence)
    assert not article.removed


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Facebook'ta Paylaş Twitter'da Paylaş", "boilerplate"),
        ("Haberler » Ekonomi » Piyasalar", "boilerplate"),
        ("Bu haber toplam 2.451 kez görüntülendi", "boilerplate"),
        ("Okuma süresi: 3 dakika", "boilerplate"),
        ("Bu web sitesi deneyiminizi iyileştirmek için çerezler kullanır. Kabul Et", "boilerplate"),
        ("E-bültenimize kaydolun, günün haberleri e-postanıza gelsin.", "boilerplate"),
        ("Uygulamamızı indirin, haberleri anında takip edin.", "boilerplate"),
        ("Haberin videosunu izlemek için tıklayın", "boilerplate"),
        ("Önceki Haber Sonraki Haber", "boilerplate"),
        ("Künye", "boilerplate"),
        ("Sponsorlu içerik", "ad-marker"),
        ("REKLAM Kış sezonu indirimi başladı, kramponlarda yüzde 40'a varan fırsatlar.", "ad-marker"),
        # Counters with icons and thousands separators.
        ("💬 43 yorum", "comment-form"),
        ("👍 310", "boilerplate"),
        ("Beğendim 2.341", "boilerplate"),
        ("Fotoğraf: Reuters", "credit"),
        ("Yazı: Emre Sarıkaya, Bartın", "credit"),
        ("Güncelleme: 14:35", "update-date"),
        ("A", "boilerplate"),
        # Controls side by side, each a known control (a print link, a download button, share targets).
        ("Yazdır · PDF indir · LinkedIn'de paylaş · WhatsApp", "boilerplate"),
        ("kerem_26", "user-name"),
        ("Kıdemli Üye", "boilerplate"),
        ("Sunan: Ozan Kalkavan", "credit"),
        ("Veriler 15 dakika gecikmelidir.", "boilerplate"),
        ("İlgili: Liman ihalesine üç teklif verildi", "related-links"),
        ("> İlginizi çekebilir: Kablo ihracatı eylülde yüzde 12 arttı", "related-links"),
        ("İLGİNİZİ ÇEKEBİLİR Karaburun'da sakatlık şoku: Sinan Acar 3 hafta yok", "related-links"),
        ("👍 214 😮 37 😢 12", "boilerplate"),
        ("Görsel kaynağı, Kuzey Işığı Ajansı", "boilerplate"),
        ("Bunu da okuyabilirsiniz: İzlanda'da balık kotaları neden tartışılıyor?", "related-links"),
        ("( ) Çok pahalı", "boilerplate"),
        ("▶ Maçın özetini izleyin 04:12", "boilerplate"),
        ("Maçın özet videosunu izlemek için tıklayın (03:12)", "boilerplate"),
        ("Bu habere ait 3 fotoğraf ve 1 görüntü bulunmaktadır.", "boilerplate"),
        ("Düzeltme: Haberin ilk halinde toplantının tarihi yanlış yazılmıştı.", "boilerplate"),
        ("Paylaş 1,2B paylaşım", "boilerplate"),
        ("Tüm takvim »", "boilerplate"),
    ],
)
def test_page_furniture_on_a_line_of_its_own(line: str, reason: str) -> None:
    text = f"Başlık burada\n\nBelediye meclisi bütçeyi onayladı.\n\n{line}\n\nOylama oybirliğiyle yapıldı."
    article = clean_article(raw(text))
    assert body(article) == [("text", "Belediye meclisi bütçeyi onayladı."), ("text", "Oylama oybirliğiyle yapıldı.")]
    assert [(r.reason, r.text) for r in article.removed] == [(reason, line)]


@pytest.mark.parametrize(
    "line",
    [
        "Dolar/TL 32,50 > Euro/TL 35,10 > Sterlin 41,20", "Ali \"evet\" dedi, Veli \"hayır\" dedi ve toplantı bitti",
        "Reklam sektörü geçen yıl yüzde 20 büyüdü.", "| Çarşı | 97 | 27 |", "«Bu iş burada bitmez»",
        "Bilet fiyatları 15 dakika içinde tükendi.", "Sergide 40 fotoğraf bulunmaktadır.",
        "3. Ayarlar sekmesindeki Güncelle düğmesine tıklayın",
    ],
)
def test_lines_that_only_look_like_furniture_stay(line: str) -> None:
    article = clean_article(raw(f"Başlık burada\n\nBelediye meclisi bütçeyi onayladı.\n\n{line}\n\nOylama bitti."))
    assert line in [text for _, text in body(article)]


def test_an_ad_marker_in_capitals_opens_an_ad_but_not_a_headline_in_capitals() -> None:
    assert rule_reason("SPONSORLU Standınızı üç haftada teslim ediyoruz, hemen teklif alın.") == "ad-marker"
    assert rule_reason("REKLAM SEKTÖRÜ REKOR KIRDI") is None
    assert rule_reason("Reklam sektörü rekor kırdı.") is None


def test_flas_trailing_off_into_its_sentence_is_text_but_a_banner_line_is_not() -> None:
    article = clean_article(raw("Başlık burada\n\nFlaş...\nBakan görevinden istifa etti.\n\nAyrıntılar geliyor."))
    assert [text for _, text in body(article)][:2] == ["Flaş...", "Bakan görevinden istifa etti."]
    assert not article.removed
    article = clean_article(raw("Başlık burada\n\nFLAŞ\n\nBakan görevinden istifa etti."))
    assert removed(article, "breaking-news-banner") == ["FLAŞ"]


# --- pages of sites the cleaner was not written for ---------------------------------------------


def test_flattened_page_with_a_header_row_before_the_headline_and_at_its_foot() -> None:
    text = ("07.05.2025 08:30 Kaydet Takip Et A+ A- Kent meydanında çeşme restore edildi   "
            "Tarihi çeşmenin restorasyonu iki ayda tamamlandı. Çeşme yeniden suyla buluştu.   "
            "Belediye, çevre düzenlemesinin de yaz başında biteceğini açıkladı.   07.05.2025 08:30 Kaydet Takip Et")
    article = clean_article(raw(text))
    assert article.title == "Kent meydanında çeşme restore edildi"
    assert article.published == "2025-05-07T08:30+03:00"
    assert [text for _, text in body(article)] == [
        "Tarihi çeşmenin restorasyonu iki ayda tamamlandı. Çeşme yeniden suyla buluştu.",
        "Belediye, çevre düzenlemesinin de yaz başında biteceğini açıkladı.",
    ]
    assert removed(article, "widget") == ["Kaydet Takip Et A+ A-", "Kaydet Takip Et"]


def test_buttons_glued_after_a_flattened_paragraph_end_it() -> None:
    text = ("Okullara kitap dağıtıldı   Müdür Kemal Sarıkaya, okuma köşelerinin yaygınlaşacağını söyledi. "
            "Yazdır Paylaş   Ek: Kitap dağıtım listesi (PDF, 312 KB)")
    lines = [line.text for line in split_lines(text, "text")]
    assert lines == ["Okullara kitap dağıtıldı",
                     "Müdür Kemal Sarıkaya, okuma köşelerinin yaygınlaşacağını söyledi. Yazdır Paylaş",
                     "Ek: Kitap dağıtım listesi (PDF, 312 KB)"]
    article = clean_article(raw(text))
    assert removed(article, "widget") == ["Yazdır Paylaş"]
    # A labelled field after a wide run starts a line of its own, whatever ends the text before it.
    text = "Terminal açıldı   Yolcular yeni terminali kullanmaya başladı. Fotoğraf: DHA   Etiketler: Van, terminal"
    assert [line.text for line in split_lines(text, "text")][-1] == "Etiketler: Van, terminal"
    # A sentence that merely names buttons runs on.
    assert len(split_lines("Belediye yeni uygulamayı tanıttı. Paylaş   butonu da eklendi.", "text")) == 1


@pytest.mark.parametrize(("line", "kept", "cut"), [
    ("Seçim sonuçları sabaha karşı kesinleşti. Paylaş", "Seçim sonuçları sabaha karşı kesinleşti.", "Paylaş"),
    ("Biletler cuma günü satışa çıkacak. Bilet Al", "Biletler cuma günü satışa çıkacak.", "Bilet Al"),
    ("Belediye yolu yeniden açtı. Facebook X WhatsApp", "Belediye yolu yeniden açtı.", "Facebook X WhatsApp"),
    ("Ekipler geç saatlere kadar çalıştı. Yazdır · PDF indir · LinkedIn'de paylaş · WhatsApp",
     "Ekipler geç saatlere kadar çalıştı.", "Yazdır · PDF indir · LinkedIn'de paylaş · WhatsApp"),
])
def test_a_row_of_buttons_glued_after_a_paragraph_is_cut_off_it(line: str, kept: str, cut: str) -> None:
    article = clean_article(raw(f"Başlık burada\n\nİlk paragraf burada yazılı.\n\n{line}\n\nSon paragraf da burada."))
    assert kept in [text for _, text in body(article)]
    assert removed(article, "widget") == [cut]


@pytest.mark.parametrize("line", [
    "Meram Kartalları uzatmada güldü: 91-88 Paylaş Kaydet",  # a colon opens what follows
    "Haftanın golleri 1. Video",  # an ordinal's full stop ends no sentence
    "Vali yeni projeyi anlattı. Türkiye bu alanda öncü olacak",  # a sentence runs on
])
def test_what_follows_a_colon_an_ordinal_or_a_sentence_is_no_glued_button_row(line: str) -> None:
    assert buttons_after_sentence(line.split()) is None


def test_flattened_date_row_after_a_widget_question_starts_a_line_of_its_own() -> None:
    text = ("Kent meydanında çeşme restore edildi   Tarihi çeşmenin restorasyonu iki ayda tamamlandı.   "
            "Bu habere ne dediniz? Harika Üzücü   07.05.2025 08:30 Kaydet Takip Et")
    article = clean_article(raw(text))
    assert article.published == "2025-05-07T08:30+03:00"
    assert "Kaydet Takip Et" not in " ".join(text for _, text in body(article))


def test_jsonl_text_is_cleaned_like_any_text_more_news_ad_close_and_investment_notice() -> None:
    text = ("Gram altın güne yükselişle başladı. Analistler talebin sürdüğünü söylüyor.\nReklamı Kapat\n"
            "Kuyumcular hafta sonu yoğunluk bekliyor.\nDaha Fazla Haber\nKonut kredisinde yeni dönem\n"
            "Akaryakıtta indirim beklentisi\n"
            "Burada yer alan yatırım bilgi, yorum ve tavsiyeleri yatırım danışmanlığı kapsamında değildir.")
    article = clean_article(raw(text, "jsonl", title="Altın haftaya yükselişle başladı"))
    assert article.title == "Altın haftaya yükselişle başladı"
    assert body(article) == [
        ("text", "Gram altın güne yükselişle başladı. Analistler talebin sürdüğünü söylüyor."),
        ("text", "Kuyumcular hafta sonu yoğunluk bekliyor."),
    ]
    assert removed(article, "related-links") == ["Konut kredisinde yeni dönem", "Akaryakıtta indirim beklentisi"]


def test_sports_page_section_suffix_repeated_title_next_article_and_font_size() -> None:
    headline = "Deplasmanda üç puan: Karadenizspor zirveye yaklaştı"
    text = (f"{headline} - Futbol\n\nYazı Boyutu A A\n\n{headline}\n\n"
            "Karadenizspor deplasmanda 2-1 kazandı. Takım zirveye yaklaştı.\n\n"
            "Sonraki Haber\n\nBozkırspor'da hoca değişikliği")
    article = clean_article(raw(text))
    assert article.title == headline
    assert removed(article, "site-name-suffix") == ["Futbol"]
    assert removed(article, "repeated-title") == [headline]
    assert body(article) == [("text", "Karadenizspor deplasmanda 2-1 kazandı. Takım zirveye yaklaştı.")]
    assert removed(article, "related-links") == ["Bozkırspor'da hoca değişikliği"]


@pytest.mark.parametrize("line", ["BURSA (XH) -", "3/12", "Bültenin diğer haberleri", "Yazarın Diğer Yazıları"])
def test_furniture_known_by_its_shape_not_by_one_sites_words(line: str) -> None:
    article = clean_article(raw(f"Başlık burada\n\nBelediye yeni parkı açtı.\n\n{line}\n\nPark gece de açık olacak."))
    assert [text for _, text in body(article)] == ["Belediye yeni parkı açtı.", "Park gece de açık olacak."]
    assert [r.text for r in article.removed] == [line]


def test_quoted_dialogue_that_matches_a_button_label_is_text() -> None:
    article = clean_article(raw("Başlık burada\n\nKomiser sordu.\n\n“Anladım.”\n\nKapı kapandı."))
    assert "“Anladım.”" in [text for _, text in body(article)]


def test_learned_decisions_name_their_evidence_and_sentences_are_never_judged() -> None:
    # A model that knows only the lexicon: one split on UI coverage.
    split = Tree(features=(FEATURES.index("ui-coverage"), -1, -1), thresholds=(0.0, 0.0, 0.0),
                 left=(1, -1, -1), right=(2, -1, -1), values=(0.0, 2.0, -20.0))
    model = LineModel(trees=(split,), base=0.0, threshold=0.5)
    text = ("Başlık burada\n\nBelediye yeni parkı açtı.\n\nHaberi Dinle butonu\n\n"
            "Parkta yürüyüş yolu var, dinle ve izle.\n\nPark gece de açık olacak.")
    article = clean_article(raw(text), line_model=model)
    (decision,) = [r for r in article.removed if r.reason == "learned-boilerplate"]
    assert decision.text == "Haberi Dinle butonu"
    assert decision.evidence and decision.evidence[0].startswith("ui-coverage=")
    assert "Parkta yürüyüş yolu var, dinle ve izle." in [text for _, text in body(article)]


def test_word_tokens_are_distinct_stems_with_the_first_and_last_marked() -> None:
    assert word_tokens("Haberi paylaşın, haberi paylaşmayın") == [
        "haber", "payla", "first:haber", "last:payla"]
    assert word_tokens("12 / 14") == []


def test_a_word_model_weighs_the_stems_of_a_line_and_names_its_furniture_words() -> None:
    words = WordModel(weights={"oy": -2.0, "ver": -1.0, "beled": 1.5, "last:ver": -0.5}, bias=0.2)
    assert words.probability("Belediye parkı açtı") > 0.5 > words.probability("Oy ver")
    assert words.probability("Hiç bilinmeyen sözcükler") == pytest.approx(1 / (1 + math.exp(-0.2)))
    assert words.furniture_words("Oy ver") == ("oy", "ver")
    assert WordModel.from_json(json.loads(json.dumps(words.to_json()))) == words
    assert NO_WORDS.probability("Oy ver") == 0.5


def test_a_decision_on_word_evidence_names_the_words() -> None:
    split = Tree(features=(FEATURES.index("word-score"), -1, -1), thresholds=(0.3, 0.0, 0.0),
                 left=(1, -1, -1), right=(2, -1, -1), values=(0.0, -20.0, 2.0))
    model = LineModel(trees=(split,), base=0.0, threshold=0.5, words=WordModel(weights={"kalem": -3.0}))
    article = clean_article(raw("Başlık burada\n\nBelediye yeni parkı açtı.\n\nPark gece de açık olacak.\n\n"
                                "Mavi kalem serisi"), line_model=model)
    (decision,) = [r for r in article.removed if r.reason == "learned-boilerplate"]
    assert decision.text == "Mavi kalem serisi"
    assert decision.evidence[0].startswith("word-score=0.05 (") and decision.evidence[0].endswith(": kalem)")


def test_the_shipped_word_model_knows_a_pages_words_from_an_articles() -> None:
    # Words alone are weak evidence: a sentence holding a page's words ("oy birliğiyle") scores
    # low too, which is why the trees read word scores beside the line's shape and place, and
    # never judge a sentence outside the article's tail.
    words = shipped_model().words
    for furniture in ("Bu haberi beğendiniz mi?", "Bültenimize abone olun", "Yorum yaz", "Reklamı kapat"):
        for text in ("Vali, kurtarma çalışmalarının gece boyunca süreceğini söyledi.",
                     "Yağışların hafta sonuna kadar sürmesi bekleniyor."):
            assert words.probability(furniture) < words.probability(text), (furniture, text)


def test_shipped_line_model_is_a_data_file_for_the_current_features() -> None:
    data = json.loads((DATA / "line_model.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES and data["trees"]
    assert all(-1 <= f < len(FEATURES) for tree in data["trees"] for f in tree["features"])
    assert shipped_model() == LineModel.from_json(data)
    assert 0 <= shipped_model().threshold <= 0.5


def test_a_caption_between_a_gallery_counter_and_its_credit_goes_with_the_counter() -> None:
    text = ("Başlık burada\n\nGözlem şenliği bu yıl üç gece sürecek. Katılım ücretsiz olacak.\n\n"
            "Fotoğraf 1 / 6\n\nGeçen yılki şenlikte çekilen fotoğrafta gökyüzünde iz bırakan göktaşları görülüyor.\n\n"
            "Fotoğraf: Dernek arşivi\n\nDernek, teleskopları gün batımında kuracak.\n\n"
            "Görsel 2 / 9 — Çadırlar göl kıyısına kuruldu.\n\nDoğaseverlerden kareler: 1 / 24\n\n"
            "Şenlik pazar sabahı kahvaltıyla sona erecek.")
    article = clean_article(raw(text))
    assert removed(article, "caption") == [
        "Geçen yılki şenlikte çekilen fotoğrafta gökyüzünde iz bırakan göktaşları görülüyor."]
    assert "Fotoğraf 1 / 6" in removed(article, "boilerplate")
    assert "Doğaseverlerden kareler: 1 / 24" in removed(article, "boilerplate")
    assert "Görsel 2 / 9 — Çadırlar göl kıyısına kuruldu." in removed(article, "boilerplate")
    assert [text for _, text in body(article)] == [
        "Gözlem şenliği bu yıl üç gece sürecek. Katılım ücretsiz olacak.",
        "Dernek, teleskopları gün batımında kuracak.",
        "Şenlik pazar sabahı kahvaltıyla sona erecek.",
    ]


@pytest.mark.parametrize(("line", "advert"), [
    ("Bisiklet kasklarında kış indirimi başladı! Seçili modellerde sepette yüzde 25 fırsatı kaçırmayın.", True),
    ("Deponuz boş kalmasın! Güneş panelinizi şimdi kurdurun.", True),
    ("Kombi bakımında ücretsiz keşif için hemen randevunuzu alın.", True),
    # News about a discount reports it; a how-to step and a quoted vendor are the writer's.
    ("Belediye, toplu taşımada öğrencilere yüzde 20 indirim uygulanacağını açıkladı.", False),
    ("2. Siparişinizi kargoya vermeden önce faturanızı kontrol edin.", False),
    ('Mağaza sahibi, "Bu kış indirimi kaçırmayın!" diye seslendi.', False),
    # A columnist's one exclaimed advice among her other sentences.
    ("Tavsiyem; bu füme etle bir nohut yemeği yapın. Kokusu günlerce aklınızdan çıkmayacak! "
     "Bu arada köy peynirini de anmadan geçemem.", False),
])
def test_advert_copy_is_told_by_its_sales_voice(line: str, advert: bool) -> None:
    assert sells_to_reader(line) is advert


def test_a_bio_that_opens_with_the_bylined_writers_name_is_dropped() -> None:
    text = ("Başlık burada\n\nYazan: Zeynep Arıkan\n\nKooperatif bu yıl iki yeni soğuk hava deposu açtı.\n\n"
            "Üreticiler, depoların hasat sonrası kaybı azaltacağını söylüyor.\n\nKerem Ulusoy\n\n"
            "Zeynep Arıkan, 2015'ten bu yana tarım ve kırsal kalkınma üzerine yazıyor.\n\n"
            "Kerem Ulusoy'un tüm yazıları")
    article = clean_article(raw(text))
    assert "Kerem Ulusoy" in removed(article, "credit")
    assert removed(article, "author-bio") == [
        "Zeynep Arıkan, 2015'ten bu yana tarım ve kırsal kalkınma üzerine yazıyor.", "Kerem Ulusoy'un tüm yazıları"]
    assert len(body(article)) == 2


def test_a_name_that_a_sentence_runs_through_is_no_byline() -> None:
    text = ("Başlık burada\n\nYazan: Zeynep Arıkan\n\nCaz festivali bu yıl üç gün sürecek.\n\n"
            "Festivalde sahneye çıkacak isimler arasında Ece Kalender ve\n\n"
            "Kerem Ulusoy\n\ngibi genç müzisyenler de var.\n\nKerem Ulusoy\n\nKonserler cuma akşamı başlayacak.")
    article = clean_article(raw(text))
    assert removed(article, "credit") == ["Yazan: Zeynep Arıkan", "Kerem Ulusoy"]
    assert [text for _, text in body(article)][1:4] == [
        "Festivalde sahneye çıkacak isimler arasında Ece Kalender ve", "Kerem Ulusoy", "gibi genç müzisyenler de var."]


def test_a_poll_and_a_table_of_contents_are_told_by_their_shape() -> None:
    text = ("Kaz Dağları'nda yeni orman kamp alanı açıldı\n\n"
            "Orman idaresinin Zeytinli'de açtığı kamp alanı ilk hafta sonunda doldu.\n\n"
            "İçindekiler\n\nKamp alanı nerede?\n\nÜcretler\n\n"
            "Bu analizde: Neler ölçüldü? · Sonuçlar\n\n"
            "Kamp alanı nerede?\n\nAlan, Zeytinli köyünün beş kilometre kuzeyinde, dere kenarında bulunuyor.\n\n"
            "Ücretler\n\nÇadır yeri için gecelik ücret kişi başı 250 lira olarak belirlendi.\n\n"
            "Neler ölçüldü?\n\nOrman idaresi, alanın kapasitesini iki yüz kişiyle sınırladı.\n\n"
            "Sonuçlar\n\nİlk hafta sonu alanın tamamı doldu.\n\n"
            "Sizce kamp alanları ücretsiz mi olmalı?\n\nEvet, mutlaka (%64)\n\nHayır (%36)\n\nOy ver · 1.204 oy")
    article = clean_article(raw(text))
    assert removed(article, "table-of-contents") == [
        "Kamp alanı nerede?", "Ücretler", "Bu analizde: Neler ölçüldü? · Sonuçlar"]
    # The question speaks to the reader: a rule may take it first; its answers go as the poll's.
    assert removed(article, "poll")[-2:] == ["Evet, mutlaka (%64)", "Hayır (%36)"]
    assert "Sizce kamp alanları ücretsiz mi olmalı?" in [r.text for r in article.removed]
    assert "İçindekiler" in removed(article, "boilerplate")
    assert "Oy ver · 1.204 oy" in removed(article, "boilerplate")
    kept = [text for _, text in body(article)]
    assert all(heading in kept for heading in ("Kamp alanı nerede?", "Ücretler", "Neler ölçüldü?", "Sonuçlar"))


def test_a_menu_of_short_items_is_no_title() -> None:
    text = ("Kent Veri · Analizler · Veri Setleri · Hakkımızda\n\n"
            "Ankara'da her dört çocuktan biri parka on dakikadan uzak\n\n"
            "Ankara'da çocukların dörtte biri en yakın parka on dakikadan uzun yürüyor.")
    article = clean_article(raw(text))
    assert article.title == "Ankara'da her dört çocuktan biri parka on dakikadan uzak"


def test_a_category_row_below_a_wires_one_sentence_note_does_not_end_the_article() -> None:
    text = ("Abone Paneli\n\nDüzeltme 1 · Önceki sürümde kapanan okul sayısı 12 olarak geçmişti.\n\n"
            "Kategori: Gündem · Öncelik: Normal · Kod: ABC-20261203-004\n\n"
            "04.12.2026 09:10 · Güncellendi: 04.12.2026 10:25\n\n"
            "Kar yağışı nedeniyle ilçedeki 14 okulda eğitime bir gün ara verildi.\n\n"
            "Valilik, kararın yarın sabah yeniden değerlendirileceğini bildirdi.\n\n"
            "Etiket: kar, okul, tatil\n\nAynı kategoride son gelenler")
    article = clean_article(raw(text, title="Kar nedeniyle 14 okulda eğitime ara verildi"))
    assert [text for _, text in body(article)][-2:] == [
        "Kar yağışı nedeniyle ilçedeki 14 okulda eğitime bir gün ara verildi.",
        "Valilik, kararın yarın sabah yeniden değerlendirileceğini bildirdi."]
    assert removed(article, "after-tag-list") == ["Aynı kategoride son gelenler"]
    assert (article.published, article.updated) == ("2026-12-04T09:10+03:00", "2026-12-04T10:25+03:00")


def test_furniture_glued_onto_an_article_line_is_cut_off_it() -> None:
    text = ("Zincir market 140 yeni mağaza açacak\n\nŞirketin geçen yılki sonuçları şöyle:\n\n"
            "Mağaza sayısı: 1.860\n\nOrtalama sepet tutarı: 412 TL Yatırım tavsiyesi değildir.\n\n"
            "Genel müdür, büyümenin mahalle mağazalarından geleceğini söyledi.\n\n"
            "Aşı için izlenecek yol şöyle:\n\n1. Aile hekiminizden reçete alın.\n\n"
            "2. Aşıyı aldıktan sonra iki saat içinde yaptırın. 📲 Uygulamamızı indirin · App Store · Google Play\n\n"
            "Eczacılar, ilk gün gelen kutuların öğlene kadar tükendiğini anlattı.")
    article = clean_article(raw(text))
    kept = [text for _, text in body(article)]
    assert "Ortalama sepet tutarı: 412 TL" in kept
    assert "2. Aşıyı aldıktan sonra iki saat içinde yaptırın." in kept
    assert "Yatırım tavsiyesi değildir." in removed(article, "boilerplate")
    assert not any("Uygulamamızı" in line or "tavsiyesi" in line for line in kept)


@pytest.mark.parametrize(("line", "title"), [
    # A headline that ends on a word a save button also shows, in lower case.
    ("Hazar Gölü'nde 41 türden 12 bin su kuşu kaydedildi Paylaş", "Hazar Gölü'nde 41 türden 12 bin su kuşu kaydedildi"),
    ("Kent meclisi yeni imar planını onayladı | Ege Postası", "Kent meclisi yeni imar planını onayladı"),
])
def test_a_title_keeps_its_own_words_and_loses_the_sites_name(line: str, title: str) -> None:
    assert make_title(line).text == title


def test_a_ticker_with_a_time_after_a_bar_is_no_title_with_a_sites_name() -> None:
    text = ("Bugün: Veliefendi 8 koşu · İlk start 13:30 | Bursa 7 koşu · İlk start 14:00\n\n"
            "Marmara Kupası'nda zafer Demirkırat'ın\n\n26.04.2026 | 18:47\n\n"
            "Veliefendi'de bugün koşulan Marmara Kupası'nı dört yaşındaki Demirkırat kazandı.\n\n"
            "Demirkırat, favori gösterilen Yıldızbey'i boyun farkıyla geride bıraktı.")
    assert clean_article(raw(text)).title == "Marmara Kupası'nda zafer Demirkırat'ın"


def test_a_reaction_poll_with_counts_and_a_labelled_caption_are_furniture() -> None:
    text = ("Marmara Kupası'nda zafer Demirkırat'ın\n\n"
            "Veliefendi'de bugün koşulan Marmara Kupası'nı dört yaşındaki Demirkırat kazandı.\n\n"
            "Fotoğraf altı: Demirkırat finiş direğini önde geçiyor.\n\n"
            "Demirkırat, favori gösterilen Yıldızbey'i boyun farkıyla geride bıraktı.\n\n"
            "Tahmininiz tuttu mu?\n\n👍 Tuttu (318)\n\n👎 Tutmadı (1.104)")
    article = clean_article(raw(text))
    assert removed(article, "poll")[-2:] == ["👍 Tuttu (318)", "👎 Tutmadı (1.104)"]
    assert "Fotoğraf altı: Demirkırat finiş direğini önde geçiyor." in removed(article, "boilerplate")
    assert len(body(article)) == 2


def test_reaction_buttons_with_their_counts_glued_after_a_sentence_are_cut_off() -> None:
    assert is_ui_line("Harika 12 Üzgün 40 Kızgın 27")
    assert not is_ui_line("12 40 27")
    text = ("Konut fiyatlarındaki artış yavaşladı\n\n"
            "Emlakçılar, yeni konut arzının fiyatlardaki yükselişi frenlediğini düşünüyor. Harika 12 Üzgün 40 Kızgın 27")
    article = clean_article(raw(text))
    assert body(article) == [("text", "Emlakçılar, yeni konut arzının fiyatlardaki yükselişi frenlediğini düşünüyor.")]
    assert "Harika 12 Üzgün 40 Kızgın 27" in [r.text for r in article.removed]


@pytest.mark.parametrize(("line", "kept", "cut"), [
    ("Yeni fabrika 2028'de üretime başlayacak. Fotoğraf: Şirket arşivi",
     "Yeni fabrika 2028'de üretime başlayacak.", "Fotoğraf: Şirket arşivi"),
    ("Selin Aydemir 21 Ekim 2026, 07:30", None, "Selin Aydemir"),
])
def test_a_credit_glued_after_a_sentence_or_before_a_date_is_cut_off(line: str, kept: str | None, cut: str) -> None:
    article = clean_article(raw(f"Başlık burada\n\nİlk paragraf burada yazılı.\n\n{line}\n\nSon paragraf da burada."))
    assert cut in article.credits
    assert kept is None or kept in [text for _, text in body(article)]


def test_a_subheading_glued_after_a_photo_credit_is_not_taken_for_the_credits_name() -> None:
    line = "Marketlerin rafları hafta sonu yenilendi. Fotoğraf: Raf&Kasa Tedarikçilere vade sözü"
    assert fragments._trailing_metadata(line) == [
        "Marketlerin rafları hafta sonu yenilendi.", "Fotoğraf: Raf&Kasa", "Tedarikçilere vade sözü"]
    # A credit's own words after the name are no heading.
    assert fragments.credit_run_on("Haber Kaynağı: Demirören Haber Ajansı (DHA)") is None


def test_a_row_of_controls_set_apart_by_dots_is_cut_off_whatever_ends_before_it() -> None:
    tokens = "Kaynak: Porsuk Postası / Emine Karadağ Beğen (38) · Alıntıla · Yanıtla".split()
    assert " ".join(tokens[buttons_after_sentence(tokens):]) == "Beğen (38) · Alıntıla · Yanıtla"
    # A sentence inside an item makes it no control: the row starts after "istedi.".
    assert buttons_after_sentence("Vali projeyi anlattı ve destek istedi. Paylaş · Kaydet".split()) == 6


def test_a_forum_thread_ends_at_its_first_posts_reply_buttons() -> None:
    text = ("Eski pazar yeri otoparka dönüşüyor\n\nporsuk_moderator\n\nModeratör\n\n24 Ocak 2027, 21:14\n\n"
            "Belediye, eski pazar yerini 300 araçlık bir otoparka dönüştürecek.\n\n"
            "Çalışmaların mart ayında başlaması bekleniyor.\n\n"
            "Kaynak: Eskişehir Postası Beğen (12) · Alıntıla · Yanıtla\n\n"
            "kerem_26\n\nÜye\n\n24 Ocak 2027, 22:03\n\n"
            "Sonunda! Cumartesi günleri park yeri bulmak imkânsızdı.\n\n34 beğeni · Yanıtla")
    article = clean_article(raw(text))
    assert body(article) == [("text", "Belediye, eski pazar yerini 300 araçlık bir otoparka dönüştürecek."),
                             ("text", "Çalışmaların mart ayında başlaması bekleniyor.")]
    assert "Sonunda! Cumartesi günleri park yeri bulmak imkânsızdı." in removed(article, "comment-section")
    assert removed(article, "user-name") == ["porsuk_moderator", "kerem_26"]
    assert removed(article, "comment-form") == ["Beğen (12) · Alıntıla · Yanıtla", "34 beğeni · Yanıtla"]
    assert article.published == "2027-01-24T21:14+03:00"


def test_a_date_alone_among_the_articles_lines_is_a_time_stamp_not_the_publication_date() -> None:
    text = ("Kış sayımında 41 bin su kuşu kaydedildi\n\n19 Ocak 2026, 11:40\n\n"
            "Gönüllüler deltadaki kuşları iki gün boyunca dürbün ve teleskoplarla saydı.\n\n"
            "Sayımda en kalabalık tür, 14 binden fazla kaydedilen flamingo oldu.\n\n"
            "kuscu_ahmet\n\n19 Ocak 2026, 21:14\n\nFlamingoların havalanışı görülmeye değerdi.")
    article = clean_article(raw(text))
    assert removed(article, "time-stamp") == ["19 Ocak 2026, 21:14"]
    assert article.published == "2026-01-19T11:40+03:00"


def test_a_chapter_list_from_00_00_is_furniture_but_a_live_blogs_entries_are_not() -> None:
    chapters = "00:00 Giriş\n\n02:40 Kira neden arttı?\n\n09:15 İndirim yarışı ve yayınevleri"
    text = ("Küçük kitapçılar ayakta kalabilecek mi?\n\n"
            f"Bu bölümde küçük kitapçıların neden kapandığını konuştuk.\n\n{chapters}\n\n"
            "Kitapçı artık yalnızca kitap satılan bir yer değil.\n\n"
            "23:05 — Aday parti binasında kısa bir açıklama yaptı.\n\n22:48 — Fark 1.900 oya indi.\n\n"
            "22:30 — İlçe seçim kurulu itirazları görüşüyor.")
    article = clean_article(raw(text))
    assert removed(article, "chapter-list") == chapters.split("\n\n")
    assert "22:48 — Fark 1.900 oya indi." in [text for _, text in body(article)]


def test_a_photo_credit_run_on_into_the_next_heading_is_cut_where_the_name_ends() -> None:
    assert fragments.credit_run_on("Fotoğraf: DAKAD Arşivi Kış tırmanışı öncesi hatırlatmalar") == (
        "Fotoğraf: DAKAD Arşivi", "Kış tırmanışı öncesi hatırlatmalar")
    assert fragments.credit_run_on("Fotoğraf: Şirket arşivi") is None
    text = ("Dağcılara kış uyarısı\n\nEkipler dağcılara ulaştıktan sonra ilk müdahaleyi yaptı. "
            "Fotoğraf: DAKAD Arşivi Kış tırmanışı öncesi hatırlatmalar\n\n"
            "Tırmanışa çıkmadan önce rotanızı bir yakınınıza bildirin.")
    article = clean_article(raw(text))
    assert "Fotoğraf: DAKAD Arşivi" in article.credits
    assert ("heading", "Kış tırmanışı öncesi hatırlatmalar") in body(article) or (
        "text", "Kış tırmanışı öncesi hatırlatmalar") in body(article)


def test_a_comment_counter_in_the_header_below_the_standfirst_ends_nothing() -> None:
    text = ("İzmir'de gece feribotları başlıyor\n\n"
            "Gece seferleri 1 Aralık'tan itibaren üç iskele arasında yapılacak. Ücret değişmeyecek.\n\n"
            "Paylaş Facebook X WhatsApp\n\nYorumlar (14)\n\n"
            "Şirketin yönetim kurulu tarifeyi dün onayladı ve seferler üç ay deneme amacıyla yapılacak.\n\n"
            "Genel müdür, öğrencilerin ve vardiyalı çalışanların gece ulaşımının ucuzlayacağını söyledi.\n\n"
            "Yorumlar (3)\n\nÇok güzel bir haber, sonunda gece eve dönebileceğiz.")
    kept = [text for _, text in body(clean_article(raw(text)))]
    assert "Şirketin yönetim kurulu tarifeyi dün onayladı ve seferler üç ay deneme amacıyla yapılacak." in kept
    assert "Çok güzel bir haber, sonunda gece eve dönebileceğiz." not in kept


def test_a_blog_meta_row_of_a_desk_a_date_and_a_comment_counter_is_metadata() -> None:
    text = ("Köy okullarına 3 bin kitap gönderildi\n\nBasın Birimi 22 Kasım 2026 0 Yorum\n\n"
            "Derneğin ekim ayında başlattığı kampanyada toplanan kitaplar köy okullarına ulaştırıldı.\n\n"
            "Kitaplar bir tır ile Üsküp'e götürüldü.")
    article = clean_article(raw(text))
    assert body(article) == [
        ("text", "Derneğin ekim ayında başlattığı kampanyada toplanan kitaplar köy okullarına ulaştırıldı."),
        ("text", "Kitaplar bir tır ile Üsküp'e götürüldü.")]
    assert article.published == "2026-11-22"
    assert removed(article, "credit") == ["Basın Birimi"]


def test_a_share_button_glued_before_a_link_arrow_is_a_widget() -> None:
    text = ("Köy okullarına kitap gönderildi\n\nKampanyada toplanan kitaplar köy okullarına ulaştırıldı.\n\n"
            "Kitaplar bir tır ile Üsküp'e götürüldü.\n\n"
            "Telegram ← Önceki Yazı: Derneğimizin olağan genel kurulu yapıldı")
    article = clean_article(raw(text))
    assert body(article)[-1] == ("text", "Kitaplar bir tır ile Üsküp'e götürüldü.")


def test_a_social_post_attribution_after_wide_space_starts_a_line_of_its_own() -> None:
    flattened = "\u00a0\u00a0 ".join([
        "Vali sürücüleri uyardı",
        "Vali Kemal Ertan, sosyal medya hesabından yaptığı paylaşımda sürücüleri uyardı:",
        '"Zorunlu olmadıkça yola çıkmayın."',
        "— Kemal Ertan (@valikemalertan) 16 Ocak 2027",
        "Kar yağışının akşam saatlerine kadar sürmesi bekleniyor."])
    lines = [line.text for line in split_lines(flattened, "text")]
    assert "— Kemal Ertan (@valikemalertan) 16 Ocak 2027" in lines


def test_a_ticker_behind_an_urgency_banner_is_no_title_while_the_headline_below_is() -> None:
    text = ("SON DAKİKA Ankara'da 5 katlı binada yangın Merkez Bankası rezervleri açıklandı\n\n"
            "Şimdi: Gece Bülteni Sonra: Ekran Tartışma 00.30\n\nAna Sayfa / Gündem / Ankara\n\n"
            "Ankara'da 5 katlı binada yangın: 23 kişi kurtarıldı\n\n"
            "Keçiören'de 5 katlı bir apartmanın bodrum katında çıkan yangında mahsur kalan 23 kişi itfaiye "
            "ekiplerince kurtarıldı.\n\nMuhabir: Ece Altan\n\n02.02.2027 23:18\n\n"
            "Yangın, saat 21.40 sıralarında apartmanın kazan dairesinde başladı.")
    assert clean_article(raw(text)).title == "Ankara'da 5 katlı binada yangın: 23 kişi kurtarıldı"


def test_a_channels_name_with_a_number_is_a_site_suffix() -> None:
    title = make_title("Bolu Dağı'nda kar nedeniyle tır geçişine kısıtlama getirildi - Ekran 24")
    assert title.text == "Bolu Dağı'nda kar nedeniyle tır geçişine kısıtlama getirildi"
    assert make_title("Bütçe açığı beklentilerin üzerinde - 2024").text == "Bütçe açığı beklentilerin üzerinde - 2024"


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("(Gülsüm Erkoç / Karadağ Manşet)", True),
        ("(Karadağ Manşet)", True),
        ("(Tâhâ, 114)", False),
        ("(X/Valilik Haberleri)", False),
        ("Tıbbi inceleme: Doç. Dr. Kerem Yalçıner, Çocuk Sağlığı ve Hastalıkları Uzmanı", True),
        ("Yazan: Selin Aydoğdu | Tıbbi inceleme: Uzm. Dr. Orhan Baykal, İç Hastalıkları Uzmanı", True),
        ("Kaynak: Porsuk Postası / Emine Karadağ Beğen (38) · Alıntıla · Yanıtla", False),
    ],
)
def test_credits_in_brackets_and_long_labelled_names(line: str, credit: bool) -> None:
    assert (rule_reason(line) == "credit") is credit


def test_a_period_after_a_title_abbreviation_ends_no_sentence() -> None:
    from trnews.stages.clean.prose import inner_sentence_ends, is_prose
    assert not is_prose("Uzm. Dr. Orhan Baykal, İç Hastalıkları Uzmanı")
    assert inner_sentence_ends("Prof. Dr. Ayşe Kaya açıkladı. Toplantı yarın.") == 1


def test_a_numbered_table_of_contents_repeating_the_subheadings_goes() -> None:
    text = ("D vitamini eksikliği kışın artıyor\n\nKış aylarında D vitamini düzeyi düşüyor. Uzmanlar uyardı.\n\n"
            "İçindekiler\n\n1. Araştırmada neler bulundu?\n\n2. Eksikliğin belirtileri\n\n"
            "Kış aylarında güneşli günlerin azalması eksikliği artırıyor.\n\n"
            "Araştırmada neler bulundu?\n\nAraştırma 1.840 yetişkinle yürütüldü.\n\n"
            "Eksikliğin belirtileri\n\nSık görülen belirtiler yorgunluk ve kas ağrısı.")
    article = clean_article(raw(text))
    assert removed(article, "table-of-contents") == ["1. Araştırmada neler bulundu?", "2. Eksikliğin belirtileri"]
    assert ("text", "Araştırmada neler bulundu?") in body(article) or (
        "heading", "Araştırmada neler bulundu?") in body(article)


def test_a_reported_sentence_keeps_its_discount_when_a_link_glued_after_it_speaks_to_the_reader() -> None:
    sentence = "Giyimde ise sezon sonu indirimleri fiyatları aşağı çekti."
    text = ("Enflasyon kasımda yavaşladı\n\nYıllık enflasyon kasımda yüzde 31 oldu.\n\nHaberin Devamı\n\n"
            f"{sentence} Ayrıca okuyun: Merkez Bankası'nın yıl sonu tahmini ne olacak?\n\nREKLAM\n\n"
            "Ekonomistler aralıkta daha düşük bir artış bekliyor.")
    article = clean_article(raw(text))
    assert ("text", sentence) in body(article)
    assert "Ayrıca okuyun: Merkez Bankası'nın yıl sonu tahmini ne olacak?" in removed(article, "related-links")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("[Duyuru] Varroa mücadelesinde ilaç desteği başvuruları başladı\n\nArıcılar il müdürlüğüne "
         "başvurularını ay sonuna kadar yapabilecek.", "Varroa mücadelesinde ilaç desteği başvuruları başladı"),
        ("[Ana Sayfa](/) › [Haberler](/haberler)\n\n# Porsuk Kanatları deplasmanda set vermeden kazandı\n\n"
         "*Maçın ardından deplasmana gelen taraftarlarımızı selamlayan oyuncularımız*\n\n"
         "Takımımız maçın ardından deplasmanda Kocatepe Gençlik'i 3-0 mağlup etti.",
         "Porsuk Kanatları deplasmanda set vermeden kazandı"),
    ],
)
def test_a_forum_thread_prefix_is_cut_and_a_markdown_pages_top_heading_is_its_title(text: str, title: str) -> None:
    fmt: SourceFormat = "markdown" if "# " in text else "text"
    assert clean_article(raw(text, fmt)).title == title


def test_a_related_link_glued_after_the_last_sentence_is_cut_off_and_a_run_on_paragraph_stays() -> None:
    text = ("Seramik şirketi halka arz için başvurdu\n\nŞirket, halka arz için Sermaye Piyasası Kurulu'na başvurdu.\n\n"
            "Şirketin net kârı 412 milyon TL olarak gerçekleşmişti. "
            "Ayrıca okuyun: Halka arzlarda katılımcı sayısı yüzde 30 düştü\n\n"
            "Şirketin payları mart ayında işlem görmeye başlayabilir.")
    article = clean_article(raw(text))
    assert ("text", "Şirketin net kârı 412 milyon TL olarak gerçekleşmişti.") in body(article)
    assert removed(article, "related-links") == ["Ayrıca okuyun: Halka arzlarda katılımcı sayısı yüzde 30 düştü"]
    assert rule_reason("Rapor: Abonelik Şikayetleri 2026 (PDF indir)") == "boilerplate"


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        ("184,60 TL ▲ %3,42", True),
        ("Dolar 36,27 ▼ %0,05", True),
        ("VİDEO 01:48", True),
        ("FOTO GALERİ | Körfez'in gece manzarası (14 fotoğraf)", True),
        ("Galeri · 12 fotoğraf", True),
        ("Reklamı 5 saniye sonra geçebilirsiniz", True),
        ("Reklamı geç (5)", True),
        ("Sergide 14 fotoğraf ve iki video yer alıyor.", False),
        ("Reklamı izleyen kullanıcı sayısı arttı.", False),
        ("İmsak 06:14 | Güneş 07:41 | Öğle 12:47 | İkindi 15:19", True),
        ("Akşam ezanına 01:42:10 kaldı", True),
        ("Kula 9°C Hafif Yağmurlu", True),
        ("Konya 4°C Parçalı bulutlu · Karaman 3°C Açık", True),
        ("Ankara: 9,7°C (normalin 3,0 derece üzerinde)", False),
        ("Sabah 06.00'da çalan düdükle başlayan yarışma planlandığı gibi sürdü.", False),
        ("> Ayrıca okuyun: Kayserili üreticiler sünger ve kumaşı ortak alacak", True),
        ("Ayrıca bakanlık yeni bir açıklama yaptı", False),
        ("Bu haber size yararlı oldu mu?", True),
        ("Habere tepkin ne?", True),
        ("Öğrencileriniz bu keşfe nasıl tepki verdi?", False),
        ("Ek: Kurs listesi ve açılış yerleri (XLSX, 48 KB)", True),
        ("Şu an yayında: Sabah Bülteni", True),
        ("Okuma süresi yaklaşık 3 dakika", True),
        ("Henüz yorum yapılmamış. İlk yorumu siz yapın.", True),
        ("Bu haberi paylaş Facebook X WhatsApp Telegram", True),
        ("En Çok İzlenenler", True),
        ('En çok dinlenen şarkısı: "Gel Demedin"', False),
        ("Maçın adamı kim? Mert Aydemir %64 Osei Mensah %22 Yiğit Sezer %14 (8.412 oy)", True),
        ("Enflasyon ne kadar? Yıllık %64 oldu.", False),
        ("Mesajlar: 1.243 · Katılım: Mar 2014 · Konum: Rize", True),
        ("ERZURUM (Pusula Haber) -", True),
        ("Var; ancak hasarın kargoda oluştuğunu sizin ispatlamanız gerekir.", False),
        ("VİDEO | Pasaport başvurusunda en sık yapılan 5 hata 01:48", True),
        ("Video kaydı 01:48'de başlıyor ve iki dakika sürüyor.", False),
        ("Bu yazıyı PDF olarak indir", True),
        ("Önceki Sonraki", True),
        ("Maçın canlı oranları için tıklayın. 18 yaşından küçüklerin şans oyunlarına katılması yasaktır.", True),
        ("Kanun, 18 yaşından küçüklerin şans oyunlarına katılmasını yasaklayan maddeyi genişletiyor.", False),
        ("Topla oynama %54 - %46", True),
        ("Korner 7 - 4", True),
        ("Çamlıbel Gençlik, sahasında Yeşilvadi FK'yı 2-1 mağlup etti.", False),
        ("Soran: M. Aslı, Bursa", True),
        ("Yanıtlayan: Av. Serkan Oflaz", True),
        ("Av. Deniz Karaosmanoğlu", True),
        ("Uzm. Dr. Elif Sarı", True),
        ("Gülşen T., Eskişehir", True),
        ("Murat D. · 2 saat önce", True),
        ("Kampanya beklediğiniz gibi gitti mi?", False),
        ("Kampanyayı kaçırmayın, hemen arayın!", True),
        ("Fotoğraf 1 / 12 · Galeriyi aç", True),
        ("Galeriden: 24 fotoğraf", True),
        ("Kemeraltı'nda su baskınının ardından temizlik sürüyor (14 fotoğraf)", True),
        ("Reklamın ardından videonuz başlayacak", True),
        ("Haberin görüntülerini izlemek için videoyu oynatın.", True),
        ("Maçı izlemek için stada gelen taraftarlar kapıda uzun kuyruk oluşturdu.", False),
        ("Evet (34) Hayır (5)", True),
        ("Hayır 12", True),
        ("Hayır.", False),
        ("Tüm duyurular", True),
        ("Tüm öğrenciler okula döndü.", False),
        ("İLGİLİ HABER Burs başvuruları ne zaman başlıyor? İşte merak edilenler", True),
        ("İlgili kurumlar ne yapıyor? Henüz bilinmiyor.", False),
        ("Harita: Işık Kirliliği Çalışma Grubu", True),
        ("Samsun'da hortum anı kameraya yansıdı 00:47", True),
        ("Açılış töreni: 9:30", False),
        ("Bu sayfa 2.318 kez görüntülendi", True),
        ("Haberi beğendiniz mi?", True),
        ("Haberin devamı reklamdan sonra", True),
        ("Uygulamada aç", True),
    ],
)
def test_widget_lines_by_their_shape_and_wording_and_the_article_lines_like_them(text: str, furniture: bool) -> None:
    assert (rule_reason(text) is not None) is furniture


def test_a_comment_sections_counter_ends_a_flattened_pages_article_before_the_nicknames() -> None:
    gap = "\u2003 "
    text = gap.join([
        "Maç sona erdi, Çamlıbel Gençlik sahasında Yeşilvadi FK'yı 2-1 yendi.",
        "Çamlıbel Gençlik üst üste dördüncü galibiyetini aldı ve zirve yarışını sürdürdü.",
        "Soğuk havaya rağmen maçı tribünden 17 bin 400 taraftar izledi.",
        "Taraftar Yorumları (112)", "sarıyeşil_1961", "22:55", "Hocam Batuhan'ı ilk 11'den çıkarma artık!",
        "kuzeyli_ali", "22:41", "Savunma yine uyudu, penaltı tam bir hediye.",
    ])
    article = clean_article(raw(text))
    kept = " ".join(paragraph.text for paragraph in article.paragraphs)
    assert "17 bin 400 taraftar izledi." in kept
    assert "Taraftar Yorumları" not in kept and "Savunma yine uyudu" not in kept
    assert removed(article, "comment-form") == ["Taraftar Yorumları (112)"]


def test_a_sentence_above_a_photo_credit_naming_its_source_is_its_caption_unless_the_credit_came_glued_on() -> None:
    text = ("Yeşilvadi FK teknik direktörüyle yollarını ayırdı\n\n"
            "Kulüpten yapılan açıklamada ayrılığın karşılıklı anlaşmayla gerçekleştiği duyuruldu.\n\n"
            "Takım geçici olarak yardımcı antrenör yönetiminde çalışacak. Fotoğraf: Tribün Postası / Hakan Uçar\n\n"
            "Yönetim hafta sonuna kadar yeni bir isimle anlaşmayı hedefliyor.\n\n"
            "Cengiz Korkmaz, tesisten ayrılırken taraftarları selamladı.\n\n"
            "Fotoğraf: Tribün Postası / Hakan Uçar\n\n"
            "Kulüp, adaylarla görüşmelerin ayrıntılarını imza atılana kadar paylaşmayacak.")
    article = clean_article(raw(text))
    assert removed(article, "caption") == ["Cengiz Korkmaz, tesisten ayrılırken taraftarları selamladı."]
    assert ("text", "Takım geçici olarak yardımcı antrenör yönetiminde çalışacak.") in body(article)


def test_an_author_box_is_known_by_its_link_to_the_writers_other_pieces() -> None:
    text = ("Mahalle bakkalı neden kapanıyor?\n\n"
            "Geçen hafta sokağımızın köşesindeki bakkal, otuz iki yıllık tabelasını indirdi.\n\n"
            "Belediyeler bu dükkânlara küçük bir kira desteği verse, belki birkaçı ayakta kalır.\n\n"
            "Reşat Gümüşdere\n\n"
            "1971'de Tokat'ta doğdu. Yirmi beş yıldır kent yaşamı üzerine yazıyor. Yazarın tüm yazıları »\n\n"
            "Etiketler: bakkal, esnaf, kira")
    article = clean_article(raw(text))
    assert removed(article, "author-bio") == [
        "Reşat Gümüşdere",
        "1971'de Tokat'ta doğdu. Yirmi beş yıldır kent yaşamı üzerine yazıyor. Yazarın tüm yazıları »",
    ]
    assert body(article)[-1] == (
        "text", "Belediyeler bu dükkânlara küçük bir kira desteği verse, belki birkaçı ayakta kalır.")


def test_a_credit_glued_after_a_flattened_paragraph_ends_it_and_a_numbered_heading_is_no_credit() -> None:
    gap = "   "
    text = gap.join([
        "Marmaraspor eşitliği 34. dakikada kafa golüyle yakaladı. Fotoğraf: Skorbord / Serdar Akın",
        "İkinci yarıya daha istekli başlayan ev sahibi, 58. dakikada penaltıdan öne geçti.",
        "5. Söyleşi: Şehrin kayıp sinemaları",
        "Sinema tarihçisi, kentin yazlık sinemalarını fotoğraflarla anlatacak.",
    ])
    assert unflatten(text).split("\n\n") == [
        "Marmaraspor eşitliği 34. dakikada kafa golüyle yakaladı. Fotoğraf: Skorbord / Serdar Akın",
        "İkinci yarıya daha istekli başlayan ev sahibi, 58. dakikada penaltıdan öne geçti.",
        "5. Söyleşi: Şehrin kayıp sinemaları   Sinema tarihçisi, kentin yazlık sinemalarını fotoğraflarla anlatacak.",
    ]
    article = clean_article(raw(text))
    assert article.credits == ["Fotoğraf: Skorbord / Serdar Akın"]
    assert ("text", "Marmaraspor eşitliği 34. dakikada kafa golüyle yakaladı.") in body(article)


def test_a_breaking_news_ticker_is_another_storys_headline_but_a_page_may_open_with_its_own() -> None:
    text = ("SON DAKİKA Ankara'da çok katlı otoparkta yangın: Ekipler müdahale ediyor\n\n"
            "Ordu'da gece etkili olan lodos, balıkçı barınağında altı teknenin batmasına yol açtı.\n\n"
            "Son dakika golüyle kazanan Orduspor da maçın ardından barınağı ziyaret etti.")
    article = clean_article(raw(text, title="Ordu'da fırtına: Balıkçı barınağında 6 tekne battı"))
    assert removed(article, "breaking-news-banner") == [
        "SON DAKİKA Ankara'da çok katlı otoparkta yangın: Ekipler müdahale ediyor"]
    assert len(body(article)) == 2
    own = clean_article(raw("SON DAKİKA: Marmara'da 4,1 büyüklüğünde deprem\n\n"
                            "Marmara Denizi'nde sabah saatlerinde 4,1 büyüklüğünde bir deprem meydana geldi.\n\n"
                            "Depremin can ve mal kaybına yol açmadığı bildirildi."))
    assert "deprem" in own.title and len(body(own)) == 2


def test_counters_glued_after_a_meta_row_or_a_date_row_are_cut_off_and_the_date_kept() -> None:
    text = ("Tohum takas şenliği iki gün sürecek\n\n"
            "Nermin Aktaş · 9 Şubat 2027 · 4 dakikalık okuma · 11 yorum\n\n"
            "Ödemiş'te düzenlenen tohum takas şenliği bu yıl ilk kez iki gün sürecek.\n\n"
            "Şenlik kapalı pazar alanında kurulacak ve yüzlerce üreticiyi ağırlayacak.")
    article = clean_article(raw(text))
    assert article.credits == ["Nermin Aktaş"]
    assert article.published is not None and article.published.startswith("2027-02-09")
    assert [text for _, text in body(article)] == [
        "Ödemiş'te düzenlenen tohum takas şenliği bu yıl ilk kez iki gün sürecek.",
        "Şenlik kapalı pazar alanında kurulacak ve yüzlerce üreticiyi ağırlayacak."]
    dated = clean_article(raw("Bilanço açıklandı\n\n29.10.2026 18:42 3 dk okuma\n\n"
                              "Şirket üçüncü çeyrekte satışlarını yüzde 18 artırdı."))
    assert dated.published is not None and dated.published.startswith("2026-10-29T18:42")
    assert removed(dated, "boilerplate") == ["3 dk okuma"]


def test_an_enumeration_inside_a_sentence_is_no_spam_and_a_results_row_no_byline() -> None:
    text = ("Okullar yarın tatil\n\n"
            "Kar yağışı nedeniyle ilimizdeki okullarda eğitime yarın ara verildi.\n\n"
            "Aynı gün kamu kurum ve kuruluşlarında görev yapan;\n\n"
            "- hamile personel,\n\n- engelli personel,\n\n"
            "- okul öncesi ve ilkokul çağında çocuğu bulunan kadın personel\n\n"
            "idari izinli sayılacaktır.")
    kept = [text for _, text in body(clean_article(raw(text)))]
    assert "- hamile personel," in kept and "- engelli personel," in kept
    rows = ["Gizem Aksoy – Marta Kovačić 3-0 (11-6, 11-8, 11-4)", "Selin Durukan – Iva Perić 1-3 (9-11, 11-7, 6-11)"]
    results = clean_article(raw("Milli takım Hırvatistan'ı 3-1 yendi\n\n"
                                "Kadın milli takımımız grubundaki ikinci maçında Hırvatistan'ı 3-1 yendi.\n\n"
                                + "\n\n".join(rows)
                                + "\n\nTakım son maçında cumartesi günü Polonya ile karşılaşacak."))
    assert results.credits == [] and set(rows) <= {text for _, text in body(results)}


def test_a_headline_is_chosen_over_a_two_sentence_deck_the_lead_restates_and_a_sites_desk_is_a_credit() -> None:
    gap = "   "
    text = gap.join([
        "Anasayfa / Asayiş",
        "Kuyumcuyu soyan maskeli şüpheliler 40 dakikada yakalandı",
        "Bursa'da kuyumcuyu silah zoruyla soyan iki maskeli şüpheli kısa sürede yakalandı. İşte soygunun perde arkası...",
        "16.09.2026 - 15:42",
        "Şok Manşet Asayiş Servisi 2 dk okuma",
        "Bursa'nın Osmangazi ilçesinde kuyumcuyu silah zoruyla soyan iki maskeli şüpheli, 40 dakika sonra yakalandı.",
        "Şüpheliler emniyetteki işlemlerinin ardından adliyeye sevk edildi.",
    ])
    article = clean_article(raw(text))
    assert article.title == "Kuyumcuyu soyan maskeli şüpheliler 40 dakikada yakalandı"
    assert body(article)[0] == ("text", "Bursa'da kuyumcuyu silah zoruyla soyan iki maskeli şüpheli kısa sürede "
                                        "yakalandı. İşte soygunun perde arkası...")
    assert article.credits == ["Şok Manşet Asayiş Servisi"]


def test_a_labelled_notice_above_the_headline_does_not_open_the_lead() -> None:
    text = ("e-Baro Giriş Avukat Ara EN\n\n"
            "Duyuru Bandı: 2027 yılı keseneğinin ilk taksiti için son ödeme tarihi 31 Mart 2027'dir.\n\n"
            "CMK Ücretlerindeki Gecikme Avukatları Zor Durumda Bırakıyor\n\n14.11.2026\n\n"
            "Zorunlu müdafi olarak görevlendirilen avukatların CMK ücretleri eylülden bu yana ödenmiyor.\n\n"
            "Baro, ödemelerin gecikmesinin genç avukatları zor durumda bıraktığını açıkladı.")
    article = clean_article(raw(text))
    assert article.title == "CMK Ücretlerindeki Gecikme Avukatları Zor Durumda Bırakıyor"
