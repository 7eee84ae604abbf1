"""The reader: HTML pages (`<id>.html`, `index.html`) and the terminal view (`trnews show`,
`trnews list`), on hand-built records. Fast: no model, no flow, no browser (see test_browser.py)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import click
import lxml.html
import pytest
from typer.testing import CliRunner

from trnews.cli import app
from trnews.output.html import render_article_html, render_digest_html, render_index_html
from trnews.records import (
    ArticleOutput,
    ArticleStatus,
    BilingualText,
    Flag,
    ModelRef,
    ModelsUsed,
    SentencePair,
    Source,
    TranslatedParagraph,
)
from trnews.output.files import OutputFolderError, sync_files
from trnews.output.folder import write_article, write_index
from trnews.text.visible import visible

SCRIPT = '<script>window.__pwned = 1; document.title = "pwned"</script>'
IMG = '<img src=x onerror="window.__pwned = 2">'
# Rich markup in scraped text must print as it is; a lone "[/]" would even make rich raise.
MARKUP = "[bold red]kırmızı[/] [/]"

SUMMARY = [
    SentencePair(tr="Rize'de yaş çay hasadında üçüncü sürgün başladı.",
                 en="The third flush of the tea harvest began."),
    SentencePair(tr=f"Üretici, {SCRIPT} kodunu gördüğünü söyledi.", en=f"The grower said he saw {SCRIPT}."),
]
BODY = [
    TranslatedParagraph(kind="text", sentences=[
        SUMMARY[0],
        SentencePair(tr="Çaykur, kilogram fiyatını 18 lira olarak açıkladı.",
                     en="Çaykur set the price at 18 lira per kilo."),
    ]),
    TranslatedParagraph(kind="heading",
                        sentences=[SentencePair(tr="Üreticiler ne diyor?", en="What do growers say?")]),
    TranslatedParagraph(kind="text", sentences=[
        SUMMARY[1],
        SentencePair(tr=f"Işıl Öztürk {IMG} dedi.", en=f"Işıl Öztürk said {MARKUP}."),
    ]),
]


def article(article_id: str = "rize-cay-hasadi", url: str | None = "https://example.org/rize-cay") -> ArticleOutput:
    return ArticleOutput(
        id=article_id,
        source=Source(path="haberler/rize-çay.txt", sha256="0" * 64, format="text"),
        url=url,
        title=BilingualText(tr=f"Rize'de çay hasadı {IMG}", en=f"Tea harvest in Rize {SCRIPT}"),
        published="2025-08-21T09:15:00+03:00",
        credits=[f"AA {IMG}", "Şükrü Çağlar"],
        language="tr",
        summary=SUMMARY,
        paragraphs=BODY,
        removed=[],
        models=ModelsUsed(
            mt=ModelRef(id="Helsinki-NLP/opus-mt-tr-en", revision="a1b2c3", engine="ctranslate2"),
            summariser=ModelRef(id="extractive", engine="textrank"),
        ),
        timings={"write": 0.01},
    )


def statuses() -> list[ArticleStatus]:
    output = article()
    return [
        ArticleStatus(id=output.id, source=output.source.path, status="ok", title_tr=output.title.tr,
                      title_en=output.title.en, published=output.published,
                      first_summary_sentence=output.summary[0].en, processed_at="2025-08-22T10:00:00+00:00"),
        ArticleStatus(id="english-news", source="haberler/english.txt", status="skipped",
                      reason="not Turkish: detected English (confidence 0.97)",
                      processed_at="2025-08-22T09:00:00+00:00"),
        ArticleStatus(id="bozuk", source="haberler/bozuk.txt", status="failed",
                      reason=f"UnicodeDecodeError: {SCRIPT}", processed_at="2025-08-22T08:00:00+00:00"),
    ]


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def assert_inert(html: str) -> None:
    """No element, attribute or link that could run anything or fetch anything."""
    page = parse(html)
    assert not page.xpath("//script | //img | //iframe | //object | //link | //*[@src]")
    assert not [name for element in page.iter() for name in element.attrib if name.lower().startswith("on")]
    assert all(urlsplit(href).scheme in ("", "https") for href in page.xpath("//a/@href"))


def test_article_page_shows_untrusted_text_as_text() -> None:
    html = render_article_html(article())
    assert_inert(html)
    page = parse(html)
    assert text(page.xpath("//h1/span[@lang='tr']")[0]) == f"Rize'de çay hasadı {IMG}"
    assert text(page.xpath("//h1/span[@lang='en']")[0]) == f"Tea harvest in Rize {SCRIPT}"
    cells = [text(td) for td in page.xpath("//td")]
    assert f"Üretici, {SCRIPT} kodunu gördüğünü söyledi." in cells
    assert f"Işıl Öztürk {IMG} dedi." in cells
    assert f"AA {IMG}; Şükrü Çağlar" in text(page.xpath("//dl[@class='facts']")[0])
    assert "<title>Rize&#39;de çay hasadı &lt;img" in html


@pytest.mark.parametrize("url, linked", [
    ("https://example.org/rize-cay", True),
    ("javascript:alert(1)", False),
    ("  JavaScript:alert(document.domain)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    (None, False),
])
def test_only_web_addresses_are_linked(url: str | None, linked: bool) -> None:
    html = render_article_html(article(url=url))
    assert_inert(html)
    hrefs = parse(html).xpath("//a/@href")
    assert hrefs == (["../index.html", url] if linked else ["../index.html"])


def test_article_page_has_two_aligned_columns() -> None:
    page = parse(render_article_html(article()))
    assert page.get("lang") == "en"
    pairs = SUMMARY + [pair for paragraph in BODY for pair in paragraph.sentences]
    rows = page.xpath("//table[@class='aligned']/tbody/tr")
    assert len(rows) == len(pairs)
    for row, pair in zip(rows, pairs):
        tr, en = row.xpath("./td")
        assert (tr.get("lang"), en.get("lang")) == ("tr", "en")
        assert tr.get("tabindex") == en.get("tabindex") == "0"
        assert (text(tr), text(en)) == (pair.tr, pair.en)
    assert len(page.xpath("//td[@lang='tr']")) == len(page.xpath("//td[@lang='en']")) == len(pairs)
    headings = page.xpath("//tr[contains(@class, 'heading')]//h3")
    assert [text(h) for h in headings] == ["Üreticiler ne diyor?", "What do growers say?"]
    for table in page.xpath("//table[@class='aligned']"):  # the summary's and the full article's
        headers = [(th.get("lang"), text(th)) for th in table.xpath("./thead//th")]
        assert headers == [("tr", "Türkçe"), ("en", "English")]
    assert "2025-08-21 09:15" in text(page.xpath("//time")[0])
    footer = text(page.xpath("//footer")[0])
    assert "Helsinki-NLP/opus-mt-tr-en @ a1b2c3 (ctranslate2)" in footer
    assert "extractive (textrank)" in footer


def test_index_page_lists_every_status_with_its_reason() -> None:
    html = render_index_html(statuses())
    assert_inert(html)
    rows = parse(html).xpath("//table[@class='index']/tbody/tr")
    assert len(rows) == 3
    ok, skipped, failed = rows
    assert ok.xpath(".//a/@href") == ["articles/rize-cay-hasadi.html"]
    assert f"Rize'de çay hasadı {IMG}" in text(ok) and f"Tea harvest in Rize {SCRIPT}" in text(ok)
    assert "2025-08-21 09:15" in text(ok) and "The third flush of the tea harvest began." in text(ok)
    assert not skipped.xpath(".//a") and not failed.xpath(".//a")
    assert "skipped" in text(skipped) and "not Turkish: detected English (confidence 0.97)" in text(skipped)
    assert "failed" in text(failed) and f"UnicodeDecodeError: {SCRIPT}" in text(failed)


def test_digest_page_lists_each_article_with_its_aligned_summary() -> None:
    from datetime import date

    html = render_digest_html([article(), article("ikinci-haber")], date(2025, 8, 22))
    assert_inert(html)
    page = parse(html)
    assert "2025-08-22" in text(page.xpath("//h1")[0])
    assert page.xpath("//section//h2//a/@href") == ["articles/rize-cay-hasadi.html", "articles/ikinci-haber.html"]
    for section in page.xpath("//section"):
        rows = section.xpath(".//tbody/tr")
        assert [[text(td) for td in row.xpath("td")] for row in rows] == [[p.tr, p.en] for p in SUMMARY]


def test_write_article_and_write_index_write_the_pages(tmp_path: Path) -> None:
    output = article()
    written = write_article(output, tmp_path)
    assert tmp_path / "articles" / "rize-cay-hasadi.html" in written
    assert (tmp_path / "articles" / "rize-cay-hasadi.html").read_text(encoding="utf-8") == render_article_html(output)
    first, *rest = statuses()
    write_index([first], tmp_path)
    merged = write_index(rest, tmp_path)
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == render_index_html(merged)
    assert len(parse(render_index_html(merged)).xpath("//table[@class='index']/tbody/tr")) == 3
    assert not list(tmp_path.glob(".*.tmp"))


def test_articles_named_like_the_index_or_a_digest_keep_their_own_files(tmp_path: Path) -> None:
    from datetime import date

    from trnews.output.folder import write_digest

    named_index, named_digest = article("index"), article("digest-2026-11-23")
    for output in (named_index, named_digest):
        write_article(output, tmp_path)
    write_index([ArticleStatus(id="index", source="index.txt", status="ok", processed_at="2026-11-23T10:00:00+00:00")],
                tmp_path)
    write_digest([named_index, named_digest], date(2026, 11, 23), tmp_path)
    assert ArticleOutput.model_validate_json((tmp_path / "articles" / "index.json").read_text(encoding="utf-8"))
    assert "Tea harvest in Rize" in (tmp_path / "articles" / "digest-2026-11-23.md").read_text(encoding="utf-8")
    assert "Günün özeti" in (tmp_path / "digest-2026-11-23.md").read_text(encoding="utf-8")
    code, out, _ = invoke("list", "--output", str(tmp_path))
    assert code == 0 and "index" in out
    code, out, _ = invoke("show", "digest-2026-11-23", "--output", str(tmp_path))
    assert code == 0 and "Tea harvest in Rize" in out


def test_the_index_page_links_each_digest(tmp_path: Path) -> None:
    from datetime import date

    from trnews.output.folder import write_digest

    for day in (date(2026, 11, 22), date(2026, 11, 23)):
        write_digest([article()], day, tmp_path)
    write_index(statuses(), tmp_path)
    page = parse((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page.xpath("//ul[@class='digests']//a/@href") == ["digest-2026-11-23.html", "digest-2026-11-22.html"]
    assert "[digest-2026-11-23](digest-2026-11-23.md)" in (tmp_path / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["{not json", "[{\"id\": 1}]", "\"a string\"", "\udcff"])
def test_a_damaged_index_is_rebuilt_from_the_article_files(tmp_path: Path, damage: str) -> None:
    write_article(article(), tmp_path)
    write_article(article("ikinci-haber"), tmp_path)
    (tmp_path / "index.json").write_text(damage, encoding="utf-8", errors="surrogateescape")
    code, out, _ = invoke("list", "--output", str(tmp_path))
    assert code == 0 and "rize-cay-hasadi" in out and "ikinci-haber" in out
    merged = write_index(statuses()[1:], tmp_path)
    assert {row.id: row.status for row in merged} == {
        "rize-cay-hasadi": "ok", "ikinci-haber": "ok", "english-news": "skipped", "bozuk": "failed"}
    assert len(json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))) == 4


def test_files_written_unsynced_are_synced_together_and_a_failure_names_the_file(tmp_path: Path):
    written = write_article(article(), tmp_path, sync=False)
    assert len(written) == 3 and all(path.is_file() for path in written)
    sync_files(written)  # the files and their folder
    assert write_article(article(), tmp_path, sync=False) == []  # unchanged: nothing rewritten, nothing to sync
    with pytest.raises(OutputFolderError, match="vanished.html"):
        sync_files([*written, tmp_path / "articles" / "vanished.html"])


@pytest.mark.parametrize("make_unwritable", ["read-only folder", "a file, not a folder", "disk full"])
def test_an_output_folder_that_cannot_be_written_raises_a_clear_error(tmp_path: Path, make_unwritable: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os
    import tempfile

    from trnews.output.files import OutputFolderError

    output_dir = tmp_path / "outputs"
    if make_unwritable == "a file, not a folder":
        output_dir.write_text("bir dosya", encoding="utf-8")
        expected = "a file stands where a folder is needed"
    elif make_unwritable == "read-only folder":
        output_dir.mkdir()
        if os.geteuid() == 0:  # root writes into read-only folders: a read-only mount refuses even root
            def read_only(*args: object, **kwargs: object) -> None:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))

            monkeypatch.setattr(tempfile, "mkstemp", read_only)
            expected = "the file system is read-only"
        else:
            output_dir.chmod(0o555)
            expected = "permission denied"
    else:
        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)  # no way to fill a real disk in a test
        expected = "the disk is full"
    with pytest.raises(OutputFolderError, match=expected) as raised:
        write_article(article(), output_dir)
    assert "rize-cay-hasadi.json" in str(raised.value) and "output folder" in str(raised.value)
    with pytest.raises(OutputFolderError, match=expected):
        write_index(statuses(), output_dir)
    if output_dir.is_dir():
        assert not [p for p in output_dir.rglob("*") if p.is_file()]


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    write_article(article(), tmp_path)
    write_index(statuses(), tmp_path)
    return tmp_path


def invoke(*args: str, columns: int = 200) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `trnews ARGS` on a terminal `columns` wide. Styles are
    stripped: FORCE_COLOR in a CI environment would otherwise put escape codes in the text."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, click.unstyle(result.stdout), click.unstyle(result.stderr)


def test_show_prints_the_summary_side_by_side(outputs: Path) -> None:
    code, out, _ = invoke("show", "rize-cay-hasadi", "--output", str(outputs))
    assert code == 0, out
    lines = out.splitlines()
    side_by_side = [line for line in lines if SUMMARY[0].tr in line]
    assert side_by_side and SUMMARY[0].en in side_by_side[0]
    assert any(SUMMARY[1].tr in line and SUMMARY[1].en in line for line in lines)
    assert f"Rize'de çay hasadı {IMG}" in out and f"Tea harvest in Rize {SCRIPT}" in out
    assert "Çaykur" not in out  # only in the full article


def test_show_full_prints_the_whole_article_with_headings_marked(outputs: Path) -> None:
    code, out, _ = invoke("show", "rize-cay-hasadi", "--full", "--output", str(outputs))
    assert code == 0, out
    assert any("# Üreticiler ne diyor?" in line and "# What do growers say?" in line for line in out.splitlines())
    assert "Çaykur, kilogram fiyatını 18 lira olarak açıkladı." in out
    assert f"Işıl Öztürk said {MARKUP}." in out


def test_show_wraps_to_the_terminal_width(outputs: Path) -> None:
    code, out, _ = invoke("show", "rize-cay-hasadi", "--full", "--output", str(outputs), columns=60)
    assert code == 0, out
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "Çaykur," in out and "kilogram" in out


def test_show_an_unknown_id_says_how_to_list_the_ids(outputs: Path) -> None:
    code, out, err = invoke("show", "yok-boyle-haber", "--output", str(outputs))
    assert code == 1 and not out
    assert "yok-boyle-haber" in err and f"trnews list --output {outputs}" in err


def test_show_a_skipped_id_gives_the_reason(outputs: Path) -> None:
    code, _, err = invoke("show", "english-news", "--output", str(outputs))
    assert code == 1
    assert "skipped: not Turkish: detected English (confidence 0.97)" in err


def test_list_shows_every_article_with_status_and_reason(outputs: Path) -> None:
    code, out, _ = invoke("list", "--output", str(outputs))
    assert code == 0, out
    lines = out.splitlines()
    assert any("rize-cay-hasadi" in line and " ok " in line and "2025-08-21 09:15" in line for line in lines)
    assert any("english-news" in line and "skipped" in line and "not Turkish" in line for line in lines)
    assert any("bozuk" in line and "failed" in line and f"UnicodeDecodeError: {SCRIPT}" in line for line in lines)
    # By date, newest first: the article by its publication date, the others by when they were processed.
    assert out.index("english-news") < out.index("bozuk") < out.index("rize-cay-hasadi")


def test_list_without_an_index_fails_clearly(tmp_path: Path) -> None:
    code, _, err = invoke("list", "--output", str(tmp_path))
    assert code == 1
    assert "no index.json" in err


HOSTILE_LINK = "[tıkla](javascript:alert(1))"
HOSTILE_IMAGE = "![resim](data:text/html;base64,PHNjcmlwdD4=)"
HOSTILE_ANCHOR = '<a href="javascript:alert(2)">bağlantı</a>'
ESCAPES = "\x1b[2J\x1b]0;başlık\x07\x1b]52;c;ZXZpbA==\x07\x9b31m"


def hostile_article() -> ArticleOutput:
    """Every field a scraped page controls, carrying HTML, Markdown links, table breakers and
    terminal escape sequences."""
    hostile = article("zararli")
    pairs = [SentencePair(tr=f"Haber {HOSTILE_LINK} | {SCRIPT} {ESCAPES}son.", en=f"News {HOSTILE_IMAGE} {IMG} end."),
             SentencePair(tr=f"İkinci {HOSTILE_ANCHOR} cümle `kod *yıldız", en="Second & <b>bold</b> ]]> sentence.")]
    return hostile.model_copy(update={
        "title": BilingualText(tr=f"Başlık {HOSTILE_LINK}{ESCAPES}", en=f"Title {HOSTILE_ANCHOR} {SCRIPT}"),
        "published": f"2025-08-21 | {IMG}",
        "credits": [HOSTILE_LINK, IMG],
        "source": Source(path=f"haberler/{HOSTILE_LINK}.txt", sha256="0" * 64, format="text"),
        "summary": pairs,
        "paragraphs": [TranslatedParagraph(kind="heading", sentences=[pairs[1]]),
                       TranslatedParagraph(kind="text", sentences=pairs)],
    })


def test_markdown_outputs_render_hostile_text_as_text(tmp_path: Path) -> None:
    from datetime import date

    from markdown_it import MarkdownIt

    from trnews.output.folder import write_digest

    output = hostile_article()
    write_article(output, tmp_path)
    write_index([ArticleStatus(id=output.id, source=output.source.path, status="ok", title_en=output.title.en,
                               first_summary_sentence=output.summary[0].en, reason=None),
                 ArticleStatus(id="bozuk", source=output.source.path, status="failed", reason=f"{SCRIPT} {HOSTILE_LINK}")],
                tmp_path)
    write_digest([output], date(2025, 8, 22), tmp_path)
    renderer = MarkdownIt("commonmark").enable("table")
    for path in (tmp_path / "articles" / "zararli.md", tmp_path / "index.md", tmp_path / "digest-2025-08-22.md"):
        html = renderer.render(path.read_text(encoding="utf-8"))
        page = parse(f"<div>{html}</div>")
        assert not page.xpath("//script | //img | //*[@src] | //b"), path.name
        assert not [name for element in page.iter() for name in element.attrib if name.lower().startswith("on")]
        # Only the outputs' own files, and the article at its outlet (an https address), are linked.
        assert all(urlsplit(href).scheme == "" or href == output.url for href in page.xpath("//a/@href")), path.name
        assert "[tıkla](javascript:alert(1))" in text(page), path.name  # shown, as it was written
    article_page = parse("<div>" + renderer.render((tmp_path / "articles" / "zararli.md").read_text("utf-8")) + "</div>")
    cells = [[text(td) for td in row.xpath("td")] for row in article_page.xpath("//table[1]/tbody/tr")]
    assert cells[0] == [f"Haber {HOSTILE_LINK} | {SCRIPT} {visible(ESCAPES)}son.",
                        f"News {HOSTILE_IMAGE} {IMG} end."]
    assert cells[1] == [f"İkinci {HOSTILE_ANCHOR} cümle `kod *yıldız", "Second & <b>bold</b> ]]> sentence."]
    assert f"Tarih · Date: 2025-08-21 | {IMG}" in text(article_page)


def test_json_output_keeps_hostile_text_exactly(tmp_path: Path) -> None:
    output = hostile_article()
    write_article(output, tmp_path)
    written = json.loads((tmp_path / "articles" / "zararli.json").read_text(encoding="utf-8"))
    assert ArticleOutput.model_validate(written) == output


def test_html_page_of_hostile_text_is_inert() -> None:
    output = hostile_article()
    html = render_article_html(output)
    assert_inert(html)
    page = parse(html)
    assert text(page.xpath("//h1/span[@lang='en']")[0]) == f"Title {HOSTILE_ANCHOR} {SCRIPT}"
    assert page.xpath("//a/@href") == ["../index.html", "https://example.org/rize-cay"]


def test_show_strips_terminal_control_sequences(tmp_path: Path) -> None:
    write_article(hostile_article(), tmp_path)
    code, out, _ = invoke("show", "zararli", "--full", "--output", str(tmp_path))
    assert code == 0, out
    assert not any(char in out for char in "\x1b\x07\x9b\x00")
    assert "Başlık [tıkla](javascript:alert(1))" in out  # the text around the sequences is kept
    assert "[2J" not in out and "ZXZpbA" not in out  # and no parameter of them


def test_published_names_of_models_and_sources(tmp_path, monkeypatch):
    from trnews.output.public import model_name, source_name

    (tmp_path / "modeller" / "opus-yerel").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert model_name("Helsinki-NLP/opus-mt-tr-en") == "Helsinki-NLP/opus-mt-tr-en"
    assert model_name(str(tmp_path / "modeller" / "opus-yerel")) == "opus-yerel"
    assert (model_name("modeller/opus-yerel"), model_name("./opus-mt-tr-en/"), model_name("~/m/opus")) == (
        "opus-yerel", "opus-mt-tr-en", "opus")
    assert source_name("/srv/haberler/2026/rize.txt") == "rize.txt"
    assert source_name("/srv/akis.jsonl:3") == "akis.jsonl:3"
    assert source_name("https://example.org/haber/1") == "https://example.org/haber/1"


def test_index_is_by_date_with_updated_dates_and_links_the_stories_page(tmp_path: Path) -> None:
    from trnews.output.folder import read_index

    (tmp_path / "stories.html").write_text("", encoding="utf-8")
    write_index([
        ArticleStatus(id="eski", source="eski.txt", status="ok", published="2025-01-05", processed_at="2026-12-01T10:00:00+00:00"),
        ArticleStatus(id="guncel", source="guncel.txt", status="ok", updated="2025-06-01T09:30:00+03:00",
                      processed_at="2026-11-01T10:00:00+00:00"),
        ArticleStatus(id="istanbul-saati", source="ist.txt", status="ok", published="2025-03-01T10:00:00",
                      processed_at="2026-12-02T10:00:00+00:00"),
        ArticleStatus(id="bozuk", source="/srv/haberler/bozuk.txt", status="failed", reason="empty file",
                      processed_at="2026-12-02T11:00:00+00:00"),
    ], tmp_path)
    # Published, else updated, else processed: the failed row has only its processing time.
    assert [row.id for row in read_index(tmp_path)] == ["bozuk", "guncel", "istanbul-saati", "eski"]
    page = parse((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page.xpath("//nav/a/@href") == ["stories.html"]
    dates = {text(row.xpath("td[1]//span")[0]): text(row.xpath("td[2]")[0]) for row in page.xpath("//tbody/tr")}
    assert dates == {"guncel": "Güncelleme · Updated 2025-06-01 09:30", "istanbul-saati": "2025-03-01 10:00",
                     "eski": "2025-01-05", "bozuk": ""}
    markdown = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "[Haber dizileri · Stories](stories.html)" in markdown
    assert "| Güncelleme · Updated 2025-06-01 09:30 |" in markdown and "/srv/" not in markdown + text(page)


def _headings(html: str) -> list[str]:
    return [text(h) for h in parse(html).xpath("//h1 | //h2") if not h.xpath("span[@lang='en']")]


def _markdown_headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith(("# ", "## "))]


def test_markdown_and_html_pages_share_headings_labels_and_date_formats(tmp_path: Path) -> None:
    from datetime import date

    from trnews.output.markdown import render_article_markdown, render_digest_markdown, render_index_markdown
    from trnews.records import DigestEntry

    output = article().model_copy(update={"updated": "2025-08-22T10:05:00+03:00"})
    html, markdown = render_article_html(output), render_article_markdown(output)
    # The article's title is two columns in HTML and two lines in Markdown; every other heading is the same.
    assert _headings(html) == _markdown_headings(markdown)[1:] == ["Özet · Summary", "Haberin tamamı · Full article"]
    for shown in ("Tarih · Date", "2025-08-21 09:15", "Güncelleme · Updated", "2025-08-22 10:05", "Künye · Credits",
                  "Kaynak · Source", "Çeviri · Translation", "Helsinki-NLP/opus-mt-tr-en @ a1b2c3 (ctranslate2)"):
        assert shown in text(parse(html)) and shown in markdown, shown
    assert "2025-08-21T09:15" not in markdown.replace('datetime="', "")
    entry = DigestEntry(id=output.id, title=output.title, published=output.published, summary=output.summary)
    day = date(2025, 8, 22)
    digest_html, digest_markdown = render_digest_html([entry], day), render_digest_markdown([entry], day)
    assert _headings(digest_html)[0] == _markdown_headings(digest_markdown)[0] == "Günün özeti · Digest 2025-08-22"
    assert "2025-08-21 09:15" in digest_markdown and "2025-08-21 09:15" in text(parse(digest_html))
    rows = statuses()
    index_html, index_markdown = render_index_html(rows, ["digest-2025-08-22"]), render_index_markdown(rows, ["digest-2025-08-22"])
    assert _headings(index_html) == _markdown_headings(index_markdown) == ["Haberler · Articles", "Günün özetleri · Digests"]
    columns = [text(th) for th in parse(index_html).xpath("//thead//th")]
    assert f"| {' | '.join(columns)} |" in index_markdown


def flagged_article() -> ArticleOutput:
    """`article()` with its price sentence doubted (a hostile reason too: reasons quote the text)."""
    doubt = Flag(check="numbers", reason=f"The source's “18” is not in the translation {IMG}.")
    output = article()
    paragraphs = [paragraph.model_copy(deep=True) for paragraph in output.paragraphs]
    paragraphs[0].sentences[1] = paragraphs[0].sentences[1].model_copy(update={"en": "Çaykur set the price.",
                                                                               "flags": [doubt]})
    return output.model_copy(update={"paragraphs": paragraphs, "flagged": {"numbers": 1}})


def test_a_doubtful_translation_is_marked_with_its_reason_on_every_page(tmp_path: Path) -> None:
    from trnews.output.markdown import render_article_markdown

    output = flagged_article()
    page = lxml.html.fromstring(render_article_html(output))
    [row] = page.xpath("//tr[contains(@class, 'flagged')]")
    english = row.xpath("td[@lang='en']")[0]
    assert english.get("title") == output.paragraphs[0].sentences[1].flags[0].reason  # the tooltip
    assert "is not in the translation" in english.text_content() and not page.xpath("//img")
    assert "numbers: 1" in page.text_content()
    markdown = render_article_markdown(output)
    assert "Çaykur set the price. ⚠ *The source's “18” is not in the translation &lt;img" in markdown
    assert "⚠ A check doubts this translation" in markdown and "Doubtful translations (⚠): numbers: 1" in markdown
    assert "⚠" not in render_article_markdown(article())

    write_article(output, tmp_path)
    plain = article("rize-plain")
    write_article(plain, tmp_path)
    rows = [ArticleStatus(id=o.id, source=o.source.path, status="ok", title_tr=o.title.tr, title_en=o.title.en,
                          flagged=n) for o, n in ((output, 1), (plain, 0))]
    write_index(rows, tmp_path)
    code, out, _ = invoke("show", output.id, "--full", "--output", str(tmp_path))
    assert code == 0 and "⚠ The source's “18” is not in the translation" in out
    code, out, _ = invoke("list", "--flagged", "--output", str(tmp_path))
    assert code == 0 and output.id in out and "rize-plain" not in out and "1 doubtful translation" in out


def test_the_digest_marks_doubtful_translations_of_stories_and_articles() -> None:
    from datetime import date

    from trnews.output.markdown import render_digest_markdown
    from trnews.records import DigestEntry, Story, StorySentence

    doubt = Flag(check="names", reason="The source names “Çaykur”, which the translation does not.")
    story = Story(id="story-1", title=BilingualText(tr="Çay", en="Tea"), article_ids=["a", "b"], sources=["AA"],
                  summary=[StorySentence(tr="Çaykur fiyatı açıkladı.", en="The price was announced.",
                                         article_ids=["a", "b"], flags=[doubt])])
    entry = DigestEntry(id="c", title=BilingualText(tr="Başlık", en="Title"),
                        summary=[SUMMARY[0].model_copy(update={"flags": [doubt]}), SUMMARY[1]])
    page = lxml.html.fromstring(render_digest_html([entry], date(2025, 8, 22), [story]))
    flagged = page.xpath("//tr[contains(@class, 'flagged')]/td[@lang='en']")
    assert [td.get("title") for td in flagged] == [doubt.reason, doubt.reason]
    markdown = render_digest_markdown([entry], date(2025, 8, 22), [story])
    assert markdown.count("⚠ *The source names “Çaykur”") == 2 and markdown.count("⚠ A check doubts") == 2
