from pathlib import Path

import pytest

from trnews.config import ModelSpec, SummaryConfig, TranslationConfig
from trnews.hub import load_seq2seq
from trnews.records import BilingualText, CleanArticle, SentencePair, Source, TranslatedArticle, TranslatedParagraph
from trnews.segment import pack_to_limit
from trnews.summarise import abstractive_summary, extractive_summary, rank_sentences, summarise_english
from trnews.translate import TransformersTranslator


def article(paragraphs: list[tuple[str, list[str]]]) -> TranslatedArticle:
    return TranslatedArticle(
        article=CleanArticle(id="a", source=Source(path="a.txt", sha256="0" * 64, format="text"), title="Başlık"),
        title=BilingualText(tr="Başlık", en="Title"),
        paragraphs=[
            TranslatedParagraph(kind=kind, sentences=[SentencePair(tr=s, en=f"EN {s}") for s in sentences])
            for kind, sentences in paragraphs
        ],
    )


NEWS = article([
    ("text", ["Deprem İzmir'de korkuya neden oldu.", "Depremin büyüklüğü 5,1 olarak ölçüldü."]),
    ("heading", ["Hasar tespiti"]),
    ("text", ["Ekipler hasar tespiti için sahaya çıktı.", "Bazı binalarda çatlaklar oluştu.",
              "Vatandaşlar geceyi parklarda geçirdi.", "Deprem sonrası artçı depremler sürdü.",
              "Hava bugün güneşli olacak."]),
])


def test_extractive_summary_is_aligned_in_article_order_and_skips_headings():
    summary = extractive_summary(NEWS, 3)
    body = [p for par in NEWS.paragraphs if par.kind == "text" for p in par.sentences]
    assert len(summary) == 3
    assert all(pair in body for pair in summary)
    assert [body.index(p) for p in summary] == sorted(body.index(p) for p in summary)
    assert all(pair.en == f"EN {pair.tr}" for pair in summary)
    assert "Hasar tespiti" not in [p.tr for p in summary]


def test_central_and_early_sentences_rank_high():
    scores = rank_sentences([p.tr for par in NEWS.paragraphs if par.kind == "text" for p in par.sentences])
    assert scores[0] == max(scores)  # the lead sentence, about the earthquake
    assert scores[-1] == min(scores)  # the unrelated weather sentence at the end


def test_short_article_is_its_own_summary():
    short = article([("text", ["Tek cümle var."])])
    assert extractive_summary(short, 3) == short.paragraphs[0].sentences


def test_sentences_without_words_are_ranked_by_position():
    scores = rank_sentences(["12", "34", "56"])
    assert list(scores) == sorted(scores, reverse=True)


def test_chunks_respect_the_limit():
    sentences = [f"Sentence number {i} is here." for i in range(20)]
    chunks = pack_to_limit(sentences, 12, lambda text: len(text.split()))
    assert " ".join(chunks) == " ".join(sentences)
    assert all(len(c.split()) <= 12 for c in chunks)


@pytest.fixture(scope="module")
def summary_config(tiny_models) -> SummaryConfig:
    return SummaryConfig(kind="abstractive", sentences=2, model=ModelSpec(id=str(tiny_models.summariser)),
                         beam_size=1, max_new_tokens=16, min_new_tokens=8)


def test_long_text_is_summarised_chunk_by_chunk_not_truncated(summary_config, monkeypatch):
    loaded = load_seq2seq(summary_config.model, "cpu")
    calls: list[int] = []
    generate = loaded.model.generate

    def counting_generate(**kwargs):
        calls.append(kwargs["input_ids"].shape[0])
        return generate(**kwargs)

    monkeypatch.setattr(loaded.model, "generate", counting_generate)
    text = " ".join(f"The council met on day {i} and approved the new budget for the city." for i in range(30))
    small_chunks = summary_config.model_copy(update={"chunk_tokens": 60})
    assert summarise_english(text, loaded, small_chunks)
    assert calls[0] > 1  # the map step saw several chunks
    assert len(calls) >= 2  # and a reduce step followed


def test_abstractive_summary_pairs_english_with_back_translation(summary_config, tiny_models):
    back = TransformersTranslator(TranslationConfig(model=ModelSpec(id=str(tiny_models.mt_en_tr)), max_new_tokens=8,
                                                    beam_size=1, device="cpu"))
    summary = abstractive_summary(NEWS, summary_config, "cpu", back)
    assert 1 <= len(summary) <= 2
    assert all(pair.tr and pair.en for pair in summary)
