"""Small-but-real models for running the whole pipeline offline.

The Hugging Face hub is not always reachable (CI, air-gapped machines, tests), so this package builds
models with the *real* architectures used in production -- MarianMT, NLLB-200 and M2M100 for
translation and BART for abstractive summaries -- but with random weights and tiny sentencepiece / byte-level BPE tokenizers
trained on a built-in corpus of Turkish and English news-like sentences (written for this package,
in ``data/parallel.tsv``).
Everything is deterministic for a given ``seed`` and the folders load with the ordinary Auto classes::

    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    path = build_tiny_marian(tmp / "mt_tr_en")
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path)

From the command line, which prints per model the option to pass to trnews (``--mt-model
OUT_DIR/mt_tr_en``, ``--summariser-model ...``, ``--back-translation-model ...``)::

    python -m trnews.tiny_models OUT_DIR [--replica]

Modules: ``corpus`` (the built-in corpus), ``architectures`` (the configs, as data files in
``data/``), ``marian`` (sentencepiece, the opus-mt vocabulary layout, tiny MarianMT), ``replica``
(the exact opus-mt-tr-en and opus-mt-tc-big-tr-en architectures), ``m2m100`` (NLLB-200 and
M2M100: tiny ones, and the exact nllb-200-distilled-600M architecture), ``bart`` (byte-level BPE,
tiny BART), ``weights`` (seeded initialisation, suppressed ids), ``folders`` (build once, with a
completion marker), ``build`` (the test-model set), ``cli``.

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

from trnews.tiny_models.bart import build_tiny_bart
from trnews.tiny_models.build import TestModels, build_replica_once, build_test_models
from trnews.tiny_models.cli import main
from trnews.tiny_models.corpus import DEFAULT_ENGLISH_TEXTS, DEFAULT_TURKISH_TEXTS
from trnews.tiny_models.m2m100 import build_nllb_600m_replica, build_tiny_m2m100, build_tiny_nllb
from trnews.tiny_models.marian import build_tiny_marian
from trnews.tiny_models.replica import (
    OPUS_MT_TR_EN_CONFIG,
    OPUS_MT_TR_EN_GENERATION_CONFIG,
    OPUS_MT_TR_EN_NUM_PARAMETERS,
    build_opus_mt_tr_en_replica,
    build_tc_big_tr_en_replica,
)

__all__ = [
    "DEFAULT_ENGLISH_TEXTS",
    "DEFAULT_TURKISH_TEXTS",
    "OPUS_MT_TR_EN_CONFIG",
    "OPUS_MT_TR_EN_GENERATION_CONFIG",
    "OPUS_MT_TR_EN_NUM_PARAMETERS",
    "TestModels",
    "build_nllb_600m_replica",
    "build_opus_mt_tr_en_replica",
    "build_replica_once",
    "build_tc_big_tr_en_replica",
    "build_test_models",
    "build_tiny_bart",
    "build_tiny_m2m100",
    "build_tiny_marian",
    "build_tiny_nllb",
    "main",
]
