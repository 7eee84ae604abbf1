"""Cleaning stage: what is kept (exactly, in order), what is removed and why, and metadata."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from trnews import clean
from trnews.clean import NO_TEXT_LEFT, clean_article, language_detector, parse_turkish_date
from trnews.records import CleanArticle, RawArticle, Source, SourceFormat

FIXTURES = Path(__file__).parent / "fixtures" / "clean"

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
        ("text", "Moda ile Haydarpaşa arasındaki yürüyüş yolunda bisiklet şeridi genişletiliyor. "
                 "(Fotoğraf: İBB Basın Ofisi)"),
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
    assert article.credits == ["AA", "(İSTANBUL HABER SERVİSİ)"]
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
    code_words = set(clean._key(Path(clean.__file__).read_text(encoding="utf-8")).split())
    assert not set(clean._key(spam).split()) & code_words

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
    assert clean_article(raw(text, published="2024-06-19T10:00:00+03:00")).published == "2024-06-19T10:00+03:00"
    assert clean_article(raw(text, published="2024-06-19T10:00:00Z")).published == "2024-06-19T10:00+00:00"
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


def test_detector_is_built_once_and_cleaning_is_fast() -> None:
    assert language_detector() is language_detector()
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    for text in texts:  # load lingua's models
        clean_article(raw(text))
    started = time.perf_counter()
    for text in texts:
        clean_article(raw(text))
    assert time.perf_counter() - started < 1.0


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
