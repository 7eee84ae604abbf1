"""A stop request ends a long model call within a decoding step (transformers) or at once
(CTranslate2, whose call is abandoned): the latency the shared-machine issue asks for, measured on
one call long enough that the request lands inside it (tiny models, beam 4, 256 forced tokens)."""

import importlib.util
import threading
import time

import pytest

from trnews.config import TranslationConfig
from trnews.pipeline import interrupt
from trnews.pipeline.interrupt import RunStopped
from trnews.translation.engines import make_engine
from trnews.translation.hub import MT

ENGINES = ["transformers", pytest.param("ctranslate2", marks=pytest.mark.skipif(
    importlib.util.find_spec("ctranslate2") is None, reason="ctranslate2 is not installed"))]
# Long enough for a 256-token output (at most 2 tokens per source token, plus 16).
SENTENCE = ("Büyükşehir belediyesi, kentin doğusundaki yeni metro hattının inşaatının planlanandan iki ay önce "
            "tamamlanacağını, hattın günde yaklaşık yüz bin yolcu taşıyacağını ve bilet fiyatlarının değişmeyeceğini "
            "açıkladı; muhalefet ise ihalenin şeffaf yapılmadığını ileri sürdü.")
STOP_AFTER_SECONDS = 0.5
STOP_WITHIN_SECONDS = 5


@pytest.fixture(autouse=True)
def no_stop_left_behind():
    yield
    interrupt.stop_requested.clear()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stop_ends_a_long_model_call_within_seconds_and_yields_nothing(engine, tiny_models, tmp_path):
    short = TranslationConfig(model=str(tiny_models.mt_tr_en), engine=engine, max_new_tokens=4, device="cpu")
    make_engine(short, MT, tmp_path).translate([SENTENCE])  # the model is loaded before the clock starts
    # One batch holding every sentence: a single model call of 256 steps with 4 beams each.
    long = short.model_copy(update={"beam_size": 4, "max_new_tokens": 256, "min_new_tokens": 256,
                                    "batch_tokens": 1_000_000})
    sentences = [f"{SENTENCE} ({i})" for i in range(64)]
    yielded = []
    threading.Timer(STOP_AFTER_SECONDS, interrupt.stop_requested.set).start()
    started = time.monotonic()
    with pytest.raises(RunStopped):
        for batch in make_engine(long, MT, tmp_path).translate_batches(sentences):
            yielded.append(batch)
    latency = time.monotonic() - started - STOP_AFTER_SECONDS
    assert yielded == []  # the call in flight is abandoned, never half-kept
    assert latency < STOP_WITHIN_SECONDS, f"stopped {latency:.1f} s after the request"
