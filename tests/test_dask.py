"""Translation on a Dask cluster (prefect-dask): a real 2-process LocalCluster gives the same
outputs as one process, and each worker process loads the model at most once."""

import json
import shutil
from pathlib import Path

import pytest

from trnews.config import Settings
from trnews.pipeline.flow import bilingual_digest
from trnews.translation import shards
from trnews.translation.shards import shard_config

pytestmark = pytest.mark.usefixtures("prefect_harness")


def outputs(folder: Path) -> tuple[dict[str, dict], list[float]]:
    """Every article output, without the timings (which differ from run to run) and the scores of
    its sentences, which come separately: batches of other sizes change their last digits."""
    found, scores = {}, []
    for path in sorted(folder.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "paragraphs" in data:
            data.pop("timings")
            for pair in [*data["summary"], *(p for paragraph in data["paragraphs"] for p in paragraph["sentences"])]:
                scores.append(pair.pop("score"))
            found[path.stem] = data
    return found, scores


def test_two_local_dask_workers_match_one_process(tmp_path, examples, tiny_settings):
    corpus = tmp_path / "corpus"
    shutil.copytree(examples, corpus)
    # Small shards, so that both workers get some.
    single = tiny_settings.replace(batch_tokens=64)
    clustered = single.replace(output_dir=tmp_path / "dask-outputs", cache_dir=tmp_path / "dask-cache",
                               workers=2)
    one = bilingual_digest(inputs=[str(corpus)], settings=single)
    two = bilingual_digest(inputs=[str(corpus)], settings=clustered)
    assert one.counts == two.counts == {"ok": 7, "skipped": 0, "failed": 0}
    assert two.translation.translated == one.translation.translated
    assert len(two.workers) == 2  # both worker processes translated a shard
    for models in two.workers.values():
        assert models == [single.translation.model]  # loaded once per worker process, on its first shard
    (clustered_outputs, clustered_scores), (single_outputs, single_scores) = outputs(clustered.output_dir), \
        outputs(single.output_dir)
    assert clustered_outputs == single_outputs
    assert clustered_scores == pytest.approx(single_scores, abs=1e-3)


def test_workers_of_a_local_cluster_share_the_cpus_and_a_remote_cluster_keeps_its_own(monkeypatch):
    monkeypatch.setattr(shards, "free_cpus", lambda: 4)  # the CPUs other processes leave free
    assert shard_config(Settings(workers=2)).threads == 2
    assert shard_config(Settings(workers=64)).threads == 1
    assert shard_config(Settings(workers=2, threads=3)).threads == 3  # as the user said
    assert shard_config(Settings(dask_address="tcp://scheduler:8786")).threads is None  # each worker's own CPUs
    assert shard_config(Settings()).threads is None
