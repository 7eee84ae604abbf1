"""The stories stage: each article joins a story (with the articles of earlier runs, from the
story store), over the whole wave at once: grouping compares articles with each other."""

from __future__ import annotations

from trnews.pipeline.stage import Stage, StageOutcome, Work
from trnews.stages.stories import StoryStore, repeated_sentences


class Stories(Stage):
    name = "stories"
    whole_wave = True

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        articles = [work.clean for work in batch.values() if work.clean is not None]
        with StoryStore(self.run.stores.stories, self.run.settings.story_window_days) as store:
            story_of = store.assign(articles)
            stories = {story.id: story for story in store.stories_of(story_of.values())}
        self.run.stories_touched.update(stories)
        sentences = {article_id: work.segmented.sentences() for article_id, work in batch.items() if work.segmented}
        outcome = StageOutcome(done={article_id: work.but(story=stories.get(story_of.get(article_id, "")))
                                     for article_id, work in batch.items()})
        outcome.stats["sentences_shared"] = sum(repeated_sentences(story, sentences) for story in stories.values())
        return outcome
