"""The HTML reader in a real browser: headless Chromium driven by Playwright, on pages written by
a real flow run (tiny models) over the examples plus an article whose text holds a script."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from trnews.config import Settings
from trnews.pipeline.flow import bilingual_digest
from trnews.tiny_models import TestModels

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

# Skips are per test, not for the module, so that under CI=true the conftest turns them into failures.
pytestmark = pytest.mark.browser

# Chromium as distributions and Google name it, in that order of preference.
CHROMIUM_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OpenPage = Callable[..., "Page"]

# No "." inside: the segmenter cuts a sentence after "window." and the check below
# looks for the whole script in one cell. A bare assignment in a script sets window.__pwned.
SCRIPT = '<script>__pwned = 1; title = "pwned"</script>'
IMG = '<img src=x onerror="__pwned = 2">'
MALICIOUS = f"""Belediye meclisinde {IMG} tartışması

Belediye meclisi dün akşam bütçe görüşmelerini tamamladı. Toplantıda ulaşım yatırımları için ek ödenek kabul edildi.

Meclis üyesi, sosyal medyada paylaşılan {SCRIPT} kodunun haber sitesinde çalıştığını söyledi. Uzmanlar, okurların dikkatli olması gerektiğini vurguladı.

Bütçe tartışması

Yeni bütçenin yüzde kırkı altyapı çalışmalarına ayrıldı. Çalışmaların önümüzdeki ay başlaması bekleniyor.
"""
ENGLISH = """City budget approved

The city council approved the new budget on Monday after a long debate. The mayor said the money would be spent on
schools, roads and public parks. Opposition members criticised the plan and asked for more details about the costs.
"""


@pytest.fixture(scope="module")
def site(browser: Browser, prefect_harness: None, tmp_path_factory: pytest.TempPathFactory, examples: Path,
         tiny_models: TestModels) -> Path:
    """The output folder of a real flow run (one for the module: the tests only read it): the
    examples, the malicious article, an English one. Made only once a browser is there to read
    it: without one the tests skip before a flow runs."""
    root = tmp_path_factory.mktemp("site")
    inputs = root / "articles"
    shutil.copytree(examples, inputs)
    (inputs / "zararli-haber.txt").write_text(MALICIOUS, encoding="utf-8")
    (inputs / "english-news.txt").write_text(ENGLISH, encoding="utf-8")
    settings = Settings(output_dir=root / "outputs", cache_dir=root / "cache", mt_model=str(tiny_models.mt_tr_en),
                        beam_size=2, max_new_tokens=12, device="cpu")
    report = bilingual_digest(inputs=[str(inputs)], settings=settings)
    assert report.counts == {"ok": 8, "skipped": 1, "failed": 0}
    return settings.output_dir


def find_chromium(playwright: Any) -> str | None:
    """A Chromium on PATH, else the one `playwright install chromium` downloaded, else None."""
    for command in CHROMIUM_COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    bundled = playwright.chromium.executable_path
    return bundled if bundled and Path(bundled).is_file() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="`pip install -e '.[dev]'` to run the browser tests")
    with sync_api.sync_playwright() as playwright:
        chromium = find_chromium(playwright)
        if chromium is None:
            pytest.skip(f"no Chromium (looked for {', '.join(CHROMIUM_COMMANDS)} on PATH and for Playwright's own): "
                        "`apt-get install chromium` or `python -m playwright install chromium`")
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """`open_page(path, viewport)`: a fresh page on a file:// URL. Any request that is not for a
    local file fails the test: the pages must be self-contained."""
    pages: list[Page] = []
    requests: list[str] = []

    def open_(path: Path, viewport: dict[str, int] = DESKTOP) -> Page:
        page = browser.new_page(viewport=viewport)
        page.set_default_timeout(10_000)  # everything is local: a missing element should fail fast
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()
    assert [url for url in requests if not url.startswith("file://")] == []


def background(cell: Locator) -> str:
    return cell.evaluate("element => getComputedStyle(element).backgroundColor")


def body_rows(page: Page) -> Locator:
    return page.locator("section[aria-labelledby='article'] table.aligned tbody tr.sentence")


def test_index_links_to_pages_with_two_columns_side_by_side(site: Path, open_page: OpenPage) -> None:
    page = open_page(site / "index.html")
    rows = page.locator("table.index tbody tr")
    assert rows.count() == 9
    skipped = rows.filter(has_text="english-news")
    assert "skipped" in skipped.inner_text() and "not Turkish" in skipped.inner_text()

    page.get_by_role("link", name=re.compile("İstanbul'da yeni metro hattı")).click()
    assert page.url.endswith("/articles/istanbul-metro-hatti.html")
    assert page.locator("h1 [lang='tr']").inner_text() == "İstanbul'da yeni metro hattı yolcu taşımaya başladı"
    assert page.locator("tr.heading td[lang='tr'] h3").first.is_visible()
    for index in range(body_rows(page).count()):
        row = body_rows(page).nth(index)
        tr, en = row.locator("td[lang='tr']").bounding_box(), row.locator("td[lang='en']").bounding_box()
        assert en["x"] >= tr["x"] + tr["width"] - 1, "the English cell sits right of the Turkish one"
        assert abs(en["y"] - tr["y"]) < 1, "both sentences of a pair start on the same line"
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_hovering_or_focusing_a_sentence_highlights_its_counterpart(site: Path, open_page: OpenPage) -> None:
    page = open_page(site / "articles" / "istanbul-metro-hatti.html")
    row = body_rows(page).nth(2)
    tr, en = row.locator("td[lang='tr']"), row.locator("td[lang='en']")
    page.mouse.move(0, 0)
    plain = background(en)

    tr.hover()
    assert background(en) != plain
    page.mouse.move(0, 0)
    assert background(en) == plain

    tr.focus()
    assert background(en) != plain
    page.keyboard.press("Tab")  # focus moves to the English cell: the pair stays lit
    assert page.evaluate("document.activeElement.lang") == "en"
    assert background(tr) != plain


def test_a_script_in_the_article_text_does_not_run_and_shows_as_text(site: Path, open_page: OpenPage) -> None:
    page = open_page(site / "index.html")
    title = f"Belediye meclisinde {IMG} tartışması"
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    assert page.url.endswith("/articles/zararli-haber.html")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script, img").count() == 0
    assert page.locator("h1 [lang='tr']").inner_text() == title
    sentence = page.locator("td[lang='tr']", has_text=SCRIPT)
    assert sentence.count() >= 1 and sentence.first.is_visible()
    assert "Meclis üyesi, sosyal medyada paylaşılan " + SCRIPT in sentence.first.inner_text()


def test_columns_stack_on_a_phone(site: Path, open_page: OpenPage) -> None:
    page = open_page(site / "articles" / "istanbul-metro-hatti.html", viewport=PHONE)
    for index in range(body_rows(page).count()):
        row = body_rows(page).nth(index)
        tr, en = row.locator("td[lang='tr']").bounding_box(), row.locator("td[lang='en']").bounding_box()
        assert en["y"] >= tr["y"] + tr["height"] - 1, "the English sentence sits under its Turkish one"
        assert abs(en["x"] - tr["x"]) < 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
