"""Small-but-real models for running the whole pipeline offline.

The Hugging Face hub is not always reachable (CI, air-gapped machines, tests), so this module builds
models with the *real* architectures used in production -- MarianMT for translation and BART for
abstractive summaries -- but with random weights and tiny sentencepiece / byte-level BPE tokenizers
trained on a built-in corpus of Turkish and English news-like sentences (written for this module).
Everything is deterministic for a given ``seed`` and the folders load with the ordinary Auto classes::

    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    path = build_tiny_marian(tmp / "mt_tr_en")
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path)

From the command line (then ``trnews run --mt-model OUT_DIR/mt_tr_en ...``)::

    python -m trnews.tiny_models OUT_DIR [--replica]

Generation lengths (read this before asserting on output text)
-------------------------------------------------------------
A randomly initialised model either stops at once (empty text) or never stops. To get outputs that
are non-empty and deterministic, every model built here carries a large negative
``final_logits_bias`` on the EOS, ``<unk>`` and ``<pad>`` ids (and on the placeholder ids of the
replica), so greedy or beam search never *chooses* to stop: generation runs until the length limit,
where ``forced_eos_token_id`` closes the sequence. The output therefore has exactly
``max_new_tokens - 1`` pieces (HF ``generate``) or ``max_decoding_length`` pieces (CTranslate2,
which converts ``final_logits_bias`` too). The saved ``generation_config.json`` holds
``max_length=64`` and ``num_beams=1`` for the tiny models, so a bare ``generate()`` is cheap;
pipeline code is expected to pass its own ``max_new_tokens`` / ``num_beams`` (which override it).
Pass ``suppress_eos=False`` to get the untouched random-weight behaviour instead.
The text produced is meaningless (random weights); only its shape is meaningful.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_ENGLISH_TEXTS",
    "DEFAULT_TURKISH_TEXTS",
    "OPUS_MT_TR_EN_CONFIG",
    "OPUS_MT_TR_EN_GENERATION_CONFIG",
    "OPUS_MT_TR_EN_NUM_PARAMETERS",
    "TestModels",
    "build_opus_mt_tr_en_replica",
    "build_replica_once",
    "build_test_models",
    "build_tiny_bart",
    "build_tiny_marian",
    "main",
]

# --------------------------------------------------------------------------------------------
# Built-in corpus: original news-like sentences, one English rendering per Turkish sentence.
# Chosen so that every Turkish letter (ç ğ ı İ ö ş ü and their capitals Ç Ğ Ö Ş Ü) occurs, as well as
# all ten digits, apostrophe suffixes (İzmir'de), percentages, decimal commas, quotes and brackets.
# --------------------------------------------------------------------------------------------

_PARALLEL_CORPUS: tuple[tuple[str, str], ...] = (
    ("Ankara'da bugün yağmurlu bir gün bekleniyor.", "Rainy weather is expected in Ankara today."),
    (
        "İstanbul Büyükşehir Belediyesi yeni metro hattını hizmete açtı.",
        "Istanbul Metropolitan Municipality opened the new metro line.",
    ),
    (
        "Merkez Bankası politika faizini yüzde 45'te sabit tuttu.",
        "The Central Bank kept its policy rate steady at 45 percent.",
    ),
    (
        "Cumhurbaşkanı yarın İzmir'de bir açılış törenine katılacak.",
        "The president will attend an opening ceremony in Izmir tomorrow.",
    ),
    ("Türkiye'nin ihracatı geçen ay yüzde 8 arttı.", "Turkey's exports rose by 8 percent last month."),
    (
        "Deprem bölgesinde yeniden yapılanma çalışmaları sürüyor.",
        "Reconstruction work continues in the earthquake zone.",
    ),
    ("Öğretmenler yeni eğitim yılına hazırlanıyor.", "Teachers are preparing for the new school year."),
    ("Galatasaray dün akşamki maçı üç golle kazandı.", "Galatasaray won last night's match with three goals."),
    ("Karadeniz'de balıkçılar hamsi sezonunu açtı.", "Fishermen on the Black Sea opened the anchovy season."),
    (
        "Sağlık Bakanlığı grip aşısı için uyarıda bulundu.",
        "The Ministry of Health issued a warning about the flu vaccine.",
    ),
    ("Enflasyon eylül ayında beklentilerin altında kaldı.", "Inflation came in below expectations in September."),
    ("Ülke genelinde benzin fiyatlarına zam geldi.", "Petrol prices were raised across the country."),
    ("Üniversite sınavının sonuçları açıklandı.", "The results of the university entrance exam were announced."),
    (
        "Şirket bu yıl iki yüz yeni çalışan alacağını duyurdu.",
        "The company announced that it will hire two hundred new employees this year.",
    ),
    (
        "Çiftçiler kuraklık nedeniyle hasadın düşük olmasından endişeli.",
        "Farmers are worried about a poor harvest because of the drought.",
    ),
    (
        "Öğrenciler okulların açılmasıyla birlikte derslere başladı.",
        "Students started lessons as the schools reopened.",
    ),
    ("Belediye, şehir merkezinde yeni bir park yapacak.", "The municipality will build a new park in the city centre."),
    ("Göç İdaresi yeni verileri paylaştı.", "The migration authority shared new figures."),
    (
        "Hükümet asgari ücret için yeni bir görüşme başlattı.",
        "The government started a new round of talks on the minimum wage.",
    ),
    ("Meclis, bütçe tasarısını gelecek hafta görüşecek.", "Parliament will debate the budget bill next week."),
    ("Antalya'ya gelen turist sayısı rekor kırdı.", "The number of tourists arriving in Antalya broke a record."),
    (
        "Kapadokya'da balon turları hava koşulları nedeniyle iptal edildi.",
        "Balloon tours in Cappadocia were cancelled because of the weather.",
    ),
    (
        "Dışişleri Bakanı komşu ülkelerle görüşmeler yaptı.",
        "The foreign minister held talks with neighbouring countries.",
    ),
    ("Borsa İstanbul günü yükselişle tamamladı.", "Borsa Istanbul ended the day higher."),
    ("Dolar kuru haftaya sakin bir başlangıç yaptı.", "The dollar exchange rate made a calm start to the week."),
    ("Orman yangını rüzgârın etkisiyle hızla yayıldı.", "The forest fire spread quickly because of the wind."),
    ("İtfaiye ekipleri yangını kontrol altına aldı.", "Fire crews brought the blaze under control."),
    ("Kış aylarında doğal gaz tüketimi artıyor.", "Natural gas consumption rises in the winter months."),
    (
        "Yeni havalimanı bu yıl altmış milyon yolcuya hizmet verdi.",
        "The new airport served sixty million passengers this year.",
    ),
    ("Bilim insanları Van Gölü'nde yeni bir tür keşfetti.", "Scientists discovered a new species in Lake Van."),
    ("Müzede açılan sergi büyük ilgi gördü.", "The exhibition that opened at the museum drew great interest."),
    ("Ünlü yazarın yeni romanı çok sattı.", "The famous author's new novel sold very well."),
    ("Trafik kazasında üç kişi hafif yaralandı.", "Three people were slightly injured in the traffic accident."),
    ("Polis, olayla ilgili soruşturma başlattı.", "Police launched an investigation into the incident."),
    ("Mahkeme davayı gelecek aya erteledi.", "The court adjourned the case until next month."),
    ("Seçim sonuçlarına göre iktidar partisi önde.", "According to the election results the ruling party is ahead."),
    ("Muhalefet lideri ekonomi politikalarını eleştirdi.", "The opposition leader criticised the economic policies."),
    ("Ekonomistler büyümenin yavaşlayacağını öngörüyor.", "Economists expect growth to slow down."),
    ("Konut satışları geçen yıla göre azaldı.", "Housing sales fell compared with last year."),
    (
        "Kira artışları öğrencileri zor durumda bırakıyor.",
        "Rent increases are putting students in a difficult position.",
    ),
    ("Futbol federasyonu yeni teknik direktörü açıkladı.", "The football federation announced the new head coach."),
    (
        "Milli takım Avrupa şampiyonasına katılmaya hak kazandı.",
        "The national team qualified for the European championship.",
    ),
    ("Basketbol ligi cumartesi günü başlıyor.", "The basketball league starts on Saturday."),
    (
        "Meteoroloji, Doğu Anadolu için kar uyarısı yaptı.",
        "The weather service issued a snow warning for Eastern Anatolia.",
    ),
    (
        "Şiddetli yağış nedeniyle bazı köy yolları kapandı.",
        "Some village roads were closed because of heavy rainfall.",
    ),
    ("Tarım Bakanlığı fındık fiyatlarını açıkladı.", "The Ministry of Agriculture announced hazelnut prices."),
    ("Çay üreticileri yeni alım fiyatından memnun.", "Tea growers are pleased with the new purchase price."),
    ("Otomobil üretimi ilk çeyrekte yüzde 12 geriledi.", "Car production fell by 12 percent in the first quarter."),
    (
        "Savunma sanayii yeni bir insansız hava aracını tanıttı.",
        "The defence industry unveiled a new unmanned aerial vehicle.",
    ),
    (
        "Uzay ajansı ilk uydunun fırlatma tarihini duyurdu.",
        "The space agency announced the launch date of the first satellite.",
    ),
    ("Hastanelerde randevu sistemi yenilendi.", "The appointment system in hospitals was renewed."),
    ("Emekliler bayram ikramiyesini bekliyor.", "Pensioners are waiting for the holiday bonus."),
    ("Köprü ve otoyol ücretleri yılbaşında değişecek.", "Bridge and motorway tolls will change at the new year."),
    ("İzmir'de düzenlenen fuara yüzlerce firma katıldı.", "Hundreds of companies took part in the fair held in Izmir."),
    ("Gaziantep mutfağı UNESCO listesinde yer alıyor.", "Gaziantep cuisine is on the UNESCO list."),
    ("Bursa'da yeni bir tramvay hattı yapılıyor.", "A new tram line is being built in Bursa."),
    ("Trabzon limanında ihracat yükleri artıyor.", "Export cargo is growing at the port of Trabzon."),
    ("Öğle saatlerinde sıcaklık otuz dereceyi aşacak.", "Temperatures will exceed thirty degrees around midday."),
    ("Sokak hayvanları için yeni bir düzenleme hazırlanıyor.", "A new regulation for stray animals is being prepared."),
    ("Su kesintisi akşam saatlerinde sona erecek.", "The water outage will end in the evening."),
    ("Gençlerde işsizlik oranı geçen çeyrekte düştü.", "The youth unemployment rate fell in the last quarter."),
    (
        "Bakan yardımcısı basın toplantısında açıklama yaptı.",
        "The deputy minister made a statement at a press conference.",
    ),
    (
        "Çanakkale Köprüsü'nden geçen araç sayısı arttı.",
        "The number of vehicles crossing the Çanakkale Bridge increased.",
    ),
    ("Şehirlerarası otobüs biletleri bayram öncesinde tükendi.", "Intercity bus tickets sold out before the holiday."),
    (
        "Ödül töreni cuma akşamı İstanbul'da yapılacak.",
        "The award ceremony will be held in Istanbul on Friday evening.",
    ),
    ("Uzmanlar, ılık havanın kısa süreceğini söyledi.", "Experts said the mild weather would not last long."),
    ("Iğdır'da kayısı hasadı başladı.", "The apricot harvest has begun in Igdir."),
    ("Öğrencilere ücretsiz süt dağıtılacak.", "Free milk will be distributed to pupils."),
    ("Çocuk hastanesinin inşaatı tamamlandı.", "Construction of the children's hospital has been completed."),
    (
        "Şubat ayında ihracatçılara destek paketi açıklanacak.",
        "A support package for exporters will be announced in February.",
    ),
    ("SON DAKİKA: Ege'de 4,8 büyüklüğünde deprem.", "BREAKING: Magnitude 4.8 earthquake in the Aegean."),
    ("Ğ harfi Türkçede hiçbir kelimenin başında yer almaz.", "The letter Ğ never begins a word in Turkish."),
    (
        "Vali, kar yağışı nedeniyle okulların iki gün tatil edildiğini söyledi.",
        "The governor said schools would be closed for two days because of snowfall.",
    ),
    (
        "Açıklamada, yaralıların durumunun iyi olduğu belirtildi.",
        "The statement said the condition of the injured was good.",
    ),
    ("Nüfus 2023 sonunda 85 milyon 372 bin kişiye ulaştı.", "The population reached 85.37 million at the end of 2023."),
    ("Saat 09.30'da başlayan toplantı 16.45'te sona erdi.", "The meeting, which began at 09:30, ended at 16:45."),
    (
        'Enflasyon %61,9 oldu; ekonomistler "düşüş sürecek mi?" diye soruyor.',
        'Inflation was 61.9%; economists ask: "Will the decline continue?"',
    ),
    (
        "Kaza (sabah saatlerinde) E-5 karayolunda meydana geldi!",
        "The accident (in the morning) happened on the E-5 highway!",
    ),
    (
        "Bakan, çiftçiler ile görüştü ve çay üreticilerine destek sözü verdi.",
        "The minister met farmers and promised support to tea growers.",
    ),
    ("Zonguldak'ta maden ocağında çalışmalar yeniden başladı.", "Work has resumed at the coal mine in Zonguldak."),
    (
        "Rize ve Artvin'de heyelan riski nedeniyle uyarı yapıldı.",
        "A warning was issued in Rize and Artvin over the risk of landslides.",
    ),
    (
        "Lüleburgaz'da Japon yatırımcıların fabrikası açıldı.",
        "A factory built by Japanese investors opened in Lüleburgaz.",
    ),
    ("WhatsApp ve X üzerinden yayılan haberler yalanlandı.", "Reports spread via WhatsApp and X were denied."),
    ("Irak'tan gelen heyet Ankara'da ağırlandı.", "A delegation from Iraq was hosted in Ankara."),
)

DEFAULT_TURKISH_TEXTS: tuple[str, ...] = tuple(tr for tr, _ in _PARALLEL_CORPUS)
"""Built-in Turkish training text for the tokenizers (original sentences, news style)."""

DEFAULT_ENGLISH_TEXTS: tuple[str, ...] = tuple(en for _, en in _PARALLEL_CORPUS)
"""English renderings of :data:`DEFAULT_TURKISH_TEXTS`, line by line."""

_DEFAULT_TEXTS: dict[str, tuple[str, ...]] = {"tr": DEFAULT_TURKISH_TEXTS, "en": DEFAULT_ENGLISH_TEXTS}

# --------------------------------------------------------------------------------------------
# The real Helsinki-NLP/opus-mt-tr-en architecture.
#
# Source: the model's config.json as mirrored (unchanged apart from "transformers_version") in
# huggingface.co/Xenova/opus-mt-tr-en/blob/3f68332f151679592228baed2a331e5918e9fd84/config.json with
# "_name_or_path": "Helsinki-NLP/opus-mt-tr-en"; the same values appear in fine-tunes of it
# (e.g. PontifexMaximus/opus-mt-tr-en-finetuned-az-to-en). Keys that transformers 5 no longer reads
# (normalize_before, normalize_embedding, static_position_embeddings=true, add_bias_logits=false,
# add_final_layer_norm=false: all hard-wired in MarianMTModel) and generation keys (now in
# generation_config.json) are left out here.
#
# Parameter count (model.num_parameters()), derived by hand and asserted in tests/test_testing.py:
#   shared embedding (tied to both embed_tokens and lm_head) 62389 * 512   = 31,943,168
#   6 encoder layers * (4*(512*512+512) + 2*512*2048+2048+512 + 2*2*512)  = 18,914,304
#   6 decoder layers * (8*(512*512+512) + 2*512*2048+2048+512 + 3*2*512)  = 25,224,192
#   2 sinusoidal position tables 2 * 512 * 512 (frozen nn.Embedding weights) =  524,288
#   total                                                                  = 76,605,952  (76.6 M)
# i.e. 76.1 M without the frozen position tables. (final_logits_bias, 62389 values, is a buffer.)
# --------------------------------------------------------------------------------------------

OPUS_MT_TR_EN_CONFIG: Mapping[str, Any] = {
    "vocab_size": 62389,
    "decoder_vocab_size": 62389,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "activation_dropout": 0.0,
    "attention_dropout": 0.0,
    "dropout": 0.1,
    "encoder_layerdrop": 0.0,
    "decoder_layerdrop": 0.0,
    "init_std": 0.02,
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
    "use_cache": True,
    "is_encoder_decoder": True,
    "bos_token_id": 0,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "pad_token_id": 62388,
    "decoder_start_token_id": 62388,
}

OPUS_MT_TR_EN_GENERATION_CONFIG: Mapping[str, Any] = {
    # Helsinki-NLP/opus-mt-tr-en generation_config.json: the generation keys of its config.json plus
    # renormalize_logits=True (upstream commit "set `renormalize_logits=True` for better performance").
    "bad_words_ids": [[62388]],
    "bos_token_id": 0,
    "decoder_start_token_id": 62388,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "max_length": 512,
    "num_beams": 6,
    "pad_token_id": 62388,
    "renormalize_logits": True,
}

OPUS_MT_TR_EN_NUM_PARAMETERS = 76_605_952
"""``MarianMTModel(MarianConfig(**OPUS_MT_TR_EN_CONFIG)).num_parameters()`` (see the derivation above)."""

# Tiny architectures: real classes, toy sizes.
_TINY_MARIAN_CONFIG: Mapping[str, Any] = {
    "d_model": 64,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 128,
    "decoder_ffn_dim": 128,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    # Larger than the usual 0.02 so that the random network's output depends visibly on its input.
    "init_std": 0.2,
}

_TINY_BART_CONFIG: Mapping[str, Any] = {
    # Same layout as distilbart-cnn-12-6 (learned positions, layernorm_embedding, 1024 positions),
    # scaled down.
    "d_model": 64,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 128,
    "decoder_ffn_dim": 128,
    "max_position_embeddings": 1024,
    "activation_function": "gelu",
    "scale_embedding": False,
    "tie_word_embeddings": True,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    "init_std": 0.2,
}

# Large enough to make these ids never win an argmax or survive a beam, small enough to stay finite
# through float16 / int8 conversions (CTranslate2 keeps the bias in float).
_SUPPRESS_BIAS = -100.0

_MARKER_NAME = ".trnews-testing-complete"
# Bump when the builders change in a way that makes previously built folders stale.
_BUILD_VERSION = "1"

_MARIAN_EOS = "</s>"
_MARIAN_UNK = "<unk>"
_MARIAN_PAD = "<pad>"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _texts_for(lang: str, texts: Sequence[str] | None, what: str) -> list[str]:
    if texts is None:
        try:
            texts = _DEFAULT_TEXTS[lang]
        except KeyError:
            raise ValueError(f"no built-in corpus for language {lang!r}: pass {what} explicitly") from None
    cleaned = [t.strip() for t in texts if t and t.strip()]
    if not cleaned:
        raise ValueError(f"{what} is empty")
    return cleaned


def _train_sentencepiece(texts: Sequence[str], vocab_size: int, seed: int) -> bytes:
    """Train a unigram sentencepiece model on ``texts``; returns the serialized model proto."""
    import sentencepiece as spm

    spm.set_random_generator_seed(seed)
    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)),
        model_writer=writer,
        model_type="unigram",
        vocab_size=vocab_size,
        # A small corpus cannot always fill the requested vocabulary: take what it gives.
        hard_vocab_limit=False,
        # Keep every character seen in training (ı ğ ş ... must not become <unk>).
        character_coverage=1.0,
        # Same id layout as the opus-mt spm models.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return writer.getvalue()


def _spm_pieces(model_proto: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(model_proto)
    return [
        sp.IdToPiece(i)
        for i in range(sp.GetPieceSize())
        if not (sp.IsControl(i) or sp.IsUnknown(i) or sp.IsUnused(i))
    ]


def _marian_vocab(
    source_proto: bytes, target_proto: bytes, total_size: int | None
) -> tuple[dict[str, int], range]:
    """Joint vocabulary laid out as in opus-mt: ``</s>`` = 0, ``<unk>`` = 1, pieces, ``<pad>`` last.

    ``total_size`` pads the vocabulary with placeholder tokens (before ``<pad>``) up to that size;
    their ids are returned as a range. CTranslate2's Marian loader relies on ``<pad>`` being the
    last id (it drops it).
    """
    tokens = [_MARIAN_EOS, _MARIAN_UNK]
    seen = set(tokens) | {_MARIAN_PAD}
    for piece in _spm_pieces(source_proto) + _spm_pieces(target_proto):
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
    first_placeholder = len(tokens)
    if total_size is not None:
        missing = total_size - 1 - len(tokens)
        if missing < 0:
            raise ValueError(f"the tokenizer has {len(tokens) + 1} tokens, more than the requested {total_size}")
        n = 0
        while missing:
            name = f"<placeholder_{n}>"
            n += 1
            if name not in seen:
                tokens.append(name)
                missing -= 1
    tokens.append(_MARIAN_PAD)
    return {token: i for i, token in enumerate(tokens)}, range(first_placeholder, len(tokens) - 1)


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Run model initialisation under ``seed`` without disturbing the caller's global RNG state."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _suppress(model: Any, ids: Sequence[int]) -> None:
    import torch

    with torch.no_grad():
        model.final_logits_bias[..., list(ids)] = _SUPPRESS_BIAS


def _fresh_dir(out_dir: Path) -> Path:
    """An empty ``out_dir``: a previous build there is removed, any other non-empty folder is refused."""
    out_dir = Path(out_dir)
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not ((out_dir / "config.json").is_file() or (out_dir / _MARKER_NAME).is_file()):
            raise FileExistsError(f"{out_dir} is not empty and does not hold a model: refusing to replace it")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def _write_marian(
    out_dir: Path,
    *,
    source_texts: Sequence[str],
    target_texts: Sequence[str],
    source_lang: str | None,
    target_lang: str | None,
    spm_vocab_size: int,
    config_kwargs: Mapping[str, Any],
    generation_kwargs: Mapping[str, Any],
    total_vocab_size: int | None,
    seed: int,
    suppress_eos: bool,
) -> Path:
    from transformers import (
        GenerationConfig,
        MarianConfig,
        MarianMTModel,
        MarianTokenizer,
    )

    out_dir = _fresh_dir(out_dir)
    source_proto = _train_sentencepiece(source_texts, spm_vocab_size, seed)
    target_proto = _train_sentencepiece(target_texts, spm_vocab_size, seed)
    vocab, placeholders = _marian_vocab(source_proto, target_proto, total_vocab_size)
    (out_dir / "source.spm").write_bytes(source_proto)
    (out_dir / "target.spm").write_bytes(target_proto)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")

    with warnings.catch_warnings():
        # MarianTokenizer asks for sacremoses (an optional punctuation normaliser) on every load.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            source_spm=str(out_dir / "source.spm"),
            target_spm=str(out_dir / "target.spm"),
            vocab=str(out_dir / "vocab.json"),
            source_lang=source_lang,
            target_lang=target_lang,
            model_max_length=512,
            separate_vocabs=False,
        )
    tokenizer.save_pretrained(str(out_dir))  # writes tokenizer_config.json (+ the files above again)

    vocab_size = len(vocab)
    pad_id = vocab[_MARIAN_PAD]
    eos_id = vocab[_MARIAN_EOS]
    special = {
        "vocab_size": vocab_size,
        "decoder_vocab_size": vocab_size,
        "pad_token_id": pad_id,
        "decoder_start_token_id": pad_id,
        "eos_token_id": eos_id,
        "forced_eos_token_id": eos_id,
        "bos_token_id": eos_id,
    }
    config = MarianConfig(**{**config_kwargs, **special})
    with _seeded(seed):
        model = MarianMTModel(config)
    model.eval()
    if suppress_eos:
        _suppress(model, [eos_id, vocab[_MARIAN_UNK], pad_id, *placeholders])
    model.generation_config = GenerationConfig(
        **{
            "decoder_start_token_id": pad_id,
            "pad_token_id": pad_id,
            "eos_token_id": eos_id,
            "forced_eos_token_id": eos_id,
            "bos_token_id": eos_id,
            "bad_words_ids": [[pad_id]],
            **generation_kwargs,
        }
    )
    model.save_pretrained(str(out_dir))
    return out_dir


# --------------------------------------------------------------------------------------------
# public builders
# --------------------------------------------------------------------------------------------


def build_tiny_marian(
    out_dir: Path,
    *,
    source_texts: Sequence[str] | None = None,
    target_texts: Sequence[str] | None = None,
    vocab_size: int = 256,
    seed: int = 0,
    config_overrides: Mapping[str, Any] | None = None,
    source_lang: str = "tr",
    target_lang: str = "en",
    suppress_eos: bool = True,
) -> Path:
    """Build a tiny random-weight ``MarianMTModel`` with a real ``MarianTokenizer`` into ``out_dir``.

    The folder has the same files as an opus-mt checkpoint (``source.spm``, ``target.spm``,
    ``vocab.json``, ``tokenizer_config.json``, ``config.json``, ``generation_config.json``,
    ``model.safetensors``) and loads with ``AutoTokenizer`` / ``AutoModelForSeq2SeqLM`` and with
    CTranslate2's ``TransformersConverter``.

    Args:
        out_dir: destination folder, created if needed; a previous build there is replaced, any
            other non-empty folder is refused (``FileExistsError``).
        source_texts: text to train the source sentencepiece model on (default: the built-in
            corpus of ``source_lang``).
        target_texts: same for the target side (default: the built-in corpus of ``target_lang``).
            For an EN->TR model swap the texts and the languages.
        vocab_size: requested size of *each* sentencepiece model. Small corpora yield fewer pieces
            (``hard_vocab_limit=False``). The model's vocabulary is the union of both sides' pieces
            plus ``</s>``, ``<unk>`` and ``<pad>``, as in opus-mt (shared vocabulary, tied
            embeddings), so ``config.vocab_size == len(tokenizer)`` is at most ``2 * vocab_size + 1``.
        seed: seeds sentencepiece and the weight initialisation (the caller's RNG state is kept).
        config_overrides: ``MarianConfig`` fields to override on top of the tiny defaults
            (d_model 64, 2+2 layers, 4 heads, FFN 128, 512 positions, swish, scale_embedding).
            Vocabulary and special token ids are always derived from the tokenizer.
        source_lang / target_lang: recorded in ``tokenizer_config.json``; select the default corpora.
        suppress_eos: bias EOS/<unk>/<pad> logits down so generation always runs to the length
            limit and the decoded text is never empty (see the module docstring).

    Returns:
        ``out_dir``.
    """
    src = _texts_for(source_lang, source_texts, "source_texts")
    tgt = _texts_for(target_lang, target_texts, "target_texts")
    return _write_marian(
        out_dir,
        source_texts=src,
        target_texts=tgt,
        source_lang=source_lang,
        target_lang=target_lang,
        spm_vocab_size=vocab_size,
        config_kwargs={**_TINY_MARIAN_CONFIG, **(config_overrides or {})},
        generation_kwargs={"max_length": 64, "num_beams": 1},
        total_vocab_size=None,
        seed=seed,
        suppress_eos=suppress_eos,
    )


def build_opus_mt_tr_en_replica(
    out_dir: Path,
    *,
    texts: tuple[Sequence[str], Sequence[str]] | Sequence[str] | None = None,
    seed: int = 0,
    suppress_eos: bool = True,
) -> Path:
    """Build a random-weight ``MarianMTModel`` with the exact architecture of ``Helsinki-NLP/opus-mt-tr-en``.

    Same config (:data:`OPUS_MT_TR_EN_CONFIG`: d_model 512, 6+6 layers, 8 heads, FFN 2048, swish,
    sinusoidal positions, scale_embedding, shared/tied embeddings, vocabulary 62,389) and the same
    generation defaults (:data:`OPUS_MT_TR_EN_GENERATION_CONFIG`: 6 beams, max_length 512), so
    timings and memory are honest proxies for the real model: 76.6 M parameters, ~306 MB of
    float32 safetensors. Pass ``max_new_tokens`` when benchmarking: with ``suppress_eos`` (default)
    every sentence runs to the length limit, which makes timings reproducible.

    The tokenizer is trained on the built-in corpus (or ``texts``: one sequence used for both sides,
    or a ``(turkish, english)`` pair) and ``vocab.json`` is padded with ``<placeholder_N>`` tokens
    up to 62,389 entries so that ``config.vocab_size == len(tokenizer)``. The sentencepiece encoder
    never produces placeholder ids; they decode to their literal text, and with ``suppress_eos``
    they are also biased out of generation.

    Building takes a few seconds (weight initialisation + writing ~306 MB). ``out_dir`` is handled
    as in :func:`build_tiny_marian`.
    """
    if texts is None:
        src, tgt = list(DEFAULT_TURKISH_TEXTS), list(DEFAULT_ENGLISH_TEXTS)
    elif isinstance(texts, tuple) and len(texts) == 2 and not isinstance(texts[0], str):
        src, tgt = list(texts[0]), list(texts[1])
    else:
        src = tgt = list(texts)  # type: ignore[arg-type]
    return _write_marian(
        out_dir,
        source_texts=_texts_for("tr", src, "texts"),
        target_texts=_texts_for("en", tgt, "texts"),
        source_lang="tr",
        target_lang="en",
        spm_vocab_size=256,
        config_kwargs=OPUS_MT_TR_EN_CONFIG,
        generation_kwargs=OPUS_MT_TR_EN_GENERATION_CONFIG,  # same ids as derived from the vocabulary
        total_vocab_size=int(OPUS_MT_TR_EN_CONFIG["vocab_size"]),
        seed=seed,
        suppress_eos=suppress_eos,
    )


def _train_byte_level_bpe(
    texts: Sequence[str], vocab_size: int
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        # BART's special ids: <s>=0, <pad>=1, </s>=2, <unk>=3 (<mask> follows).
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    state = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ", 1)) if isinstance(m, str) else (m[0], m[1]) for m in state["merges"]]
    return dict(state["vocab"]), merges


def _printable(text: str) -> bool:
    return bool(text) and "\ufffd" not in text and text.isprintable()


def build_tiny_bart(
    out_dir: Path,
    *,
    texts: Sequence[str] | None = None,
    seed: int = 0,
    vocab_size: int = 512,
    config_overrides: Mapping[str, Any] | None = None,
    suppress_eos: bool = True,
) -> Path:
    """Build a tiny random-weight ``BartForConditionalGeneration`` summariser into ``out_dir``.

    The tokenizer is a byte-level BPE (the same kind as distilbart's) trained with the
    ``tokenizers`` library on ``texts`` (default: the built-in English corpus) and saved as
    transformers' ``RobertaTokenizer`` (which ``BartTokenizer`` aliases in transformers 5), so
    ``AutoTokenizer.from_pretrained(out_dir)`` loads it; any text encodes (byte fallback).
    ``vocab_size`` is an upper bound (256 byte symbols + 5 specials + learned merges).
    ``generation_config.json`` holds ``max_length=64``, ``num_beams=1``,
    ``no_repeat_ngram_size=3`` and ``forced_bos_token_id=0`` (as distilbart-cnn); EOS, the other
    specials and byte tokens that are not printable text alone (lone UTF-8 bytes, control
    characters) are suppressed as described in the module docstring unless ``suppress_eos=False``.
    ``out_dir`` is handled as in :func:`build_tiny_marian`.
    """
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        GenerationConfig,
        RobertaTokenizer,
    )

    train = _texts_for("en", texts, "texts")
    out_dir = _fresh_dir(out_dir)
    vocab, merges = _train_byte_level_bpe(train, vocab_size)
    tokenizer = RobertaTokenizer(vocab=vocab, merges=merges, model_max_length=1024)
    tokenizer.save_pretrained(str(out_dir))

    bos, pad, eos, unk = (vocab[t] for t in ("<s>", "<pad>", "</s>", "<unk>"))
    config = BartConfig(
        **{
            **_TINY_BART_CONFIG,
            **(config_overrides or {}),
            "vocab_size": len(tokenizer),
            "bos_token_id": bos,
            "pad_token_id": pad,
            "eos_token_id": eos,
            "decoder_start_token_id": eos,
            "forced_eos_token_id": eos,
        }
    )
    with _seeded(seed):
        model = BartForConditionalGeneration(config)
    model.eval()
    if suppress_eos:
        # Besides the specials, byte-level BPE has tokens that are not text on their own (lone UTF-8
        # continuation bytes, control characters): keep random generation to printable pieces.
        unprintable = [
            i
            for token, i in vocab.items()
            if not _printable(tokenizer.convert_tokens_to_string([token]))
        ]
        _suppress(model, sorted({eos, pad, unk, vocab["<mask>"], *unprintable}))
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
        max_length=64,
        num_beams=1,
        no_repeat_ngram_size=3,
    )
    model.save_pretrained(str(out_dir))
    return out_dir


# --------------------------------------------------------------------------------------------
# the test-model set
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestModels:
    """Folders of the tiny models built by :func:`build_test_models`."""

    __test__ = False  # not a pytest test class despite its name

    mt_tr_en: Path
    mt_en_tr: Path
    summariser: Path


def _is_built(path: Path) -> bool:
    marker = path / _MARKER_NAME
    try:
        return marker.read_text(encoding="utf-8").strip() == _BUILD_VERSION
    except OSError:
        return False


def _build_once(path: Path, build: Any) -> Path:
    """Build into a sibling temporary folder, mark it complete, then move it into place.

    A folder without the marker (an interrupted build) is rebuilt; a concurrent builder that wins
    the final rename is accepted as is.
    """
    path = Path(path)
    if _is_built(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        build(staging)
        (staging / _MARKER_NAME).write_text(_BUILD_VERSION + "\n", encoding="utf-8")
        if path.exists() and not _is_built(path):
            shutil.rmtree(path, ignore_errors=True)
        try:
            os.replace(staging, path)
        except OSError:
            if not _is_built(path):  # not a concurrent winner: something else is in the way
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return path


def build_test_models(out_dir: Path) -> TestModels:
    """Build the tiny TR->EN and EN->TR Marian models and the tiny BART summariser under ``out_dir``.

    Subfolders ``mt_tr_en``, ``mt_en_tr`` and ``summariser``; folders already built (by this
    version of the module) are reused, so calling it again is cheap.
    """
    out_dir = Path(out_dir)
    return TestModels(
        mt_tr_en=_build_once(
            out_dir / "mt_tr_en",
            lambda p: build_tiny_marian(p, source_lang="tr", target_lang="en", seed=0),
        ),
        mt_en_tr=_build_once(
            out_dir / "mt_en_tr",
            lambda p: build_tiny_marian(p, source_lang="en", target_lang="tr", seed=1),
        ),
        summariser=_build_once(out_dir / "summariser", lambda p: build_tiny_bart(p, seed=2)),
    )


def build_replica_once(out_dir: Path) -> Path:
    """:func:`build_opus_mt_tr_en_replica` into ``out_dir`` unless a complete build is already there."""
    return _build_once(Path(out_dir), lambda p: build_opus_mt_tr_en_replica(p))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m trnews.tiny_models OUT_DIR [--replica]``: build the offline models, print their paths."""
    parser = argparse.ArgumentParser(
        prog="python -m trnews.tiny_models",
        description=(
            "Build small random-weight models with the production architectures (MarianMT, BART) "
            "so the pipeline runs offline, e.g. trnews run --mt-model OUT_DIR/mt_tr_en. "
            "Their output is meaningless text."
        ),
    )
    parser.add_argument("out_dir", type=Path, help="folder to build into (existing complete builds are reused)")
    parser.add_argument(
        "--replica",
        action="store_true",
        help="also build a random-weight model with the exact opus-mt-tr-en architecture "
        "(76.6 M parameters, ~306 MB) for benchmarks",
    )
    args = parser.parse_args(argv)
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" bars: noise for a command-line tool
    try:
        models = build_test_models(args.out_dir)
        print(f"mt_tr_en\t{models.mt_tr_en}")
        print(f"mt_en_tr\t{models.mt_en_tr}")
        print(f"summariser\t{models.summariser}")
        if args.replica:
            print(f"opus_mt_tr_en_replica\t{build_replica_once(args.out_dir / 'opus_mt_tr_en_replica')}")
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    sys.stdout.flush()
    return 0
