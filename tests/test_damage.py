"""Damaged state is rebuilt, never fatal: SQLite stores with garbled pages, an unwritable cache
folder, damaged output files (stories, article records, run reports, the index) and the commands
that read them. Plain function calls and in-process CLI calls: no flow, no model."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from typer.testing import CliRunner

from trnews.cli import app
from trnews.database import CacheFolderError, transaction
from trnews.fetch.store import FetchStore
from trnews.output.files import atomic_write_text
from trnews.output.folder import read_article, read_run_reports, read_stories, write_article, write_index, write_stories
from trnews.output.paths import article_path, index_path, stories_path
from trnews.pipeline.incremental import _outputs_current
from trnews.pipeline.manifest import Entry, Manifest
from trnews.records import BilingualText, RawArticle, RunReport, Story, TranslationCounts
from trnews.stages.clean.site_templates import TemplateStats
from trnews.stages.stories import StoryStore
from trnews.translation.sentence_cache import SentenceCache

from test_reader import article, statuses

STORES: dict[str, Callable[[Path], object]] = {
    "manifest": Manifest, "sentences": SentenceCache, "templates": TemplateStats, "stories": StoryStore,
    "fetched": FetchStore,
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, click.unstyle(result.stdout), click.unstyle(result.stderr)


def garble_pages(path: Path) -> None:
    """Fill the store with a few pages of rows, then overwrite pages behind its sound header."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (text TEXT)")
        db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(100)])
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(os.urandom(8192))


@pytest.mark.parametrize("name", sorted(STORES))
def test_a_store_with_garbled_pages_behind_a_sound_header_is_moved_aside_on_open(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.sqlite"
    STORES[name](path).close()
    garble_pages(path)
    assert sqlite3.connect(path).execute("PRAGMA quick_check(1)").fetchone() != ("ok",)
    STORES[name](path).close()  # moved aside, an empty one in its place
    assert len(list(tmp_path.glob(f"{name}.sqlite.corrupt-*[0-9]Z"))) == 1
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_a_cache_folder_that_is_a_file_or_full_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("bir dosya", encoding="utf-8")
    with pytest.raises(CacheFolderError, match="a file stands where a folder is needed") as raised:
        Manifest(not_a_folder / "manifest.sqlite")
    assert str(not_a_folder) in str(raised.value) and "--cache-dir" in str(raised.value)

    manifest = Manifest(tmp_path / "manifest.sqlite")
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    with pytest.raises(CacheFolderError, match="the disk is full"), transaction(manifest._db):
        raise full
    manifest.close()

    (tmp_path / "haber.txt").write_text("Ankara'da bugün yağmur yağdı.\n", encoding="utf-8")
    code, out, err = invoke("clean", str(tmp_path / "haber.txt"), "--cache-dir", str(not_a_folder))
    assert code == 1 and "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert line.startswith("trnews: cannot write the cache folder") and str(not_a_folder) in line


@pytest.mark.parametrize("damage", ["truncated", "garbled", "symlink to a binary file", "symlink to a pipe"])
def test_a_damaged_stories_file_reads_as_damaged_and_the_command_names_it(tmp_path: Path, damage: str) -> None:
    story = Story(id="story-0123456789ab", title=BilingualText(tr="Rize'de çay hasadı", en="Tea harvest"),
                  article_ids=["bir", "iki"], sources=["AA"])
    write_stories([story], tmp_path)
    path = stories_path(tmp_path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "garbled":
        path.write_bytes(os.urandom(300))
    else:
        target = tmp_path / "target"
        os.mkfifo(target) if damage == "symlink to a pipe" else target.write_bytes(os.urandom(300))
        path.unlink()
        path.symlink_to(target)
    assert read_stories(tmp_path) is None  # the run rebuilds it from the story store
    code, out, err = invoke("stories", "--output", str(tmp_path))
    assert code == 1 and "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert f"{path} is damaged" in line and "rebuilds it" in line
    write_stories([story], tmp_path)  # the rebuilt file replaces the link, never writes through it
    assert not path.is_symlink() and read_stories(tmp_path) == [story]


def test_a_damaged_article_record_counts_as_changed_and_show_names_it(tmp_path: Path) -> None:
    output = article()
    write_article(output, tmp_path)
    raw = RawArticle(id=output.id, source=output.source, text="metin")
    entry = Entry(output.id, output.source.sha256, "fingerprint", statuses()[0], None, 0.0)
    assert _outputs_current(raw, entry, tmp_path)
    path = article_path(tmp_path, output.id, ".json")
    for damaged in ("{}", path.read_text(encoding="utf-8")[:-40], json.dumps({**output.model_dump(mode="json"),
                                                                              "id": "baska"})):
        path.write_text(damaged, encoding="utf-8")
        assert read_article(tmp_path, output.id) is None
        assert not _outputs_current(raw, entry, tmp_path)  # written again by the next run
    code, out, err = invoke("show", output.id, "--output", str(tmp_path))
    assert code == 1 and "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert f"{path} is damaged" in line


def test_runs_and_list_name_a_damaged_file_in_one_line_and_show_the_rest(tmp_path: Path) -> None:
    def report(finished: str, run_id: str) -> RunReport:
        return RunReport(flow_run_id=run_id, flow_run_name=f"run-{run_id}", started=finished, finished=finished,
                         seconds=1.0, inputs=[], output_dir=str(tmp_path), refresh=False, counts={"ok": 1},
                         unchanged=0, stages={}, translation=TranslationCounts(), models_loaded=[], articles=[])

    for number in (1, 2, 3):
        path = tmp_path / f"run-2026010{number}T000000Z-id{number}.json"
        atomic_write_text(path, report(f"2026-01-0{number}T00:00:00+00:00", f"id{number}").model_dump_json())
    damaged = tmp_path / "run-20260102T000000Z-id2.json"
    damaged.write_text('{"flow_run_id": "id2", "fini', encoding="utf-8")
    assert [r.flow_run_id for r in read_run_reports(tmp_path, limit=2)] == ["id3", "id1"]
    code, out, err = invoke("runs", "--output", str(tmp_path))
    assert code == 0 and "run-id3" in out and "run-id1" in out
    [line] = err.strip().splitlines()
    assert f"{damaged} is damaged" in line

    write_article(article(), tmp_path)
    write_index(statuses(), tmp_path)
    index_path(tmp_path, ".json").write_bytes(b"\xff\xfe garbled")
    code, out, err = invoke("list", "--output", str(tmp_path))
    assert code == 0 and article().id in out
    [line] = err.strip().splitlines()
    assert f"{index_path(tmp_path, '.json')} is damaged" in line and "rebuilding" in line


def test_an_unreadable_output_file_is_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    write_stories([], tmp_path)

    def refused(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "open", refused)
    assert read_stories(tmp_path) is None
