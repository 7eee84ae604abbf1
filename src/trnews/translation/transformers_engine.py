"""The transformers engine: Hugging Face seq2seq generation (MarianMT, NLLB-200, M2M100), beam
search in length-sorted batches under a token budget that counts every beam and the longest
output a batch may generate (`tokens.generation_batches`). A multilingual model gets its target
language as the forced first token (`families.languages`).

Each hypothesis is scored by one more decoder pass over what was generated (teacher forcing): the
mean log-probability of its tokens, the end token included when the model chose it, which is what
CTranslate2's `return_scores` gives; a forced language token is not
the model's choice and is left out. `generate(output_scores=True)` would give the same numbers
but keeps a vocabulary-sized row of scores per beam and step (58k floats each for opus-mt): the
pass costs a fraction of the beam search and holds one row per token of the kept hypotheses."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from trnews.config import TranslationConfig
from trnews.translation.base import BatchingEngine, Hypothesis, NBestBatch
from trnews.translation.families import tokenizer_languages
from trnews.translation.hub import MT, ModelRole, load_seq2seq
from trnews.translation.stopping import stop_between_steps
from trnews.translation.tokens import decode, encode, generation_batches


class TransformersTranslator(BatchingEngine):
    """Loads its model on the first sentence it has to translate, once per process."""

    def __init__(self, config: TranslationConfig, role: ModelRole = MT) -> None:
        self.config = config
        self.role = role

    def decode_batches(self, sentences: Sequence[str], count: int) -> Iterator[NBestBatch]:
        if not sentences:
            return
        import torch

        config = self.config
        beams = max(config.beam_size, count)
        loaded = load_seq2seq(config.spec, config.device, self.role, config.threads)
        tokenizer, model = loaded.tokenizer, loaded.model
        encoded = encode(tokenizer, sentences)
        lengths = [len(ids) for ids in encoded]
        target = tokenizer_languages(tokenizer, self.role.source, self.role.target)
        forced = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(target.target_token)} if target else {}
        for batch, limit in generation_batches(lengths, config.batch_tokens, beams, config.max_new_tokens):
            inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt").to(loaded.device)
            with loaded.lock, torch.inference_mode():
                generated = model.generate(
                    **inputs,
                    num_beams=beams,
                    num_return_sequences=count,
                    max_new_tokens=limit,
                    min_new_tokens=min(config.min_new_tokens, limit) or None,
                    do_sample=False,
                    **forced,
                    stopping_criteria=stop_between_steps(),
                )
                scores = mean_log_probs(model, inputs, generated, count)
            texts = decode(tokenizer, generated)
            hypotheses = [Hypothesis(text, score) for text, score in zip(texts, scores)]
            yield batch, [hypotheses[row * count:(row + 1) * count] for row in range(len(batch))]


def mean_log_probs(model: Any, inputs: Any, generated: Any, count: int, forced: int = 0) -> list[float]:
    """The mean log-probability of each generated sequence's tokens (after the decoder start
    token and `forced` tokens the model did not choose, up to and including the first end
    token), `count` sequences per input row."""
    import torch

    targets = generated[:, 1:]
    logits = model(input_ids=inputs["input_ids"].repeat_interleave(count, dim=0),
                   attention_mask=inputs["attention_mask"].repeat_interleave(count, dim=0),
                   decoder_input_ids=generated[:, :-1]).logits
    token_scores = torch.log_softmax(logits.float(), dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    end_ids = model.generation_config.eos_token_id
    end_ids = torch.tensor(end_ids if isinstance(end_ids, list) else [end_ids], device=targets.device)
    ends = torch.isin(targets, end_ids).int()
    kept = (ends.cumsum(dim=-1) - ends) == 0  # everything up to the first end token, which counts
    kept[:, :forced] = False
    means = (token_scores * kept).sum(dim=-1) / kept.sum(dim=-1).clamp(min=1)
    return [float(value) for value in means]
