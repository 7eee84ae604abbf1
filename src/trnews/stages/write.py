"""The write stage: each article's JSON, Markdown and HTML in the output folder. A chunk's files
reach the disk together, before the flow records them in the manifest: after a power cut an
article is either recorded with its files or written again."""

from __future__ import annotations

import time
from functools import cached_property
from pathlib import Path

from trnews.config import Settings
from trnews.output.files import OutputFolderError, sync_files
from trnews.output.folder import write_article
from trnews.output.public import model_name, source_name
from trnews.pipeline.stage import Dropped, Stage, StageOutcome, Work, each_article
from trnews.records import ArticleOutput, ModelRef, ModelsUsed
from trnews.stages.check import flag_counts


class Write(Stage):
    name = "write"

    @cached_property
    def _models(self) -> ModelsUsed:
        return models_used(self.run.settings)

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        written: list[Path] = []
        outcome = each_article(batch, lambda work: self._write(work, written))
        try:
            sync_files(written)
        except OutputFolderError as error:
            for article_id in list(outcome.done):
                outcome.dropped[article_id] = Dropped(str(error))
            outcome.done.clear()
        return outcome

    def _write(self, work: Work, written: list[Path]) -> Work:
        """The article's files, not yet forced to disk (`written` gets the files written)."""
        started = time.perf_counter()
        output = build_output(work, self._models)
        output.timings["write"] = round(time.perf_counter() - started, 4)
        written.extend(write_article(output, self.run.settings.output_dir, work.story, sync=False))
        if work.story:
            self.run.pages_written_with[work.id] = work.story.article_ids
        return work.but(output=output)


def build_output(work: Work, models: ModelsUsed) -> ArticleOutput:
    """The article's record, from what the stages made of it."""
    translated, summary = work.translated, work.summary
    assert translated is not None and summary is not None
    clean = translated.article
    return ArticleOutput(
        id=clean.id, source=clean.source.model_copy(update={"path": source_name(clean.source.path)}), url=clean.url, outlet=clean.outlet, title=translated.title, published=clean.published,
        updated=clean.updated, credits=clean.credits, language=clean.language, summary=list(summary),
        paragraphs=translated.paragraphs, removed=clean.removed, flagged=dict(sorted(flag_counts(translated).items())),
        models=models, timings=clean.timings,
    )


def models_used(settings: Settings) -> ModelsUsed:
    """The models an article's outputs name (a local folder by its name)."""
    translation, summary = settings.translation, settings.summary
    mt = ModelRef(id=model_name(translation.chosen_model), revision=translation.revision, engine=translation.chosen_engine)
    if summary.kind == "extractive":
        return ModelsUsed(mt=mt, summariser=ModelRef(id="extractive", engine="length-centrality"))
    back = settings.back_translation()
    return ModelsUsed(
        mt=mt,
        summariser=ModelRef(id=model_name(summary.model), revision=summary.revision, engine="transformers"),
        back_translation=ModelRef(id=model_name(back.chosen_model), revision=back.revision, engine=back.chosen_engine),
    )
