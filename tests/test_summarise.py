import tracemalloc

import numpy as np
import pytest
import torch

from trnews.config import SummaryConfig, TranslationConfig
from trnews.translation.hub import load_seq2seq
from trnews.records import (
    BilingualText,
    CleanArticle,
    SentencePair,
    Source,
    TranslatedArticle,
    TranslatedParagraph,
)
from trnews.stages.segment import pack_to_limit
from trnews.stages.summarise import (
    STEM_LENGTH,
    abstractive_summary,
    centrality,
    extractive_summary,
    prefix_stems,
    rank_sentences,
    summarise_english,
    summary_length,
)
from trnews.translation.transformers_engine import TransformersTranslator


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


def test_long_sentences_about_the_story_outrank_short_and_off_topic_ones():
    sentences = [
        "Deprem sabah saatlerinde hissedildi.",
        ("İzmir'de meydana gelen deprem sonrası ekipler hasar tespiti için sahaya çıktı ve depremin "
         "etkilediği binalarda incelemeler sürüyor."),
        "Hava bugün güneşli olacak, hafif bir rüzgâr bekleniyor ve sıcaklık mevsim normallerinde seyredecek.",
        "Depremde zarar gören binalarda yaşayan vatandaşlar geceyi parklarda geçirdi.",
        "Evet.",
    ]
    scores = rank_sentences(sentences)
    assert scores.argmax() == 1  # long and about the earthquake
    assert scores.argmin() == 4
    # Inflected forms ("deprem", "depremin", "depremde") count as the same word.
    similarity = centrality(sentences)
    assert min(similarity[[0, 1, 3]]) > similarity[2]  # the weather shares little more than "ve"


@pytest.mark.parametrize("sentences", [
    ["Deprem sabah hissedildi.", "Depremin ardından ekipler sahaya çıktı, deprem bölgesinde hasar var.",
     "Hava güneşli.", "Depremde zarar gören binalar boşaltıldı.", "Evet evet evet."],
    ["Tek cümle burada."],
    ["12 34", "Belediye bütçeyi oyladı.", "", "Bütçe ulaşımı artırıyor, bütçenin yarısı eğitime."],
    ["Aynı cümle.", "Aynı cümle."],
])
def test_centrality_is_the_tfidf_cosine_to_the_rest_as_scikit_learn_computes_it(sentences):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer=prefix_stems(STEM_LENGTH), sublinear_tf=True).fit_transform(sentences).toarray()
    expected = []
    for i, vector in enumerate(vectors):
        rest = vectors.sum(axis=0) - vector
        norm = np.linalg.norm(rest)
        expected.append(vector @ rest / norm if norm > 1e-6 else 0.0)
    assert np.allclose(centrality(sentences), expected, atol=1e-9)


def test_no_position_prior():
    sentences = ["Belediye meclisi yeni bütçeyi oyladı.", "Bütçe ulaşım ve eğitim harcamalarını artırıyor.",
                 "Muhalefet bütçenin borçla finanse edildiğini söyledi.", "Oylama gece yarısı sona erdi."]
    forward = rank_sentences(sentences)
    backward = rank_sentences(sentences[::-1])
    assert np.allclose(forward, backward[::-1])


def test_short_article_is_its_own_summary():
    short = article([("text", ["Tek cümle var."])])
    assert extractive_summary(short, 3) == short.paragraphs[0].sentences


def test_title_and_repeated_sentences_are_never_candidates():
    repeated = article([("text", ["Başlık", "Belediye yeni parkı bugün törenle hizmete açtı.",
                                  "Belediye yeni parkı bugün törenle hizmete açtı.", "Park büyük."])])
    summary = extractive_summary(repeated, 3)
    assert [p.tr for p in summary] == ["Belediye yeni parkı bugün törenle hizmete açtı.", "Park büyük."]


@pytest.mark.parametrize(("count", "expected"), [(1, 1), (3, 2), (5, 2), (20, 4), (60, 8), (400, 10)])
def test_automatic_length_follows_the_article(count, expected):
    assert summary_length(count) == expected


def test_default_length_is_automatic_and_an_explicit_one_overrides():
    def body(count: int) -> TranslatedArticle:
        return article([("text", [f"Bu haberin {i}. cümlesi farklı bir konuya {'ve ayrıntıya ' * (i % 4)}değiniyor."
                                  for i in range(count)])])

    assert len(extractive_summary(body(5), None)) == 2
    assert len(extractive_summary(body(60), None)) == 8
    assert len(extractive_summary(body(60), 3)) == 3
    assert SummaryConfig().sentences is None


