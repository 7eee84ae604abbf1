import pytest

from trnews.records import CleanArticle, Paragraph, Source
from trnews.stages.segment import fit_to_limit, segment_article, split_sentences


def words(text: str) -> int:
    return len(text.split())


def test_keeps_quotes_dates_numbers_and_abbreviations_intact():
    text = (
        "Prof. Dr. Ayşe Kaya 19.06.2024 tarihinde açıklama yaptı. "
        "“Bu iş bitti. Yarın yeniden başlıyoruz” dedi. "
        "Faiz yüzde 3,5 oldu ve dolar 32.45 liradan işlem gördü. "
        "Av. Mehmet Demir de toplantıya katıldı."
    )
    assert split_sentences(text) == [
        "Prof. Dr. Ayşe Kaya 19.06.2024 tarihinde açıklama yaptı.",
        "“Bu iş bitti. Yarın yeniden başlıyoruz” dedi.",
        "Faiz yüzde 3,5 oldu ve dolar 32.45 liradan işlem gördü.",
        "Av. Mehmet Demir de toplantıya katıldı.",
    ]


# Each paragraph split the way a Turkish reader splits it.
SENTENCE_UNITS = [
    # ordinals
    ("Cumhuriyetin kurulmasının 75. yılını kutlamak için tören düzenlendi. Törene binlerce kişi katıldı.",
     ["Cumhuriyetin kurulmasının 75. yılını kutlamak için tören düzenlendi.", "Törene binlerce kişi katıldı."]),
    ("3. Ordu Komutanı bölgeyi ziyaret etti. Ziyaret iki saat sürdü.",
     ["3. Ordu Komutanı bölgeyi ziyaret etti.", "Ziyaret iki saat sürdü."]),
    ("2. Dünya Savaşı sırasında şehir büyük zarar gördü. Yeniden inşası yıllar aldı.",
     ["2. Dünya Savaşı sırasında şehir büyük zarar gördü.", "Yeniden inşası yıllar aldı."]),
    ("Dedesi 2. Dünya Savaşı'nda cephede bulundu. Hatıralarını yazdı.",
     ["Dedesi 2. Dünya Savaşı'nda cephede bulundu.", "Hatıralarını yazdı."]),
    ("Takım ligi 5. sırada bitirdi. Gelecek sezon hedef şampiyonluk.",
     ["Takım ligi 5. sırada bitirdi.", "Gelecek sezon hedef şampiyonluk."]),
    ("Olay 3. Ordu'nun sorumluluk bölgesinde yaşandı. Soruşturma başlatıldı.",
     ["Olay 3. Ordu'nun sorumluluk bölgesinde yaşandı.", "Soruşturma başlatıldı."]),
    ("II. Abdülhamit döneminde demiryolu uzatıldı. Hat bugün de kullanılıyor.",
     ["II. Abdülhamit döneminde demiryolu uzatıldı.", "Hat bugün de kullanılıyor."]),
    ("Konferansın 12. oturumu yarın yapılacak. Kayıtlar sürüyor.",
     ["Konferansın 12. oturumu yarın yapılacak.", "Kayıtlar sürüyor."]),
    # a cardinal can end a sentence
    ("Kazada ölenlerin sayısı 12. Yaralılar hastaneye kaldırıldı.",
     ["Kazada ölenlerin sayısı 12.", "Yaralılar hastaneye kaldırıldı."]),
    ("İşsizlik oranı yüzde 9. Gençlerde bu oran daha yüksek.",
     ["İşsizlik oranı yüzde 9.", "Gençlerde bu oran daha yüksek."]),
    # abbreviations
    ("Toplantıya Doç. Dr. Ali Yılmaz da katıldı. Konuşması ilgiyle izlendi.",
     ["Toplantıya Doç. Dr. Ali Yılmaz da katıldı.", "Konuşması ilgiyle izlendi."]),
    ("Prof. Dr. Ayşe Kaya uyarıda bulundu. Önlem alınmalı dedi.",
     ["Prof. Dr. Ayşe Kaya uyarıda bulundu.", "Önlem alınmalı dedi."]),
    ("Dava Av. Mehmet Demir tarafından açıldı. Duruşma ertelendi.",
     ["Dava Av. Mehmet Demir tarafından açıldı.", "Duruşma ertelendi."]),
    ("Dr. Öğr. Üyesi Can Ak yeni bir kitap yayımladı. Kitap çok sattı.",
     ["Dr. Öğr. Üyesi Can Ak yeni bir kitap yayımladı.", "Kitap çok sattı."]),
    ("Dosyada kitap, dergi, gazete vb. belgeler vardı. Hepsi incelendi.",
     ["Dosyada kitap, dergi, gazete vb. belgeler vardı.", "Hepsi incelendi."]),
    ("Masada kitap, dergi, gazete vb. Hepsi toz içindeydi.",
     ["Masada kitap, dergi, gazete vb.", "Hepsi toz içindeydi."]),
    ("Elma, armut vs. meyveler pazarda ucuzladı. Sebzeler ise pahalı.",
     ["Elma, armut vs. meyveler pazarda ucuzladı.", "Sebzeler ise pahalı."]),
    ("Ayrıntılar için bkz. Ek 2. Tablo ayrıca yayımlandı.",
     ["Ayrıntılar için bkz. Ek 2.", "Tablo ayrıca yayımlandı."]),
    ("Kanun No. 5651 değiştirildi. Değişiklik yarın yürürlüğe giriyor.",
     ["Kanun No. 5651 değiştirildi.", "Değişiklik yarın yürürlüğe giriyor."]),
    ("T.C. Sağlık Bakanlığı açıklama yaptı. Açıklamada yeni kurallar yer aldı.",
     ["T.C. Sağlık Bakanlığı açıklama yaptı.", "Açıklamada yeni kurallar yer aldı."]),
    ("Şirket A.Ş. olarak kuruldu. Merkezi İstanbul'da.", ["Şirket A.Ş. olarak kuruldu.", "Merkezi İstanbul'da."]),
    ("Yılmaz İnşaat Ltd. Şti. ihaleyi kazandı. Sözleşme gelecek hafta imzalanacak.",
     ["Yılmaz İnşaat Ltd. Şti. ihaleyi kazandı.", "Sözleşme gelecek hafta imzalanacak."]),
    ("Adres Kızılay Mah. Atatürk Cad. No. 12 olarak verildi. Bina boşaltıldı.",
     ["Adres Kızılay Mah. Atatürk Cad. No. 12 olarak verildi.", "Bina boşaltıldı."]),
    ("Tören Sn. Vali'nin konuşmasıyla başladı. Ardından ödüller verildi.",
     ["Tören Sn. Vali'nin konuşmasıyla başladı.", "Ardından ödüller verildi."]),
    # dates, times, decimals, thousands
    ("Toplantı 19.06.2024 tarihinde yapıldı. Sonuçlar açıklandı.",
     ["Toplantı 19.06.2024 tarihinde yapıldı.", "Sonuçlar açıklandı."]),
    ("Oturum saat 09.00'da başlayacak. Katılım ücretsiz.",
     ["Oturum saat 09.00'da başlayacak.", "Katılım ücretsiz."]),
    ("Maç 20.45'te başlıyor. Biletler tükendi.", ["Maç 20.45'te başlıyor.", "Biletler tükendi."]),
    ("Enflasyon aylık 0,8 arttı. Beklenti daha yüksekti.", ["Enflasyon aylık 0,8 arttı.", "Beklenti daha yüksekti."]),
    ("Kentte 1.284 konut yıkıldı. Hasar tespiti sürüyor.", ["Kentte 1.284 konut yıkıldı.", "Hasar tespiti sürüyor."]),
    ("Bütçe 1.250.000 liraya çıktı. Meclis onay verdi.", ["Bütçe 1.250.000 liraya çıktı.", "Meclis onay verdi."]),
    ("Faiz yüzde 42,5 seviyesinde sabit tutuldu. Piyasa olumlu karşıladı.",
     ["Faiz yüzde 42,5 seviyesinde sabit tutuldu.", "Piyasa olumlu karşıladı."]),
    ("Deprem 15.07.2023 saat 04.17'de meydana geldi. Büyüklüğü 6,1 ölçüldü.",
     ["Deprem 15.07.2023 saat 04.17'de meydana geldi.", "Büyüklüğü 6,1 ölçüldü."]),
    # initials
    ("M. Kemal bu sözleri 1927'de söyledi. Nutuk'ta yer alıyor.",
     ["M. Kemal bu sözleri 1927'de söyledi.", "Nutuk'ta yer alıyor."]),
    ("Kitabı A. Hamdi Tanpınar yazdı. Roman 1961'de basıldı.",
     ["Kitabı A. Hamdi Tanpınar yazdı.", "Roman 1961'de basıldı."]),
    # ellipses
    ("Ne diyeceğimi bilemedim... Sonra sustum.", ["Ne diyeceğimi bilemedim...", "Sonra sustum."]),
    ("Yıllar geçti… Her şey değişti.", ["Yıllar geçti…", "Her şey değişti."]),
    ("Bekledik, bekledik... ve sonunda otobüs geldi.", ["Bekledik, bekledik... ve sonunda otobüs geldi."]),
    # quotes
    ("“Bu iş burada bitmez…’’ Sonra kapıyı çarpıp çıktı.", ["“Bu iş burada bitmez…’’", "Sonra kapıyı çarpıp çıktı."]),
    ("Bakan, “Hedefimize ulaştık.” dedi. Salon alkışlarla inledi.",
     ["Bakan, “Hedefimize ulaştık.” dedi.", "Salon alkışlarla inledi."]),
    ("“Hazırız.” Bu sözler herkesi rahatlattı.", ["“Hazırız.”", "Bu sözler herkesi rahatlattı."]),
    ("“Bu iş bitti. Yarın yeniden başlıyoruz” dedi. Herkes dağıldı.",
     ["“Bu iş bitti. Yarın yeniden başlıyoruz” dedi.", "Herkes dağıldı."]),
    # list markers: a closing parenthesis that opens nothing
    ("Üç neden var: 1) Anketler yanıldı. Seçmen değişti. 2) Ekonomi kötüleşti. Fiyatlar arttı.",
     ["Üç neden var: 1) Anketler yanıldı.", "Seçmen değişti.", "2) Ekonomi kötüleşti.", "Fiyatlar arttı."]),
    ("Hedef (2025 yılı için) açıklandı. Yatırım sürecek.", ["Hedef (2025 yılı için) açıklandı.", "Yatırım sürecek."]),
    # questions, exclamations, web addresses
    ("Neden geç kaldın? Yol kapalıydı.", ["Neden geç kaldın?", "Yol kapalıydı."]),
    ("Bu ne cesaret! Herkes şaşırdı.", ["Bu ne cesaret!", "Herkes şaşırdı."]),
    ("Başvurular www.ornek.gov.tr adresinden yapılıyor. Son gün cuma.",
     ["Başvurular www.ornek.gov.tr adresinden yapılıyor.", "Son gün cuma."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_UNITS, ids=[t[:32] for t, _ in SENTENCE_UNITS])
def test_turkish_sentence_units(text, expected):
    assert split_sentences(text) == expected


def test_short_sentence_is_left_alone():
    assert fit_to_limit("Kısa bir cümle.", 10, words) == ["Kısa bir cümle."]


def test_long_sentence_splits_at_clauses_never_truncates():
    sentence = ("Belediye yeni parkı açtı, çocuklar için oyun alanları kurdu, yürüyüş yollarını yeniledi "
                "ve akşam saatlerinde konserler düzenleneceğini duyurdu.")
    pieces = fit_to_limit(sentence, 8, words)
    assert len(pieces) > 1
    assert all(words(p) <= 8 for p in pieces)
    assert " ".join(pieces) == sentence
    assert pieces[0] == "Belediye yeni parkı açtı,"


def test_conjunctions_then_words_as_last_resort():
    sentence = "ve " * 3 + "bir iki üç dört beş altı yedi sekiz dokuz on on bir on iki"
    pieces = fit_to_limit(sentence.strip(), 4, words)
    assert all(words(p) <= 4 for p in pieces)
    assert " ".join(pieces) == sentence.strip()


def test_unbreakable_token_is_split_by_characters():
    url = "https://ornek.com/" + "a" * 200
    pieces = fit_to_limit(url, 50, len)
    assert all(len(p) <= 50 for p in pieces)
    assert "".join(pieces) == url


def test_segment_article_keeps_structure():
    article = CleanArticle(
        id="x", source=Source(path="x.txt", sha256="0" * 64, format="text"), title="Yeni köprü açıldı",
        paragraphs=[
            Paragraph(kind="text", text="Köprü bugün açıldı. Trafik rahatladı."),
            Paragraph(kind="heading", text="Uzmanlar ne diyor. Bir görüş"),
            Paragraph(kind="text", text="Uzmanlar olumlu konuştu."),
        ],
        timings={"clean": 0.1},
    )
    segmented = segment_article(article, max_tokens=100, count_tokens=words)
    assert segmented.title_sentences == ["Yeni köprü açıldı"]
    assert [p.kind for p in segmented.paragraphs] == ["text", "heading", "text"]
    assert segmented.paragraphs[0].sentences == ["Köprü bugün açıldı.", "Trafik rahatladı."]
    assert segmented.paragraphs[1].sentences == ["Uzmanlar ne diyor. Bir görüş"]  # headings are not split
    assert segmented.sentences()[0] == "Yeni köprü açıldı"
    assert set(segmented.article.timings) == {"clean", "segment"}
