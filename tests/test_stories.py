"""Stories: near-duplicates and same-event articles grouped, kept across runs, summarised once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path

import lxml.html
import numpy as np
import pytest
from typer.testing import CliRunner

from trnews.stages import stories as stories_module
from trnews.stages.stories import similarity as similarity_module
from trnews.stages.stories import store as store_module
from trnews.cli import app
from trnews.records import (
    ArticleOutput,
    BilingualText,
    CleanArticle,
    ModelRef,
    ModelsUsed,
    Paragraph,
    SentencePair,
    Source,
    Story,
    TranslatedParagraph,
)
from trnews.stages.stories import (
    Features,
    StoryStore,
    near_duplicate_pairs,
    repeated_sentences,
    story_summary,
    with_outputs,
)
from trnews.stages.stories.articles import story_id_for
from trnews.text.dates import mentioned_days
from trnews.text.turkish import turkish_lower
from trnews.output.folder import read_stories, write_article, write_digest, write_stories

LABELLED = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "stories.jsonl"


def article(id: str, title: str, paragraphs: list[str], published: str | None = None, url: str | None = None,
            credits: list[str] | None = None) -> CleanArticle:
    return CleanArticle(id=id, source=Source(path=f"{id}.txt", sha256="0" * 64, format="text"), title=title,
                        published=published, url=url, credits=credits or [],
                        paragraphs=[Paragraph(kind="text", text=p) for p in paragraphs], language="tr")


BRIDGE = [
    "Çanakkale'de Lapseki ile Gelibolu arasına yapılan yeni feribot iskelesi Salı günü törenle hizmete açıldı.",
    "Ulaştırma Bakanlığı, 340 milyon liraya mal olan iskelenin günde 6 bin aracı taşıyabileceğini açıkladı.",
    "Açılışta konuşan vali, bayram dönemlerinde yaşanan kilometrelerce kuyruğun sona ereceğini söyledi.",
    "İskelenin ilk seferi saat 14.00'te yapıldı ve yolcular kırmızı karanfillerle karşılandı.",
]
BRIDGE_OWN_WORDS = [
    "Lapseki-Gelibolu hattındaki yeni iskele bugün ilk araçlarını taşıdı.",
    "Yaklaşık 340 milyon liralık yatırımla tamamlanan iskele, Çanakkale Boğazı geçişinde bekleme süresini kısaltacak.",
    "Tören sonrası ilk seferde feribota binen sürücüler, bayramlarda saatlerce beklediklerini anlattı.",
    "Bakanlık yetkilileri, iskelenin günde 6 bin araç kapasitesine sahip olduğunu bildirdi.",
]
OLIVE = [
    "Ayvalık'ta zeytin hasadı yağışların gecikmesi nedeniyle bu yıl iki hafta geç başladı.",
    "Üreticiler, rekoltenin geçen yıla göre yüzde 40 düşük olmasını bekliyor.",
    "Zeytinyağı fabrikaları ise kilogram başına alım fiyatını henüz açıklamadı.",
]


SKI_OPENING = [
    "Kars Belediye Başkanı Orhan Yıldırım, Sarıkamış Cıbıltepe Kayak Merkezi'nde yeni sezonu törenle açtı.",
    "Yıldırım, belediyenin yenilediği teleferik hattıyla kayak merkezinin saatte 2 bin kişiyi taşıyabileceğini söyledi.",
    "Kars'a gelen turist sayısının bu kış yüzde 20 artmasını beklediklerini belirten Başkan Yıldırım, otellerin doluluk oranının yükseldiğini açıkladı.",
    "Törene Kars Valisi, milletvekilleri ve turizm işletmecileri katıldı.",
]
SKI_OWN_WORDS = [
    "Sarıkamış'ta kayak sezonu açıldı; Cıbıltepe'nin yenilenen teleferiği ilk misafirlerini taşıdı.",
    "Açılışta konuşan Kars Belediye Başkanı Orhan Yıldırım, teleferiğin saatte 2 bin kişi taşıyacağını söyledi.",
    "Turizm işletmecileri, Kars'ta otellerin doluluk oranının yüzde 90'a ulaştığını belirtti.",
    "Başkan Yıldırım, bu kış Kars'a gelen turist sayısının artacağını söyledi.",
]
CHEESE_FESTIVAL = [
    "Kars Belediye Başkanı Orhan Yıldırım, 7 Ağustos'ta düzenlenen Kars Kaşar ve Gravyer Festivali'ni açtı.",
    "Yıldırım, festivalin Kars'a gelen turist sayısını artırdığını, otellerin doluluk oranının yükseldiğini söyledi.",
    "Başkan Yıldırım, Sarıkamış ve Kars turizmi için belediyenin yatırımlarının süreceğini belirtti.",
    "Festivale Kars Valisi, milletvekilleri ve turizm işletmecileri katıldı.",
]

@pytest.mark.parametrize("opening_published", ["2025-12-20T11:00:00+03:00", None], ids=["dated", "undated"])
def test_undated_report_naming_a_day_months_away_is_another_event_of_the_same_people(
        tmp_path: Path, opening_published: str | None) -> None:
    # Undated, the opening names its day in the text instead.
    opening = SKI_OPENING if opening_published else [
        SKI_OPENING[0].replace("yeni sezonu", "20 Aralık Cumartesi günü yeni sezonu"), *SKI_OPENING[1:]]
    with StoryStore(tmp_path / "stories.sqlite") as store:
        assigned = store.assign([
            article("acilis", "Sarıkamış'ta kayak sezonu açıldı", opening, opening_published),
            # The same opening, undated, another headline, no day named: the text alone keeps it.
            article("acilis-yerel", "Cıbıltepe'de teleferik yeniden çalışıyor", SKI_OWN_WORDS),
            # The same mayor, the same guests, a festival on a day named in the text, months away.
            article("festival", "Kars'ta kaşar ve gravyer festivali başladı", CHEESE_FESTIVAL),
        ])
    assert assigned["acilis-yerel"] == assigned["acilis"]
    assert assigned["festival"] != assigned["acilis"]


def test_a_story_is_dated_by_its_members_own_dates_not_by_when_undated_ones_were_seen(tmp_path: Path) -> None:
    updated_only = article("guncel", "Sarıkamış'ta kayak sezonu açıldı", SKI_OPENING).model_copy(
        update={"updated": "2025-12-20T11:00:00+03:00"})
    with StoryStore(tmp_path / "stories.sqlite") as store:
        store.assign([updated_only, article("tarihsiz", "Cıbıltepe'de teleferik yeniden çalışıyor", SKI_OWN_WORDS)],
                     seen=datetime(2026, 3, 1, tzinfo=timezone.utc))
        (story,) = store.stories()
    assert len(story.article_ids) == 2
    assert story.first_published == story.last_published == "2025-12-20T11:00:00+03:00"


def test_a_story_of_undated_articles_has_no_dates_and_its_views_show_none(tmp_path: Path) -> None:
    with StoryStore(tmp_path / "stories.sqlite") as store:
        store.assign([article("aa", "İskele açıldı", BRIDGE), article("yerel", "İskele ilk araçlarını taşıdı", BRIDGE_OWN_WORDS)],
                     seen=datetime(2026, 3, 1, tzinfo=timezone.utc))
        (story,) = store.stories()
    assert story.article_ids == ["aa", "yerel"]
    # When the articles were seen is no publication date: the story does not know one.
    assert story.first_published is None and story.last_published is None
    out = tmp_path / "outputs"
    outputs = [output(i, [OPENING], [OPENING]) for i in story.article_ids]
    write_digest(outputs, date(2026, 3, 1), out, [with_outputs(story, outputs, sentences=1)])
    digest = (out / "digest-2026-03-01.md").read_text(encoding="utf-8")
    assert "2 articles · Kaynaklar · Sources:" in digest and "2026-03-01 " not in digest
    page = lxml.html.fromstring((out / "digest-2026-03-01.html").read_text(encoding="utf-8"))
    assert not page.xpath("//section[contains(@class, 'story')]//time")


def test_mentioned_days_are_compared_around_the_year_where_one_has_none() -> None:
    assert stories_module.days_apart((None, 12, 31), (2025, 1, 1)) == 1
    assert stories_module.days_apart((2024, 2, 18), (2024, 6, 19)) == 122
    text = "Araç 18 Şubat Pazar günü, ilki ise 19 Haziran 2024'te; 31 Şubat yok."
    assert mentioned_days(text) == [(None, 2, 18), (2024, 6, 19)]

def test_republished_agency_copy_is_a_near_duplicate_and_own_words_are_not() -> None:
    republished = [BRIDGE[0].replace("Salı günü", "dün"), *BRIDGE[1:3], "Haberin devamı için sayfamızı takip edin."]
    features = Features.of(["\n".join(BRIDGE), "\n".join(republished), "\n".join(BRIDGE_OWN_WORDS), "\n".join(OLIVE)])
    pairs = near_duplicate_pairs(features.signatures)
    assert pairs == {(0, 1)}


def test_near_duplicates_are_the_pairs_datasketchs_lsh_finds() -> None:
    from datasketch import MinHash, MinHashLSH

    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    texts = ["\n".join([r["title"], *r["paragraphs"]]) for r in rows]
    # Copies with a sentence dropped and a word changed: pairs on both sides of the threshold.
    texts += [text.replace(". ", ". Dün ", 1).rsplit(".", 2)[0] for text in texts[::3]]
    signatures = Features.of(texts).signatures
    sketches = [MinHash(num_perm=stories_module.MINHASH_PERMUTATIONS, hashvalues=row,
                        scheme=stories_module.MINHASH_SCHEME) for row in signatures]
    index = MinHashLSH(threshold=stories_module.NEAR_DUPLICATE_JACCARD, num_perm=stories_module.MINHASH_PERMUTATIONS)
    for position, sketch in enumerate(sketches):
        index.insert(position, sketch)
    expected = {(i, j) for i, sketch in enumerate(sketches) for j in index.query(sketch)
                if i < j and sketch.jaccard(sketches[j]) >= stories_module.NEAR_DUPLICATE_JACCARD}
    assert len(expected) >= len(texts[::3])
    assert near_duplicate_pairs(signatures) == expected
    assert near_duplicate_pairs(signatures[:1]) == set()


def test_sentences_told_twice_are_grouped_as_scikit_learns_character_tfidf_groups_them() -> None:
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    sentences = [s for r in rows for p in r["paragraphs"] for s in p.split(". ") if s]
    # Retold with small changes (a word dropped, a suffix changed, a number): near-identical or not.
    sentences += [s.replace(" ve ", " ", 1) for s in sentences[::4]] + [s.replace("'", "'nın ", 1) for s in sentences[::5]]
    sentences += ["İSTANBUL'da IŞIK  yandı", "istanbul'da ışık yandı", "a", "   "]
    counts = stories_module.character_ngram_counts(sentences)
    assert np.allclose(stories_module.tfidf_rows(counts).toarray(), TfidfTransformer().fit_transform(counts).toarray())
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=turkish_lower)
    vectors = reference.fit_transform(sentences)
    expected = connected_components((vectors @ vectors.T).toarray() >= stories_module.SAME_SENTENCE_SIMILARITY)[1]
    groups = stories_module.same_sentence_groups(sentences)
    assert len(set(groups)) < len(sentences) - 20  # the retold ones were found
    assert len({(g, e) for g, e in zip(groups, expected)}) == len(set(groups)) == len(set(expected))


@pytest.mark.parametrize("part", [1000, 5], ids=["one part", "parts of five"])
def test_labelled_set_groups_events_and_separates_same_actors_in_other_events(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: int) -> None:
    monkeypatch.setattr(store_module, "PART_ARTICLES", part)
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    articles = [article(r["id"], r["title"], r["paragraphs"], r["published"], r["url"], r["credits"]) for r in rows]
    store = StoryStore(tmp_path / "stories.sqlite")
    assigned = store.assign(articles)
    store.close()
    # Wire copy, its republications with edits and the same page under two URLs.
    assert len({assigned[i] for i in ("faiz-aa", "faiz-finans", "faiz-finans-amp", "faiz-yorum")}) == 1
    # Three outlets, their own words, one visit.
    assert len({assigned[i] for i in ("berlin-ankara-aa", "berlin-ankara-ekonomi", "berlin-ankara-dunya")}) == 1
    # The same leaders, the same day, another event; and two months later, a phone call.
    assert assigned["grup-toplantisi-a"] != assigned["berlin-ankara-aa"]
    assert assigned["telefon-iletisim"] != assigned["berlin-ankara-aa"]
    # The same city, two days later, another fire.
    assert assigned["yangin-karsiyaka-a"] != assigned["yangin-menderes-aa"]
    assert len(set(assigned.values())) == len({r["story"] for r in rows})


def test_similarity_compares_only_pairs_the_window_allows_and_equals_comparing_all(monkeypatch) -> None:
    """Rows compared in time blocks (a few at a time here) give exactly the matrix of comparing
    every pair and then zeroing those the window sets apart, undated rows included."""
    monkeypatch.setattr(similarity_module, "TIME_BLOCK_ROWS", 3)
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    features = Features.of(["\n".join([r["title"], *r["paragraphs"]]) for r in rows])
    views = stories_module.tfidf_views(features, Features.empty())
    seen = datetime(2025, 9, 1, tzinfo=timezone.utc)
    times = [datetime.fromisoformat(r["published"]) if r["published"] else seen for r in rows]
    dated = [bool(r["published"]) for r in rows]
    assert 0 < sum(dated) < len(rows)
    compared: list[tuple[int, int]] = []
    weighted_cosine = stories_module.weighted_cosine

    def counting(rows_, columns):
        compared.append((rows_["words"].shape[0], columns["words"].shape[0]))
        return weighted_cosine(rows_, columns)

    monkeypatch.setattr(similarity_module, "weighted_cosine", counting)
    banded = stories_module.similarity_matrix(views, features.signatures, times, 3, dated)
    expected = weighted_cosine(views, views)
    for i, j in near_duplicate_pairs(features.signatures):
        expected[i, j] = expected[j, i] = 1.0
    stamps = np.array([t.timestamp() for t in times])
    known = np.array(dated)
    expected[(np.abs(stamps[:, None] - stamps[None, :]) > 3 * 86400) & (known[:, None] == known[None, :])] = 0.0
    np.fill_diagonal(expected, 1.0)
    assert np.allclose(banded, np.clip(expected, 0.0, 1.0), atol=1e-12)
    assert sum(r * c for r, c in compared) < len(rows) ** 2  # not every pair was compared


def test_tomorrows_article_joins_yesterdays_story_across_store_instances(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "stories.sqlite"
    first = StoryStore(path)
    yesterday = first.assign([
        article("iskele-aa", "Lapseki-Gelibolu iskelesi hizmete açıldı", BRIDGE, "2025-06-10T15:00:00+03:00",
                "https://www.ajans.example/iskele", ["AA"]),
        article("zeytin", "Ayvalık'ta zeytin hasadı geç başladı", OLIVE, "2025-06-10T09:00:00+03:00"),
    ])
    first.close()

    second = StoryStore(path)
    # Another thread, as a Prefect task would use it.
    with ThreadPoolExecutor(1) as thread:
        today = thread.submit(second.assign, [
            article("iskele-yerel", "Yeni iskele ilk araçlarını taşıdı", BRIDGE_OWN_WORDS, "2025-06-11T08:30:00+03:00",
                    "https://www.canakkalehaber.example/iskele"),
        ]).result()
    later = second.assign([
        article("iskele-bir-ay-sonra", "Lapseki-Gelibolu iskelesinde ilk ay", BRIDGE_OWN_WORDS, "2025-07-15T10:00:00+03:00"),
    ])
    stories = second.stories()
    recent = second.stories(since=datetime(2025, 7, 1, tzinfo=timezone.utc))
    second.close()

    assert today["iskele-yerel"] == yesterday["iskele-aa"]
    assert yesterday["zeytin"] != yesterday["iskele-aa"]
    assert later["iskele-bir-ay-sonra"] not in {yesterday["iskele-aa"], yesterday["zeytin"]}
    bridge = stories[0]  # biggest first
    assert bridge.id == yesterday["iskele-aa"]
    assert bridge.article_ids == ["iskele-aa", "iskele-yerel"]
    assert bridge.sources == ["ajans.example", "AA", "canakkalehaber.example"]
    assert (bridge.first_published, bridge.last_published) == ("2025-06-10T15:00:00+03:00", "2025-06-11T08:30:00+03:00")
    assert [s.article_ids for s in recent] == [["iskele-bir-ay-sonra"]]


def test_a_store_of_an_older_schema_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "stories.sqlite"
    with StoryStore(path) as store:
        store.assign([article("iskele-aa", "Lapseki-Gelibolu iskelesi hizmete açıldı", BRIDGE, "2025-06-10T15:00:00+03:00")])
    with sqlite3.connect(path) as old:  # a schema this trnews does not write
        old.execute("ALTER TABLE features ADD COLUMN characters_terms BLOB NOT NULL DEFAULT x''")
        old.execute("PRAGMA user_version = 0")
    with StoryStore(path) as store:
        today = store.assign([article("iskele-yerel", "Yeni iskele ilk araçlarını taşıdı", BRIDGE_OWN_WORDS,
                                      "2025-06-11T08:30:00+03:00")])
        assert [story.article_ids for story in store.stories()] == [["iskele-yerel"]]
    assert today == {"iskele-yerel": story_id_for("iskele-yerel")}
    [aside] = [p for p in tmp_path.glob("stories.sqlite.older-*") if p.name.endswith("Z")]
    with sqlite3.connect(aside) as kept:
        assert kept.execute("SELECT id FROM articles").fetchall() == [("iskele-aa",)]


def test_an_article_seen_again_keeps_its_story(tmp_path: Path) -> None:
    bridge = article("iskele-aa", "Lapseki-Gelibolu iskelesi hizmete açıldı", BRIDGE, "2025-06-10")
    with StoryStore(tmp_path / "stories.sqlite") as store:
        first = store.assign([bridge])
        again = store.assign([bridge, article("zeytin", "Zeytin hasadı", OLIVE, "2025-06-10")])
    assert again["iskele-aa"] == first["iskele-aa"] != again["zeytin"]


def output(id: str, sentences: list[tuple[str, str]], summary: list[tuple[str, str]]) -> ArticleOutput:
    return ArticleOutput(
        id=id, source=Source(path=f"{id}.txt", sha256="0" * 64, format="text"),
        title=BilingualText(tr=f"{id} başlık", en=f"{id} title"),
        summary=[SentencePair(tr=tr, en=en) for tr, en in summary],
        paragraphs=[TranslatedParagraph(kind="text", sentences=[SentencePair(tr=tr, en=en) for tr, en in sentences])],
        removed=[], models=ModelsUsed(mt=ModelRef(id="mt"), summariser=ModelRef(id="extractive")), timings={},
    )


OPENING = ("Lapseki ile Gelibolu arasındaki yeni feribot iskelesi törenle hizmete açıldı.",
           "The new ferry pier between Lapseki and Gelibolu opened with a ceremony.")
OPENING_EDITED = ("Lapseki ile Gelibolu arasındaki yeni feribot iskelesi bugün törenle hizmete açıldı.",
                  "The new ferry pier between Lapseki and Gelibolu was opened today with a ceremony.")


def test_story_summary_counts_a_sentence_from_several_outlets_once_and_credits_them(tmp_path: Path) -> None:
    store = StoryStore(tmp_path / "stories.sqlite")
    store.assign([article("aa", "İskele açıldı", BRIDGE, "2025-06-10T15:00"),
                  article("yerel", "İskele ilk araçlarını taşıdı", BRIDGE_OWN_WORDS, "2025-06-10T18:00")])
    (story,) = store.stories()
    store.close()
    outputs = [
        output("aa", [OPENING, ("İskele günde 6 bin araç taşıyabilecek.", "The pier can carry 6,000 vehicles a day."),
                      ("Açılışta vali konuştu.", "The governor spoke at the opening.")], [OPENING]),
        output("yerel", [OPENING_EDITED, ("Sürücüler bayramlarda saatlerce bekliyordu.", "Drivers used to wait for hours."),
                         ("İlk sefer 14.00'te yapıldı.", "The first crossing was at 14:00.")], [OPENING_EDITED]),
        output("başka", [("Zeytin hasadı başladı.", "The olive harvest began.")], []),
    ]
    summary = story_summary(story, outputs, sentences=3)
    assert len(summary) == 3
    openings = [s for s in summary if "feribot iskelesi" in s.tr]
    assert len(openings) == 1
    assert openings[0].article_ids == ["aa", "yerel"]
    assert {i for s in summary for i in s.article_ids} == {"aa", "yerel"}
    assert all((s.tr, s.en) in {p for o in outputs for p in [(q.tr, q.en) for q in o.paragraphs[0].sentences]}
               for s in summary)

    completed = with_outputs(story, outputs, sentences=2)
    assert completed.title.en == "aa title" and len(completed.summary) == 2


def test_a_single_article_story_keeps_its_own_summary(tmp_path: Path) -> None:
    store = StoryStore(tmp_path / "stories.sqlite")
    store.assign([article("zeytin", "Zeytin hasadı", OLIVE, "2025-06-10")])
    (story,) = store.stories()
    store.close()
    own = output("zeytin", [("Hasat başladı.", "The harvest began."), ("Rekolte düşük.", "The yield is low.")],
                 [("Rekolte düşük.", "The yield is low.")])
    assert [(s.tr, s.en, s.article_ids) for s in story_summary(story, [own], sentences=3)] == [
        ("Rekolte düşük.", "The yield is low.", ["zeytin"])]


@pytest.mark.parametrize("window_days, same", [(3.0, False), (40.0, True)])
def test_the_time_window_is_configurable(tmp_path: Path, window_days: float, same: bool) -> None:
    store = StoryStore(tmp_path / "stories.sqlite", window_days=window_days)
    assigned = store.assign([article("a", "İskele açıldı", BRIDGE, "2025-06-10"),
                             article("b", "İskele açıldı", BRIDGE, "2025-07-10")])
    store.close()
    assert (assigned["a"] == assigned["b"]) is same


def test_outputs_list_stories_biggest_first_and_link_each_article_to_the_other_outlets(tmp_path: Path) -> None:
    store = StoryStore(tmp_path / "cache" / "stories.sqlite")
    store.assign([
        article("aa", "İskele açıldı", BRIDGE, "2025-06-10T15:00", "https://www.aa.example/iskele", ["AA"]),
        article("yerel", "İskele ilk araçlarını taşıdı", BRIDGE_OWN_WORDS, "2025-06-10T18:00",
                "https://canakkale.example/iskele"),
        article("zeytin", "Zeytin hasadı", OLIVE, "2025-06-10T09:00", "https://ege.example/zeytin"),
    ])
    outputs = [
        output("aa", [OPENING, ("İskele günde 6 bin araç taşıyacak.", "The pier will carry 6,000 vehicles a day.")], [OPENING]),
        output("yerel", [OPENING_EDITED, ("Sürücüler bekliyordu.", "Drivers used to wait.")], [OPENING_EDITED]),
        output("zeytin", [("Zeytin hasadı başladı.", "The olive harvest began.")], [("Zeytin hasadı başladı.", "The olive harvest began.")]),
    ]
    stories = [with_outputs(s, outputs, sentences=2) for s in store.stories()]
    store.close()
    out = tmp_path / "outputs"
    write_stories(stories, out)
    write_digest(outputs, date(2025, 6, 10), out, stories)
    by_article = {i: s for s in stories for i in s.article_ids}
    for o in outputs:
        write_article(o, out, by_article[o.id])

    assert read_stories(out) == stories
    bridge = stories[0]
    assert bridge.article_ids == ["aa", "yerel"] and bridge.article_outlets == {"aa": "aa.example", "yerel": "canakkale.example"}

    digest = (out / "digest-2025-06-10.md").read_text(encoding="utf-8")
    assert "1 story reported by several outlets, biggest first, then 1 other article" in digest
    assert digest.index("## aa title") < digest.index("## zeytin title")
    assert "Sources: aa.example; AA; canakkale.example" in digest
    # the shared opening, from both
    assert "[aa.example](articles/aa.md), [canakkale.example](articles/yerel.md)" in digest
    page = lxml.html.fromstring((out / "digest-2025-06-10.html").read_text(encoding="utf-8"))
    (section,) = page.xpath(f'//section[h2/@id="{bridge.id}"]')
    assert section.xpath(".//td[@class='from']/a/@href")[0:2] == ["articles/aa.html", "articles/yerel.html"]

    article_page = lxml.html.fromstring((out / "articles" / "aa.html").read_text(encoding="utf-8"))
    assert f"../stories.html#{bridge.id}" in article_page.xpath("//dd/a/@href")
    assert "yerel.html" in article_page.xpath("//dd/a/@href")  # beside it, in articles/
    stories_page = lxml.html.fromstring((out / "stories.html").read_text(encoding="utf-8"))
    assert stories_page.xpath(f'//h2[@id="{bridge.id}"]')
    olive_page = lxml.html.fromstring((out / "articles" / "zeytin.html").read_text(encoding="utf-8"))
    assert not [h for h in olive_page.xpath("//a/@href") if "stories.html" in h]

    listed = CliRunner().invoke(app, ["stories", "--output", str(out)], env={"COLUMNS": "160"})
    assert listed.exit_code == 0, listed.output
    assert bridge.id in listed.output and "canakkale.example" in listed.output and "zeytin" not in listed.output


def test_repeated_sentences_counts_what_republication_saved_in_translation() -> None:
    story = Story(id="story-1", title=BilingualText(tr="İskele", en=""), article_ids=["aa", "yerel", "portal"],
                  sources=[])
    sentences = {"aa": BRIDGE, "yerel": [*BRIDGE[:3], "Haberin devamı için takipte kalın."],
                 "portal": [BRIDGE[0], BRIDGE_OWN_WORDS[1]]}
    assert repeated_sentences(story, sentences) == 4
