"""The stages of the pipeline, in order: the place where a new stage goes (a module with its
`Stage` subclass, and an entry here). `trnews.pipeline.stage` says what a stage is."""

from __future__ import annotations

from trnews.pipeline.stage import Stage
from trnews.stages.check import QualityCheck
from trnews.stages.clean.stage import Clean
from trnews.stages.segment import Segment
from trnews.stages.stories.stage import Stories
from trnews.stages.summarise import Summarise
from trnews.stages.translate import Translate
from trnews.stages.write import Write

STAGES: tuple[type[Stage], ...] = (Clean, Segment, Stories, Translate, QualityCheck, Summarise, Write)
