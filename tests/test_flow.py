"""The real flow, end to end: Prefect (test harness), tiny transformers models, files on disk."""

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from trnews.pipeline.flow import bilingual_digest
from trnews.records import ArticleOutput
from trnews.output.paths import article_path
from trnews.text.ids import MAX_ID_CHARS, article_id

pytestmark = pytest.mark.usefixtures("prefect_harness")

ENGLISH = ("The city council approved the new budget on Monday after a long debate. "
           "The mayor said the money would be spent on schools, roads and public parks. "
           "Opposition members criticised the plan and asked for more details about the costs.\n")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(examples, folder, dirs_exist_ok=True)
    (folder / "bozuk.txt").write_bytes(os.urandom(2048))
    (folder / "english-news.txt").write_text("City budget approved\n\n" + ENGLISH, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def first_run(inputs, tiny_models, tmp_path_factory):
    from trnews.config import Settings

    root = tmp_path_factory.mktemp("run")
    settings = Settings(output_dir=root / "outputs", cache_dir=root / "cache", mt_model=str(tiny_models.mt_tr_en),
                        beam_size=2, max_new_tokens=12, device="cpu")
    return settings, bilingual_digest(inputs=[str(inputs)], settings=settings)


def test_every_sample_is_written_and_bad_inputs_are_recorded(first_run):
    settings, report = first_run
    statuses = {a.id: a for a in report.articles}
    sample_ids = {"istanbul-metro-hatti", "izmir-deprem-tatbikati", "konya-bugday-hasadi", "rize-cay-hasadi",
                  "van-inci-kefali", "ankara-hava-durumu", "bursa-ipek-festivali"}
    assert {i for i, s in statuses.items() if s.status == "ok"} == sample_ids
    assert statuses["bozuk"].status == "failed"
    assert "binary" in statuses["bozuk"].reason or "decode" in statuses["bozuk"].reason
    assert statuses["english-news"].status == "skipped"
    assert "not Turkish" in statuses["english-news"].reason
    assert report.counts == {"ok": 7, "skipped": 1, "failed": 1}
    for sample_id in sample_ids:
        for suffix in (".json", ".md"):
            assert article_path(settings.output_dir, sample_id, suffix).is_file()
    assert not list(settings.output_dir.glob(".*.tmp"))


def test_outputs_validate_and_sentences_are_aligned(first_run):
    settings, report = first_run
    schema = ArticleOutput.model_json_schema()
    for status in report.articles:
        if status.status != "ok":
            continue
        data = json.loads(article_path(settings.output_dir, status.id, ".json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        output = ArticleOutput.model_validate(data)
        pairs = [p for paragraph in output.paragraphs for p in paragraph.sentences]
        assert pairs and all(p.tr.strip() and p.en.strip() for p in pairs)
        assert output.summary and all(s in pairs for s in output.summary)
        assert output.title.tr and output.title.en
        assert output.models.mt.id == Path(settings.translation.model).name  # a local folder: by its name
        assert {"ingest", "clean", "segment", "translate", "write"} <= set(output.timings)
        assert len(output.source.sha256) == 64


def test_markdown_is_side_by_side(first_run):
    settings, _ = first_run
    markdown = article_path(settings.output_dir, "izmir-deprem-tatbikati", ".md").read_text(encoding="utf-8")
    assert "| Türkçe | English |" in markdown
    assert "## Özet · Summary" in markdown and "## Haberin tamamı · Full article" in markdown
    index = (settings.output_dir / "index.md").read_text(encoding="utf-8")
    assert "[izmir-deprem-tatbikati](articles/izmir-deprem-tatbikati.md)" in index
    assert "failed: " in index and "skipped: not Turkish" in index


def test_published_outputs_name_models_and_sources_never_the_machine_s_paths(first_run, inputs):
    settings, _ = first_run
    machine = str(inputs.parent)  # pytest's base folder: holds the inputs, the models and the outputs
    published = [p for p in settings.output_dir.rglob("*") if p.is_file() and not p.name.startswith("run-")]
    assert len(published) > 20
    for path in published:
        assert machine not in path.read_text(encoding="utf-8"), path
    page = article_path(settings.output_dir, "izmir-deprem-tatbikati", ".html").read_text(encoding="utf-8")
    model = Path(settings.translation.model).name
    assert f"Translation: {model}" in page and "izmir-deprem-tatbikati.txt" in page
    markdown = article_path(settings.output_dir, "izmir-deprem-tatbikati", ".md").read_text(encoding="utf-8")
    assert "Source: izmir-deprem-tatbikati.txt" in markdown and model.replace("_", "\\_") in markdown
    index = json.loads((settings.output_dir / "index.json").read_text(encoding="utf-8"))
    assert {row["id"]: row["source"] for row in index}["bozuk"] == "bozuk.txt"
    # The operator's run report keeps the paths.
    [report] = settings.output_dir.glob("run-*.json")
    assert str(inputs) in report.read_text(encoding="utf-8")


def test_report_is_written(first_run):
    settings, report = first_run
    [path] = settings.output_dir.glob("run-*.json")
    assert json.loads(path.read_text(encoding="utf-8"))["counts"] == report.counts
    assert report.translation.translated > 0 and report.translation.reused >= 0
    assert report.stages["clean"] == 8 and report.unchanged == 0
    # Where the run's time went, part by part, adding up to no more than the whole.
    parts = ["sort-out", "clean", "segment", "stories", "translate", "check", "summarise", "write", "finish"]
    assert list(report.stage_seconds) == parts and all(s > 0 for s in report.stage_seconds.values())
    assert report.stage_seconds["translate"] >= report.translation.seconds
    assert sum(report.stage_seconds.values()) <= report.seconds
    # Random weights: every translation is unsure (no second try in these settings).
    assert report.flagged["low_confidence"] == report.recovered["still flagged"] > 0


def test_rerun_is_stable_and_served_from_cache(first_run, inputs):
    settings, first = first_run
    second = bilingual_digest(inputs=[str(inputs)], settings=settings)
    assert [(a.id, a.status) for a in second.articles] == [(a.id, a.status) for a in first.articles]
    # The manifest finds every article (7 ok, 1 skipped) unchanged: no stage runs, no model loads.
    assert second.unchanged == 8 and second.stages == {} and second.models_loaded == []
    assert list(second.stage_seconds) == ["sort-out", "finish"]
    assert second.translation.translated == second.translation.reused == 0


def _malatya_articles(inputs: Path):
    """A writer of the labelled set's articles of one story into `inputs`, one JSONL file each."""
    labelled = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "stories.jsonl"
    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines() if line.strip()]
    members = [r for r in rows if r["story"] == "malatya-deprem"]
    inputs.mkdir()

    def add(day: int, article_id: str | None = None) -> dict:
        row = {**members[day], "id": article_id or members[day]["id"]}
        article = {"id": row["id"], "title": row["title"], "published": row["published"], "url": row["url"],
                   "text": "\n\n".join(row["paragraphs"])}
        (inputs / f"day-{day}.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
        return row

    return add


def test_a_story_gains_an_outlet_in_a_later_run_and_the_earlier_page_links_it(tmp_path, tiny_settings):
    """Stories persist across runs: tomorrow's article joins yesterday's story, and yesterday's
    page is written again to list the new outlet. Yesterday's id was longer than a file name may
    be: it is bounded, and touching its story later is no problem."""
    inputs = tmp_path / "inputs"
    add = _malatya_articles(inputs)
    first = add(0, article_id="deprem-" * 43)
    bilingual_digest(inputs=[str(inputs)], settings=tiny_settings)
    second = add(1)
    report = bilingual_digest(inputs=[str(inputs)], settings=tiny_settings)
    assert report.unchanged == 1 and report.counts["ok"] == 2
    first["id"] = article_id(first["id"])
    assert len(first["id"]) == MAX_ID_CHARS and first["id"].startswith("deprem-deprem-")
    [story] = json.loads((tiny_settings.output_dir / "stories.json").read_text(encoding="utf-8"))
    assert story["article_ids"] == [first["id"], second["id"]]
    assert story["title"]["en"] and all(s["article_ids"] for s in story["summary"])
    earlier_page = (tiny_settings.output_dir / "articles" / f"{first['id']}.html").read_text(encoding="utf-8")
    assert f'href="{second["id"]}.html"' in earlier_page and f"stories.html#{story['id']}" in earlier_page


def test_a_damaged_stories_file_and_article_record_do_not_fail_the_run(tmp_path, tiny_settings):
    """`stories.json` is rebuilt from the story store; an article whose record cannot be read is
    changed: written again, and its story summarised with it."""
    inputs = tmp_path / "inputs"
    add = _malatya_articles(inputs)
    first, second = add(0), add(1)
    bilingual_digest(inputs=[str(inputs)], settings=tiny_settings)
    (tiny_settings.output_dir / "stories.json").write_text('{"not": "a list of stories"', encoding="utf-8")
    damaged = article_path(tiny_settings.output_dir, first["id"], ".json")
    damaged.write_text("{}", encoding="utf-8")
    third = add(2)
    report = bilingual_digest(inputs=[str(inputs)], settings=tiny_settings)
    assert report.counts["failed"] == 0 and report.counts["ok"] == 3 and not report.output_errors
    assert report.unchanged == 1 and ArticleOutput.model_validate_json(damaged.read_bytes()).id == first["id"]
    [story] = json.loads((tiny_settings.output_dir / "stories.json").read_text(encoding="utf-8"))
    assert story["article_ids"] == [first["id"], second["id"], third["id"]]
