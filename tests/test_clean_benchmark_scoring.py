"""The cleaning benchmark's scorer (benchmarks/clean_sites.py): its figures are only as honest as
its reading of which labelled lines a cleaned article still holds."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import clean_sites  # noqa: E402


def _page(*lines: tuple[str, str]) -> clean_sites.Page:
    page = clean_sites.Page("site", "plain", 0, "Başlık")
    page.lines = [clean_sites.Labelled(label, text, False) for label, text in lines]
    return page


def _article(*paragraphs: str) -> SimpleNamespace:
    return SimpleNamespace(title="Başlık", paragraphs=[SimpleNamespace(text=text) for text in paragraphs])


PAGE = _page(
    ("B", "Van'da kar yağışı başladı ve yollar kapandı."),
    ("N", "Van'da"),
    ("N", "Paylaş"),
    ("C", "Rapor: Ali Kaya, Van'da muhabir"),
)


def test_a_tag_word_inside_the_article_is_not_furniture_left():
    score = clean_sites.score(PAGE, _article("Van'da kar yağışı başladı ve yollar kapandı."))
    assert (score.body_kept, score.furniture_removed, score.left) == (1, 3, [])


def test_a_tag_word_standing_on_its_own_is_furniture_left():
    score = clean_sites.score(PAGE, _article("Van'da kar yağışı başladı ve yollar kapandı. Paylaş", "Van'da"))
    assert score.furniture_removed == 1
    assert score.left == ["site: Van'da", "site: Paylaş"]


def test_a_word_inside_a_furniture_line_left_counts_once():
    article = _article("Van'da kar yağışı başladı ve yollar kapandı.", "Rapor: Ali Kaya, Van'da muhabir")
    score = clean_sites.score(PAGE, article)
    assert score.left == ["site: Rapor: Ali Kaya, Van'da muhabir"]


def test_an_article_line_lost_is_reported():
    score = clean_sites.score(PAGE, _article("Paylaş"))
    assert score.body_kept == 0
    assert score.lost == ["site: Van'da kar yağışı başladı ve yollar kapandı."]
    assert score.left == ["site: Paylaş"]