def test_a_doubtful_translation_gives_way_to_a_sentence_of_similar_rank_but_not_to_a_much_lesser_one():
    from trnews.records import Flag

    doubt = [Flag(check="numbers", reason="The source's “5,1” is not in the translation.")]
    close = article([("text", ["Ekipler hasar tespiti için sahaya çıktı bugün.", "Ekipler hasar tespiti için sahaya çıktı.",
                               "Kısa."])])
    first, second, _ = close.paragraphs[0].sentences
    assert extractive_summary(close, 1) == [first]
    close.paragraphs[0].sentences[0] = first.model_copy(update={"flags": doubt})
    assert extractive_summary(close, 1) == [second]
    far = article([("text", ["Ekipler hasar tespiti için sahaya çıktı ve bütün gece binaları tek tek inceledi.", "Kısa."])])
    far.paragraphs[0].sentences[0] = far.paragraphs[0].sentences[0].model_copy(update={"flags": doubt})
    assert extractive_summary(far, 1) == [far.paragraphs[0].sentences[0]]  # shown, with its flag


def test_sentences_without_words_are_ranked_by_length():
    scores = rank_sentences(["12", "3456", "7"])
    assert list(np.argsort(-scores)) == [1, 0, 2]


def test_huge_article_is_ranked_without_a_sentence_by_sentence_matrix():
    # 50k sentences: a dense n x n similarity matrix would take 20 GB.
    words = ["deprem", "bina", "vatandaş", "ekip", "hasar", "park", "gece", "şehir", "yardım", "çadır"]
    sentences = [f"{words[i % 10]} {words[(i * 7) % 10]} {i} numaralı {words[(i * 3) % 10]} raporu yazıldı."
                 for i in range(50_000)]
    tracemalloc.start()
    try:
        scores = rank_sentences(sentences)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert scores.shape == (50_000,) and np.isfinite(scores).all()
    assert peak < 500 * 2**20  # far below the 20 GB of a dense 50k x 50k matrix


def test_chunks_respect_the_limit():
    sentences = [f"Sentence number {i} is here." for i in range(20)]
    chunks = pack_to_limit(sentences, 12, lambda text: len(text.split()))
    assert " ".join(chunks) == " ".join(sentences)
    assert all(len(c.split()) <= 12 for c in chunks)


@pytest.fixture(scope="module")
def summary_config(tiny_models) -> SummaryConfig:
    return SummaryConfig(kind="abstractive", sentences=2, model=str(tiny_models.summariser),
                         beam_size=1, max_new_tokens=16, min_new_tokens=8)


def test_long_text_is_summarised_chunk_by_chunk_not_truncated(summary_config, monkeypatch):
    loaded = load_seq2seq(summary_config.spec, "cpu")
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


def test_generation_lengths_are_ours_not_the_models(summary_config):
    """DistilBART-CNN ships min_length=56 / max_length=142; our min/max_new_tokens must win."""
    loaded = load_seq2seq(summary_config.spec, "cpu")
    eos = loaded.tokenizer.eos_token_id
    generation = loaded.model.generation_config
    bias = loaded.model.final_logits_bias.clone()
    try:
        generation.min_length, generation.max_length = 56, 142
        # The tiny model's EOS is biased away; bias it up instead: the model wants to stop at once
        # and only a minimum length delays EOS.
        with torch.no_grad():
            loaded.model.final_logits_bias[0, eos] = 100.0
        text = "The council met on Monday and approved the new budget for the city. " * 3
        stopping = summarise_english(text, loaded, summary_config)
        decoded_tokens = len(loaded.tokenizer(stopping, add_special_tokens=False)["input_ids"])
        assert decoded_tokens <= summary_config.min_new_tokens + 2  # far from 56
        with torch.no_grad():
            loaded.model.final_logits_bias[0, eos] = -100.0
        never_stopping = summarise_english(text, loaded, summary_config)
        assert len(loaded.tokenizer(never_stopping, add_special_tokens=False)["input_ids"]) <= summary_config.max_new_tokens
    finally:
        generation.min_length, generation.max_length = 0, 64
        with torch.no_grad():
            loaded.model.final_logits_bias.copy_(bias)


def test_chunks_go_through_in_token_budgeted_batches(summary_config, monkeypatch):
    loaded = load_seq2seq(summary_config.spec, "cpu")
    batches: list[tuple[int, int]] = []
    generate = loaded.model.generate

    def recording_generate(**kwargs):
        batches.append(tuple(kwargs["input_ids"].shape))
        return generate(**kwargs)

    monkeypatch.setattr(loaded.model, "generate", recording_generate)
    text = " ".join(f"The council met on day {i} and approved the new budget for the city." for i in range(12))
    config = summary_config.model_copy(update={"chunk_tokens": 60, "batch_tokens": 128})
    assert summarise_english(text, loaded, config)
    map_step = [rows for rows, _ in batches[:-1]]
    assert len(map_step) >= 2 and max(map_step) > 1  # several chunks, batched, in more than one batch
    assert all(rows == 1 or rows * length * config.beam_size <= 128 for rows, length in batches)


def test_abstractive_summary_pairs_english_with_back_translation(summary_config, tiny_models):
    back = TransformersTranslator(TranslationConfig(model=str(tiny_models.mt_en_tr), max_new_tokens=8,
                                                    beam_size=1, device="cpu"))
    summary = abstractive_summary(NEWS, summary_config, "cpu", back)
    assert 1 <= len(summary) <= 2
    assert all(pair.tr and pair.en for pair in summary)
