from trnews.records import CleanArticle, Paragraph, Source
from trnews.segment import fit_to_limit, segment_article, split_sentences


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
