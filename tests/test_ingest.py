import json
import os
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trnews.cli import app
from trnews.stages.ingest import ingest_paths
from trnews.stages.ingest.decoding import InputError, decode
from trnews.output.paths import article_path
from trnews.output.folder import article_status, write_article, write_index
from trnews.records import ArticleOutput, ArticleStatus
from trnews.text.ids import MAX_ID_CHARS, article_id, bounded
from trnews.text.visible import INVISIBLE

from test_reader import article as hand_made_article
from test_reader import invoke as invoke_cli

TEXT = "Şanlıurfa'da pamuk hasadı başladı\n\nÇiftçiler ürünün kalitesinden memnun. Ağustos ayı sıcak geçti."


def test_utf8_with_and_without_bom_decode_the_same(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    result = ingest_paths([tmp_path])
    assert [a.text for a in result.articles] == [TEXT, TEXT]
    assert not result.problems


def test_utf16_and_utf32_with_a_byte_order_mark_decode(tmp_path: Path):
    for number, encoding in enumerate(["utf-16", "utf-16-be", "utf-32"]):
        data = TEXT.encode(encoding)
        (tmp_path / f"unicode-{number}.txt").write_bytes(data if encoding != "utf-16-be" else b"\xfe\xff" + data)
    result = ingest_paths([tmp_path])
    assert [a.text for a in result.articles] == [TEXT] * 3 and not result.problems
    assert [a.encoding for a in result.articles] == ["utf-16", "utf-16", "utf-32"]


@pytest.mark.parametrize("encoding", ["cp1254", "iso8859_9"])
def test_legacy_turkish_encodings(tmp_path: Path, encoding: str):
    (tmp_path / "eski.txt").write_bytes(TEXT.encode(encoding))
    [article] = ingest_paths([tmp_path]).articles
    assert article.text == TEXT
    assert article.encoding in {"cp1254", "iso8859_9"}


def test_windows_1254_curly_quotes(tmp_path: Path):
    text = "Bakan “Gerekli adımlar atılacak” dedi. Toplantı öğleden sonra bitti. Şirketler ğ ı ş harflerini kullanıyor."
    (tmp_path / "q.txt").write_bytes(text.encode("cp1254"))
    [article] = ingest_paths([tmp_path]).articles
    assert article.text == text
    assert article.encoding == "cp1254"


def test_text_is_nfc(tmp_path: Path):
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    (tmp_path / "nfd.txt").write_text(decomposed, encoding="utf-8")
    [article] = ingest_paths([tmp_path]).articles
    assert article.text == TEXT


def test_random_bytes_fail_with_a_reason_and_do_not_stop_the_batch(tmp_path: Path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(os.urandom(4096))
    result = ingest_paths([tmp_path])
    assert [a.id for a in result.articles] == ["good"]
    [problem] = result.problems
    assert problem.id == "broken" and problem.status == "failed"
    assert "binary" in problem.reason or "cannot decode" in problem.reason


def test_decode_rejects_binary_without_nul_bytes():
    noise = bytes(b for b in os.urandom(4096) if b)
    with pytest.raises(InputError, match="cannot decode"):
        decode(noise)


def test_empty_and_unsupported_files(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = ingest_paths([tmp_path, tmp_path / "photo.jpg"])
    reasons = {p.id: p.reason for p in result.problems}
    assert reasons["empty"] == "empty file"
    assert "unsupported file type '.jpg'" in reasons["photo"]


def test_folders_are_read_recursively_in_stable_order(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("# Başlık\n\nMetin burada.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    first = ingest_paths([tmp_path])
    second = ingest_paths([tmp_path, tmp_path / "a.txt"])  # a file named twice is read once
    assert [a.id for a in first.articles] == ["a", "z"] == [a.id for a in second.articles]
    assert first.articles[1].source.format == "markdown"


def test_ids_are_sanitised_and_unique(tmp_path: Path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "Güneş Enerjisi İhalesi!.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "y" / "Güneş Enerjisi İhalesi!.txt").write_text(TEXT, encoding="utf-8")
    ids = [a.id for a in ingest_paths([tmp_path]).articles]
    assert ids == ["gunes-enerjisi-ihalesi", "gunes-enerjisi-ihalesi-2"]
    assert article_id("ÇAĞRI / Öğle Haberi 2024") == "cagri-ogle-haberi-2024"
    assert article_id("???") == "article"


def test_ids_too_long_for_a_file_name_keep_a_prefix_and_a_hash(tmp_path: Path):
    long_ids = ["a" * 300, "a" * 299 + "b"]
    (tmp_path / "feed.jsonl").write_text(
        "".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in [*long_ids, long_ids[0]]), encoding="utf-8")
    ids = [a.id for a in ingest_paths([tmp_path]).articles]
    assert [len(i) for i in ids] == [MAX_ID_CHARS] * 3 and len(set(ids)) == 3
    assert all(i.startswith("a" * 60) for i in ids)
    assert ids[0] == article_id(long_ids[0]) == bounded(ids[0])  # stable, and bounding twice changes nothing
    # A long id from elsewhere (an older cache, typed by hand) names the same file as its bounded id.
    assert article_path(tmp_path, "a" * 300, ".json") == article_path(tmp_path, ids[0], ".json")
    assert len(article_path(tmp_path, "x" * 1000, ".html").name) == MAX_ID_CHARS + len(".html")


def test_jsonl_articles_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps({"id": "Ekonomi 1", "title": "Enflasyon açıklandı", "text": "Enflasyon yüzde 3 oldu.",
                    "url": "https://example.org/e", "published": "2025-02-03"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "bos", "text": ""}),
        json.dumps({"title": "Kimliksiz", "text": "Kimliği olmayan bir haber metni."}, ensure_ascii=False),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_paths([tmp_path])
    assert [(a.id, a.title, a.source.line) for a in result.articles] == [
        ("ekonomi-1", "Enflasyon açıklandı", 1), ("feed-4", "Kimliksiz", 4)]
    assert result.articles[0].url == "https://example.org/e"
    assert result.articles[0].published == "2025-02-03"
    reasons = {p.source: p.reason for p in result.problems}
    assert reasons[f"{tmp_path / 'feed.jsonl'}:2"].startswith("invalid JSON")
    assert reasons[f"{tmp_path / 'feed.jsonl'}:3"] == "missing or empty 'text' field"


def test_html_keeps_visible_article_text_and_headings(tmp_path: Path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Liman genişletiliyor | Site</title><script>var x = 'gizli';</script></head><body>"
        "<nav>Ana Sayfa Gündem Spor</nav><article><h1>Liman genişletiliyor</h1>"
        "<p>Mersin Limanı'nın kapasitesi iki katına çıkarılacak. Çalışmaların üç yıl sürmesi bekleniyor.</p>"
        "<h2>Yatırım tutarı</h2><p>Projenin maliyetinin 500 milyon dolar olacağı açıklandı ve ihale yapıldı.</p>"
        "</article><style>.a{color:red}</style></body></html>",
        encoding="utf-8",
    )
    [article] = ingest_paths([tmp_path]).articles
    assert article.source.format == "html"
    assert "## Yatırım tutarı" in article.text
    assert "Mersin Limanı'nın kapasitesi" in article.text
    assert "gizli" not in article.text and "color:red" not in article.text
    assert article.title == "Liman genişletiliyor"


def test_same_content_same_hash(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    first = ingest_paths([tmp_path]).articles[0].source.sha256
    (tmp_path / "a.txt").write_text(TEXT + " Ek cümle.", encoding="utf-8")
    assert ingest_paths([tmp_path]).articles[0].source.sha256 != first


def test_a_missing_path_and_a_symlink_loop_are_input_problems_of_their_own(tmp_path: Path):
    articles = tmp_path / "haberler"
    articles.mkdir()
    (articles / "iyi.txt").write_text(TEXT, encoding="utf-8")
    (articles / "dongu.txt").symlink_to(articles / "dongu.txt")
    (articles / "kirik.txt").symlink_to(tmp_path / "silinmis.txt")
    (tmp_path / "tek-dongu.txt").symlink_to(tmp_path / "tek-dongu.txt")
    os.mkfifo(articles / "boru.txt")  # reading it would wait for a writer forever
    result = ingest_paths([articles, tmp_path / "tek-dongu.txt", tmp_path / "yok.txt", tmp_path / "yok-klasor"])
    assert [a.id for a in result.articles] == ["iyi"] and result.problems == []
    reasons = {Path(p.path).name: p.reason for p in result.unreadable}
    assert reasons == {
        "boru.txt": "not a regular file",
        "dongu.txt": "symlink loop",
        "kirik.txt": f"broken symlink: {tmp_path / 'silinmis.txt'} does not exist",
        "tek-dongu.txt": "symlink loop",
        "yok.txt": "no such file or folder",
        "yok-klasor": "no such file or folder",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its permissions")
def test_an_unreadable_file_or_folder_is_an_input_problem_with_a_plain_reason(tmp_path: Path):
    (tmp_path / "iyi.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gizli.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gizli.txt").chmod(0)
    (tmp_path / "kilitli").mkdir()
    (tmp_path / "kilitli").chmod(0)
    try:
        result = ingest_paths([tmp_path])
    finally:
        (tmp_path / "kilitli").chmod(0o755)
    assert [a.id for a in result.articles] == ["iyi"]
    assert {Path(p.path).name: p.reason for p in result.unreadable} == {
        "gizli.txt": "permission denied", "kilitli": "cannot read folder: permission denied"}


def test_an_unreadable_file_given_directly_fails_alone(tmp_path: Path, monkeypatch):
    (tmp_path / "iyi.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gizli.txt").write_text(TEXT, encoding="utf-8")
    opened = os.open

    def refuse_gizli(path, *args, **kwargs):  # what chmod 0 does to anyone but root
        if Path(path).name == "gizli.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_gizli)
    result = ingest_paths([tmp_path / "gizli.txt", tmp_path / "iyi.txt"])
    assert [a.id for a in result.articles] == ["iyi"]
    assert [(p.path, p.reason) for p in result.unreadable] == [(str(tmp_path / "gizli.txt"), "permission denied")]
    cleaned = CliRunner().invoke(app, ["clean", str(tmp_path / "gizli.txt"), str(tmp_path / "iyi.txt"),
                                       "--cache-dir", str(tmp_path / "cache")])
    assert cleaned.exit_code == 1 and "Traceback" not in cleaned.output
    assert [(d.get("id", d.get("path")), d.get("reason")) for d in json.loads(cleaned.stdout)] == [
        ("iyi", None), (str(tmp_path / "gizli.txt"), "permission denied")]


def test_a_symlinked_folder_inside_a_folder_is_reported_not_followed(tmp_path: Path):
    (tmp_path / "haberler").mkdir()
    (tmp_path / "haberler" / "iyi.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "haberler" / "yukari").symlink_to(tmp_path / "haberler")
    result = ingest_paths([tmp_path / "haberler"])
    assert [a.id for a in result.articles] == ["iyi"]
    [problem] = result.unreadable
    assert Path(problem.path).name == "yukari" and "symlink to a folder" in problem.reason


def test_articles_over_the_size_limit_are_skipped_before_being_read(tmp_path: Path):
    (tmp_path / "kisa.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "uzun.txt").write_text(TEXT * 50, encoding="utf-8")
    (tmp_path / "akis.jsonl").write_text(
        json.dumps({"id": "kisa-satir", "text": TEXT}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "uzun-satir", "text": TEXT * 50}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = ingest_paths([tmp_path], max_article_bytes=len(TEXT.encode("utf-8")) * 2)
    assert sorted(a.id for a in result.articles) == ["kisa", "kisa-satir"]
    assert {p.id: p.status for p in result.problems} == {"uzun": "skipped", "akis-2": "skipped"}
    assert all("too large" in p.reason and "TRNEWS_MAX_ARTICLE_BYTES" in p.reason for p in result.problems)


def test_nul_and_other_control_characters_are_removed(tmp_path: Path):
    dirty = "Şanlıurfa'da\x00 pamuk\x1b[2J hasadı\x07 başladı\r\n\r\nÇiftçiler\tmemnun.\x85\x9b"
    (tmp_path / "kirli.txt").write_text(dirty, encoding="utf-8")
    (tmp_path / "akis.jsonl").write_text(
        json.dumps({"id": "satir", "title": "Başlık\x00\x1b]0;pwned\x07", "text": dirty}) + "\n", encoding="utf-8")
    result = ingest_paths([tmp_path])
    expected = "Şanlıurfa'da pamuk[2J hasadı başladı\n\nÇiftçiler\tmemnun."
    assert [a.text for a in result.articles] == [expected, expected]
    assert result.articles[0].title == "Başlık]0;pwned"


def test_html_text_has_no_markdown_escapes(tmp_path: Path):
    (tmp_path / "sayfa.html").write_text(
        "<html><head><title>Kod paylaşımı</title></head><body><article><h1>Kod paylaşımı</h1>"
        "<p>Meclis üyesi &lt;img src=x&gt; kodunu paylaştı; *yıldız*, _alt çizgi_ ve [köşeli] ayraç kullandı. "
        "Belediye meclisi dün akşam bütçe görüşmelerini tamamladı.</p>"
        "<ul><li>Birinci madde burada yazıyor</li><li>İkinci madde de burada</li></ul>"
        "<p><b>Kalın</b> ve <i>eğik</i> yazılar, bir satır<br>sonu ve C:\\Belgeler klasörü.</p></article></body></html>",
        encoding="utf-8")
    [article] = ingest_paths([tmp_path]).articles
    assert "\\" not in article.text.replace("C:\\Belgeler", "")
    assert "<img src=x> kodunu paylaştı; *yıldız*, _alt çizgi_ ve [köşeli] ayraç" in article.text
    assert "Birinci madde burada yazıyor\n\nİkinci madde de burada" in article.text
    assert "Kalın ve eğik yazılar, bir satır\nsonu ve C:\\Belgeler klasörü." in article.text


# A file name that would retitle the terminal window and clear the screen, reverse what follows it
# ("exe.txt" shows as "txt.exe") and hide a character.
HOSTILE_NAME = "x\x1b]0;PWNED\x07\x1b[2J\u202eexe.txt\u200b"


def test_names_from_outside_reach_no_terminal_or_output_file_with_control_characters(tmp_path: Path) -> None:
    inputs, outputs = tmp_path / "haberler", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / f"{HOSTILE_NAME}.txt").write_text("Rize'de\u200b çay\u202e hasadı başladı.\n", encoding="utf-8")
    (inputs / f"kirik-{HOSTILE_NAME}.txt").symlink_to(tmp_path / f"yok-{HOSTILE_NAME}")
    result = ingest_paths([inputs])
    [raw], [broken] = result.articles, result.unreadable
    assert raw.source.path == str(inputs / "xexe.txt.txt") and raw.text == "Rize'de çay hasadı başladı.\n"
    assert broken.path == str(inputs / "kirik-xexe.txt.txt")
    assert broken.reason == f"broken symlink: {tmp_path / 'yok-xexe.txt'} does not exist"
    (inputs / "bos.txt").write_bytes(b"")
    [failed] = ingest_paths([inputs / "bos.txt"]).problems
    failed.source, failed.reason = str(inputs / f"bos-{HOSTILE_NAME}.txt"), f"empty file {HOSTILE_NAME}"

    output = ArticleOutput.model_validate({**hand_made_article(raw.id).model_dump(), "source": raw.source.model_dump(),
                                           "title": {"tr": f"Başlık {HOSTILE_NAME}", "en": "Title\u202e"}})
    write_article(output, outputs)
    write_index([article_status(output, None), ArticleStatus.model_validate(failed.model_dump())], outputs)
    for path in outputs.rglob("*.*"):  # the record keeps its (hand-made) title as given; pages and index show it
        shown = json.dumps(json.loads(path.read_text("utf-8"))["source"], ensure_ascii=False) if path.parent.name == "articles" and \
            path.suffix == ".json" else path.read_text(encoding="utf-8")
        assert not INVISIBLE.search(shown.replace("\n", "")), path.name

    code, out, err = invoke_cli("show", failed.id, "--output", str(outputs))
    assert code == 1 and "empty file" in err and not INVISIBLE.search(out + err.replace("\n", ""))
    code, out, err = invoke_cli("list", "--output", str(outputs))
    assert code == 0 and "bos" in out and not INVISIBLE.search(out.replace("\n", ""))
