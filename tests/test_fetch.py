"""Fetching against web sites on 127.0.0.1 (`local_site`): feeds, a sitemap index, robots.txt,
304s, Retry-After, failing, slow, oversized and looping pages, a broken feed, duplicates, a
Windows-1254 page and Turkish URLs; then the archive read back by ingest. No test leaves the machine."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from local_site import LocalSite, Reply, article_html, conditional
from trnews.config import Settings
from trnews.errors import ConfigError
from trnews.fetch.fetcher import fetch_sources
from trnews.fetch.listings import read_listing
from trnews.fetch.sources import SourcesError, load_sources
from trnews.fetch.urls import article_id_for, normalise
from trnews.stages.ingest import ingest_paths

NOW = datetime.now(timezone(timedelta(hours=3))).replace(microsecond=0)
CRAWL_DELAY = 0.1
FAIZ = ["Merkez Bankası politika faizini yüzde kırk seviyesinde sabit tuttu ve kararını kısa bir metinle duyurdu.",
        "Piyasalar kararı büyük ölçüde bekliyordu; kurlar gün boyunca yatay seyretti ve borsa hafif yükseldi.",
        "Ekonomistler, enflasyondaki düşüş sürerse yılın son çeyreğinde bir indirim yapılabileceğini söylüyor."]
CAY = ["Rize'de yaş çay hasadı bu sabah erken saatlerde başladı ve üreticiler bahçelere akın etti.",
       "Kooperatif başkanı, bu yıl yağışların düzenli olması sayesinde verimin geçen yıldan yüksek olacağını söyledi.",
       "Fabrikalar alım fiyatının önümüzdeki hafta açıklanmasını bekliyor; üreticiler ise zam talep ediyor."]
ESKI = ["Şehrin eski çarşısında restorasyon çalışmaları ağır ilerliyor; esnaf dükkânlarını geçici yerlere taşıdı.",
        "Belediye, ışıklandırma ve zemin döşemesinin gelecek ay bitmesini, çarşının bayramdan önce açılmasını hedefliyor."]


def _page(title: str, paragraphs: list[str], **meta: str) -> bytes:
    return article_html(title, paragraphs, **meta).encode("utf-8")


def _rss(origin: str, items: list[tuple[str, datetime, str]]) -> bytes:
    entries = "".join(f"<item><title>{title}</title><link>{origin}{path}</link>"
                      f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>"
                      for path, when, title in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Örnek</title>'
            f"<link>{origin}/</link>{entries}</channel></rss>").encode("utf-8")


def _site_a(site: LocalSite) -> None:
    """An outlet with a feed, a sitemap index and every kind of page a crawler meets."""
    o = site.origin
    site.routes["/robots.txt"] = conditional(
        f"User-agent: *\nDisallow: /gizli/\nCrawl-delay: {CRAWL_DELAY}\n".encode(), "text/plain", '"r1"')
    site.routes["/rss.xml"] = conditional(_rss(o, [
        ("/haber/ekonomi-faiz?utm_source=rss&utm_medium=feed", NOW - timedelta(hours=1), "Faiz sabit"),
        ("/haber/çay-hasadı-başladı", NOW - timedelta(hours=2), "Çay hasadı"),
        ("/haber/kopya-faiz", NOW - timedelta(hours=3), "Faiz (kopya)"),
        ("/gizli/haber", NOW - timedelta(hours=3), "Gizli"),
        ("/haber/eski-carsi", NOW - timedelta(hours=4), "Eski çarşı"),
        ("/belge.pdf", NOW - timedelta(hours=4), "Belge"),
        ("/haber/dev-sayfa", NOW - timedelta(hours=5), "Dev"),
        ("/haber/dongu", NOW - timedelta(hours=5), "Döngü"),
        ("/haber/gecici", NOW - timedelta(hours=6), "Geçici"),
        ("/haber/yogun", NOW - timedelta(hours=6), "Yoğun"),
        ("/haber/cok-eski", NOW - timedelta(days=30), "Çok eski"),
    ]), "application/rss+xml", '"f1"')
    site.routes["/sitemap_index.xml"] = conditional(
        (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         f"<sitemap><loc>{o}/sitemaps/news.xml</loc><lastmod>{NOW.isoformat()}</lastmod></sitemap>"
         f"<sitemap><loc>{o}/sitemaps/2015-01.xml</loc><lastmod>2015-02-01</lastmod></sitemap>"
         "</sitemapindex>").encode(), "application/xml", '"i1"')
    site.routes["/sitemaps/news.xml"] = conditional(
        (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
         f"<url><loc>{o}/haber/spor-mac</loc><news:news><news:publication_date>"
         f"{(NOW - timedelta(hours=2)).isoformat()}</news:publication_date><news:title>Maç</news:title></news:news></url>"
         f"<url><loc>{o}/amp/ekonomi-faiz</loc><lastmod>{(NOW - timedelta(hours=8)).isoformat()}</lastmod></url>"
         f"<url><loc>{o}/haber/ekonomi-faiz?fbclid=abc123</loc></url>"
         "</urlset>").encode(), "application/xml", '"n1"')
    faiz = _page("Faiz sabit tutuldu", FAIZ, site_name="Örnek Haber")
    site.static("/haber/ekonomi-faiz", faiz)
    site.static("/haber/kopya-faiz", faiz)  # the same article under another address
    site.static("/amp/ekonomi-faiz", _page("Faiz sabit tutuldu", [*FAIZ, "AMP sürümü."],
                                           canonical=f"{o}/haber/ekonomi-faiz"))
    site.static("/haber/çay-hasadı-başladı", _page("Çay hasadı başladı", CAY))
    site.static("/haber/spor-mac", _page("Derbi berabere bitti", [
        "Ligin en çok beklenen maçında iki takım golsüz berabere kaldı ve puanlar paylaşıldı.",
        "Teknik direktörler maçtan sonra yaptıkları açıklamalarda oyuncularının mücadelesinden memnun olduklarını söyledi."]))
    site.static("/gizli/haber", _page("Gizli", FAIZ))
    site.static("/haber/eski-carsi", article_html("Eski çarşı", ESKI, charset="windows-1254").encode("cp1254"),
                "text/html; charset=windows-1254")
    site.static("/belge.pdf", b"%PDF-1.4 not a page", "application/pdf")
    site.static("/haber/dev-sayfa", _page("Dev", FAIZ * 200))
    site.routes["/haber/dongu"] = lambda _h, _n: Reply(302, b"", {"Location": "/haber/dongu-2"})
    site.routes["/haber/dongu-2"] = lambda _h, _n: Reply(302, b"", {"Location": f"{o}/haber/dongu"})
    later = _page("Geçici arıza giderildi", ESKI[::-1])
    site.routes["/haber/gecici"] = lambda _h, n: Reply(500, b"oops") if n == 0 else Reply(
        200, later, {"Content-Type": "text/html; charset=utf-8"})
    busy = _page("Yoğun sunucu", [CAY[0], ESKI[0]])
    site.routes["/haber/yogun"] = lambda _h, n: Reply(429, b"", {"Retry-After": "1"}) if n == 0 else Reply(
        200, busy, {"Content-Type": "text/html; charset=utf-8"})


def _site_b(site: LocalSite) -> None:
    """A slow outlet with an Atom feed and no robots.txt: one page never answers in time."""
    o = site.origin
    site.static("/atom.xml", (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Yavaş</title>'
        f'<entry><title>Yavaş</title><link href="{o}/yavas"/><updated>{NOW.isoformat()}</updated></entry>'
        f'<entry><title>Hızlı</title><link href="/hizli"/><published>{(NOW - timedelta(hours=1)).isoformat()}</published>'
        "</entry></feed>"), "application/atom+xml")
    slow = _page("Yavaş", CAY)
    site.routes["/yavas"] = lambda _h, _n: Reply(200, slow, {"Content-Type": "text/html"}, delay=1.5)
    site.static("/hizli", _page("Köprü trafiğe açıldı", [
        "Yeni köprü bugün düzenlenen törenle trafiğe açıldı ve ilk araçlar öğle saatlerinde geçti.",
        "Bakanlık, köprünün iki yaka arasındaki yolculuğu yarım saat kısaltacağını açıkladı."]))


def _site_c(site: LocalSite) -> None:
    """A broken feed, and a feed of three articles for a source limited to one per fetch."""
    site.static("/rss", b"\x00\x01 this is not a feed {", "application/rss+xml")
    site.static("/limited.xml", _rss(site.origin, [(f"/s/{n}", NOW - timedelta(hours=n), f"S{n}") for n in (1, 2, 3)]),
                "application/rss+xml")
    for n in (1, 2, 3):
        site.static(f"/s/{n}", _page(f"Sınırlı haber {n}", [f"{n}. haberde belediye meclisi {n} yeni kararı oy birliğiyle "
                                                            "kabul etti ve uygulamanın ay sonunda başlayacağını duyurdu.",
                                                            CAY[n - 1]]))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("fetch")
    with LocalSite() as a, LocalSite() as b, LocalSite() as c:
        _site_a(a), _site_b(b), _site_c(c)
        sources = root / "sources.toml"
        sources.write_text(f'''
[[source]]
name = "Örnek Haber"
feeds = ["{a.url('/rss.xml')}"]
sitemaps = ["{a.url('/sitemap_index.xml')}"]

[[source]]
name = "Yavaş Gazete"
feeds = ["{b.url('/atom.xml')}"]

[[source]]
name = "Bozuk Kaynak"
feeds = ["{c.url('/rss')}"]

[[source]]
name = "Sınırlı Haber"
feeds = ["{c.url('/limited.xml')}"]
max_articles = 1
''', encoding="utf-8")
        settings = Settings(cache_dir=root / "cache", output_dir=root / "outputs", sources=sources,
                            fetch_dir=root / "fetched", fetch_delay=0.01, fetch_timeout=0.5, fetch_retries=1,
                            fetch_max_bytes=20_000, fetch_contact="mailto:test@example.org")
        first = fetch_sources(settings)
        hits_after_first = {name: len(site.hits) for name, site in (("a", a), ("b", b), ("c", c))}
        second = fetch_sources(settings)
        yield {"a": a, "b": b, "c": c, "settings": settings, "first": first, "second": second,
               "hits_after_first": hits_after_first}


def _source(report, name):
    return next(s for s in report.sources if s.name == name)


def test_a_fetch_archives_new_articles_and_says_why_it_left_the_others(world):
    outlet = _source(world["first"], "Örnek Haber")
    assert outlet.articles == {"new": 6, "duplicate": 2, "skipped": 4, "deferred": 0} | {
        k: v for k, v in outlet.articles.items() if v == 0}
    problems = "\n".join(outlet.problems)
    assert "/gizli/haber: disallowed by robots.txt" in problems
    assert "/belge.pdf: not an HTML page (application/pdf)" in problems
    assert "/haber/dev-sayfa: too large" in problems
    assert "/haber/dongu: redirect loop:" in problems
    assert outlet.listings == 3  # the feed, the index and its recent child; not the 2015 sitemap
    assert world["first"].user_agent.startswith("trnews/") and "mailto:test@example.org" in world["first"].user_agent


def test_robots_txt_is_obeyed_and_one_request_at_a_time_waits_the_crawl_delay(world):
    site = world["a"]
    assert not site.requested("/gizli/haber") and not site.requested("/sitemaps/2015-01.xml")
    assert all(h.headers["user-agent"] == world["first"].user_agent for h in site.hits)
    hits = sorted(site.hits[:world["hits_after_first"]["a"]], key=lambda h: h.start)
    gaps = [later.start - earlier.end for earlier, later in zip(hits, hits[1:])]
    assert min(gaps) >= CRAWL_DELAY - 0.02, gaps  # never two at once, always the Crawl-delay apart


def test_retry_after_429_and_a_500_then_200_end_in_new_articles(world):
    site = world["a"]
    first, second = site.requested("/haber/yogun")[:2]
    assert (first.status, second.status) == (429, 200) and second.start - first.end >= 1.0
    assert [h.status for h in site.requested("/haber/gecici")][:2] == [500, 200]


def test_a_slow_host_times_out_without_holding_up_the_others_and_a_broken_feed_fails_alone(world):
    slow = _source(world["first"], "Yavaş Gazete")
    assert slow.articles["new"] == 1 and slow.articles["failed"] == 1
    assert any("/yavas: timed out" in p and "(2 attempts)" in p for p in slow.problems)
    broken = _source(world["first"], "Bozuk Kaynak")
    assert broken.failed and "not a feed or sitemap" in broken.failed


def test_each_article_is_fetched_once_whatever_its_tracking_parameters(world):
    site = world["a"]
    assert len(site.requested("/haber/ekonomi-faiz")) == 1
    assert len(site.requested("/haber/çay-hasadı-başladı")) == 1
    # The same text at another address, and a page whose canonical address was fetched: one request
    # each, then recognised (the two duplicates counted in the first test).
    assert len(site.requested("/haber/kopya-faiz")) == 1 and len(site.requested("/amp/ekonomi-faiz")) == 1


def test_a_rerun_with_nothing_new_costs_only_conditional_requests(world):
    second, a = world["second"], world["a"]
    again = a.hits[world["hits_after_first"]["a"]:]
    assert sorted(h.path for h in again) == ["/robots.txt", "/rss.xml", "/sitemap_index.xml", "/sitemaps/news.xml"]
    assert all(h.status == 304 and h.headers.get("if-none-match") for h in again)
    outlet = _source(second, "Örnek Haber")
    assert outlet.unchanged == 3 and outlet.articles.get("new", 0) == 0
    # The slow page failed once: it is tried again (and fails again); the limited source's next page comes.
    assert _source(second, "Yavaş Gazete").articles.get("failed") == 1
    limited = [_source(world["first"], "Sınırlı Haber"), _source(second, "Sınırlı Haber")]
    assert [(s.articles.get("new"), s.articles.get("deferred")) for s in limited] == [(1, 2), (1, 1)]


def test_the_archive_holds_every_response_and_ingest_reads_the_articles_with_their_outlets(world):
    settings = world["settings"]
    [warc] = sorted(settings.fetch.folder.glob("*.warc.gz"))
    assert world["first"].archives == [str(warc)]
    with open(warc, "rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(handle)]
    assert ("response", world["a"].url("/haber/dongu-2")) in records  # redirects and errors are kept too
    assert ("response", world["a"].url("/robots.txt")) in records
    ingested = ingest_paths([settings.fetch.folder])
    assert ingested.problems == []
    by_url = {raw.url: raw for raw in ingested.articles}
    a = world["a"]
    faiz = by_url[a.url("/haber/ekonomi-faiz")]
    assert faiz.outlet == "Örnek Haber" and faiz.source.format == "warc" and faiz.source.record
    assert faiz.published == (NOW - timedelta(hours=1)).isoformat()  # the feed's date, its offset kept
    assert faiz.id == article_id_for(faiz.url)
    eski = by_url[a.url("/haber/eski-carsi")]
    assert "Şehrin eski çarşısında" in eski.text and "ışıklandırma" in eski.text
    cay = by_url[normalise(a.url("/haber/çay-hasadı-başladı"))]
    assert cay.id.startswith("127-0-0-1-haber-cay-hasadi-basladi-")
    assert {raw.outlet for raw in ingested.articles} == {"Örnek Haber", "Yavaş Gazete", "Sınırlı Haber"}


def test_refetch_fetches_again_and_ingest_keeps_the_latest_copy(world):
    settings = world["settings"]
    report = fetch_sources(settings, refetch=True, only=["Sınırlı Haber"])
    assert report.sources[0].articles.get("new") == 1 and len(world["c"].requested("/s/1")) == 2
    ingested = ingest_paths([settings.fetch.folder])
    assert [raw.url for raw in ingested.articles].count(world["c"].url("/s/1")) == 1


def test_sources_files_that_are_not_valid_say_where(tmp_path):
    path = tmp_path / "sources.toml"
    for text, message in [
        ("[[source]]\nname = 'A'\n", "give at least one of feeds or sitemaps"),
        ("[[source]]\nname = 'A'\nfeeds = ['ftp://x/y']\n", r"is not an http\(s\) address"),
        ("[[source]]\nname = 'A'\nfeeds = ['http://x/']\nmax_articels = 3\n", "max_articels"),
        ("[[source]]\nname = 'A'\nfeeds = ['http://x/']\n[[source]]\nname = 'A'\nsitemaps = ['http://y/']\n", "repeated: A"),
        ("source = 3", "names no source"),
        ("[[source]\n", "not valid TOML"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SourcesError, match=message) as raised:
            load_sources(path)
        assert str(path) in str(raised.value) and raised.value.exit_code == 2
    with pytest.raises(ConfigError, match="no sources file"):
        fetch_sources(Settings(cache_dir=tmp_path / "cache"))


def test_the_example_sources_file_is_valid():
    sources = load_sources(Path(__file__).resolve().parents[1] / "sources.example.toml")
    assert len(sources) >= 3 and all(s.feeds or s.sitemaps for s in sources)


def test_listings_read_gzipped_sitemaps_and_tolerate_a_feed_with_damage():
    sitemap = gzip.compress(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            b"<url><loc>https://ornek.com.tr/a?utm_campaign=x</loc></url></urlset>")
    assert [e.url for e in read_listing(sitemap, "https://ornek.com.tr/sitemap.xml.gz").entries] == [
        "https://ornek.com.tr/a"]
    damaged = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A & B</title>'
               b"<link>https://ornek.com.tr/b</link><pubDate>Tue, 10 Jun 2025 09:30:00 +0300</pubDate></item>")
    [entry] = read_listing(damaged, "https://ornek.com.tr/rss").entries
    assert entry.url == "https://ornek.com.tr/b" and entry.published == "2025-06-10T09:30:00+03:00"


def test_a_fetch_killed_mid_record_leaves_an_archive_the_next_fetch_repairs(tmp_path):
    from datetime import datetime as dt

    import httpx

    from trnews.fetch.archive import Archive, archived_articles
    from trnews.fetch.http import Exchange

    exchange = Exchange("http://127.0.0.1/a", {}, 200, "OK", "HTTP/1.1", httpx.Headers({"Content-Type": "text/html"}),
                        _page("A", FAIZ), dt.now(timezone.utc))
    with Archive(tmp_path) as archive:
        archive.article(archive.exchange(exchange), exchange.url, {"outlet": "A"})
        archive.exchange(exchange)
    [path] = tmp_path.glob("*.warc.gz")
    path.write_bytes(path.read_bytes()[:-40])  # killed while writing the last record
    with Archive(tmp_path) as archive:
        archive.article(archive.exchange(exchange), "http://127.0.0.1/b", {"outlet": "B"})
    assert [a.metadata["outlet"] for a in archived_articles(path)] == ["A", "B"]
    assert json.loads(json.dumps([a.metadata for a in archived_articles(path)]))[1]["format"] == "trnews-article/1"


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_with_sources_fetches_first_then_digests_what_is_new_naming_the_outlets(tmp_path, tiny_settings):
    from trnews.pipeline.flow import bilingual_digest

    labelled = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "stories.jsonl"
    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines() if line.strip()]
    members = [r for r in rows if r["story"] == "malatya-deprem"][:2]
    with LocalSite() as one, LocalSite() as two:
        for site, row in zip((one, two), members):
            site.static("/rss.xml", _rss(site.origin, [("/haber/deprem", NOW - timedelta(hours=1), row["title"])]),
                        "application/rss+xml")
            site.static("/haber/deprem", _page(row["title"], row["paragraphs"]))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "Birinci Gazete"\nfeeds = ["{one.url("/rss.xml")}"]\n\n'
                           f'[[source]]\nname = "İkinci Ajans"\nfeeds = ["{two.url("/rss.xml")}"]\n', encoding="utf-8")
        settings = tiny_settings.replace(sources=str(sources), fetch_dir=str(tmp_path / "fetched"), fetch_delay=0)
        report = bilingual_digest(inputs=[], settings=settings)
        again = bilingual_digest(inputs=[], settings=settings)

    assert report.fetch is not None and report.fetch.new_articles == 2 and report.counts["ok"] == 2
    assert report.inputs == report.fetch.archives
    outputs = {json.loads(p.read_text(encoding="utf-8"))["outlet"]: json.loads(p.read_text(encoding="utf-8"))
               for p in (settings.output_dir / "articles").glob("*.json")}
    assert set(outputs) == {"Birinci Gazete", "İkinci Ajans"}
    assert outputs["Birinci Gazete"]["url"] == one.url("/haber/deprem")
    [story] = json.loads((settings.output_dir / "stories.json").read_text(encoding="utf-8"))
    assert set(story["article_outlets"].values()) == {"Birinci Gazete", "İkinci Ajans"}
    assert not any(".warc" in source for source in story["sources"])
    page = (settings.output_dir / "articles" / f"{outputs['Birinci Gazete']['id']}.html").read_text(encoding="utf-8")
    assert f'href="{one.url("/haber/deprem")}"' in page and "Birinci Gazete" in page
    [digest] = settings.output_dir.glob("digest-*.md")
    assert "İkinci Ajans" in digest.read_text(encoding="utf-8")
    # The next night: nothing new at the outlets, so nothing to digest but what is there.
    assert again.fetch is not None and again.fetch.new_articles == 0 and again.inputs == [] and again.articles == []


def test_trnews_fetch_shows_each_source_and_exits_1_when_one_failed(tmp_path):
    from typer.testing import CliRunner

    from trnews.cli import app

    with LocalSite() as site:
        site.static("/rss.xml", _rss(site.origin, [("/haber/cay", NOW, "Çay")]), "application/rss+xml")
        site.static("/haber/cay", _page("Çay hasadı başladı", CAY))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "Çay Haber"\nfeeds = ["{site.url("/rss.xml")}"]\n\n'
                           f'[[source]]\nname = "Kayıp"\nfeeds = ["{site.url("/yok.xml")}"]\n', encoding="utf-8")
        args = ["fetch", "--sources", str(sources), "--fetch-dir", str(tmp_path / "fetched"),
                "--cache-dir", str(tmp_path / "cache"), "--fetch-delay", "0"]
        result = CliRunner().invoke(app, args, env={"COLUMNS": "160"})
        assert result.exit_code == 1, result.output
        assert "Çay Haber" in result.output and "failed Kayıp: no listing could be read" in result.output
        assert "/yok.xml: HTTP 404" in result.output and "1 new article(s)" in result.output
        assert "no contact in the User-Agent" in result.output
        again = CliRunner().invoke(app, [*args, "--source", "Çay Haber", "--fetch-contact", "ops@example.org"])
        assert again.exit_code == 0 and "0 new article(s)" in again.output and "(+ops@example.org)" in again.output
