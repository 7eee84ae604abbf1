"""The transformers engine: Hugging Face seq2seq generation (MarianMT by default), beam search in
length-sorted batches under a token budget that counts every beam and the longest output a
batch may generate (`tokens.generation_batches`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from trnews.config import TranslationConfig
from trnews.translation.base import Batch, BatchingEngine, Hypothesis
from trnews.translation.hub import MT, ModelRole, load_seq2seq
from trnews.translation.stopping import stop_between_steps
from trnews.translation.tokens import decode, encode, generation_batches


class TransformersTranslator(BatchingEngine):
    """Loads its model on the first sentence it has to translate, once per process."""

    def __init__(self, config: TranslationConfig, role: ModelRole = MT) -> None:
        self.config = config
        self.role = role

    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        if not sentences:
            return
        import torch

        config = self.config
        loaded = load_seq2seq(config.spec, config.device, self.role, config.threads)
        tokenizer, model = loaded.tokenizer, loaded.model
        encoded = encode(tokenizer, sentences)
        lengths = [len(ids) for ids in encoded]
        for batch, limit in generation_batches(lengths, config.batch_tokens, config.beam_size, config.max_new_tokens):
            inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt").to(loaded.device)
            with loaded.lock, torch.inference_mode():
                generated = model.generate(
                    **inputs,
                    num_beams=config.beam_size,
                    max_new_tokens=limit,
                    min_new_tokens=min(config.min_new_tokens, limit) or None,
                    do_sample=False,
                    stopping_criteria=stop_between_steps(),
                )
            yield batch, [Hypothesis(text) for text in decode(tokenizer, generated)]
