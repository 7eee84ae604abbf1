"""Cleaning quality: on sites left out of the line model's training, and on pages nobody here
wrote (sadedegel 0.21.2's 98 raw Turkish news pages).

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/clean_quality.py                  # held-out sites, then sadedegel
    .venv/bin/python benchmarks/clean_quality.py --sites-only     # held-out sites only (seconds)
    .venv/bin/python benchmarks/clean_quality.py --seeds DIR      # also print the cleaned seeds
    .venv/bin/python benchmarks/clean_quality.py --list 40        # list more of what remains

The wheel is downloaded once with `pip download sadedegel==0.21.2 --no-deps` into
`benchmarks/.cache/` (git-ignored) and read with zipfile (the package does not install on
Python 3.11): `sadedegel/dataset/raw/*.txt` are the pages, each flattened to one line;
`sadedegel/dataset/sents/*.json` the gold sentences of each article.

Each page is cleaned as shipped (one line) and with its paragraph breaks restored (every
whitespace run holding a no-break space becomes a blank line), each both alone (no site
statistics) and with a `TemplateStats` that observed the whole folder first (one source, as in a
nightly batch). Measured, per set-up:

* gold sentences kept: a gold sentence counts as kept when its text (whitespace collapsed) is
  in the cleaned body (paragraphs joined by a space), is the title (sadedegel's gold includes
  the headline where the page has one), or starts with the title and goes on in the body;
* articles skipped (a `skip_reason`);
* non-article text kept: what is left of the body once every gold sentence is taken out, as
  fragments; the most common are listed for a person to judge (a page widget or not);
* default summaries (3 sentences, `trnews.stages.summarise.extractive_summary` on the segmented Turkish
  text) holding non-gold text, with those fragments listed.

Nothing in trnews knows this site: the same cleaner runs on pages it has never seen.

Held-out sites (`held_out_sites`): the hand-labelled pages of the training rounds of
`data/clean_sites/` (`clean_sites.TRAINING`, each site built differently; `clean_sites.py`). For
every site, a line model is trained on all the other sites (`line_model.held_out_models`: one
threshold for all, found over their held-out predictions as the shipped model's is) and the
held-out site's pages are cleaned with it; beside it, the same pages cleaned by the rules alone. Per site
and overall: furniture lines (N, D, C) removed, article lines (B, H) kept, titles found as
labelled.

Unseen sites (`unseen_sites`): the rounds held out (`clean_sites.UNSEEN_ROUNDS`), on which
nothing was trained or chosen, each cleaned with a model trained on all the training sites, as
the shipped one is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import clean_sites
import line_model
from clean_sites import normalise
from trnews.stages.clean.site_templates import TemplateStats
from trnews.stages.clean import clean_article, clean_text
from trnews.stages.clean.learned import LineModel
from trnews.records import (
    BilingualText, CleanArticle, RawArticle, SentencePair, Source, TranslatedArticle, TranslatedParagraph,
)
from trnews.stages.segment import split_sentences
from trnews.stages.summarise import extractive_summary

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
WHEEL = "sadedegel-0.21.2-py3-none-any.whl"
SUMMARY_SENTENCES = 3
# How the benchmark restores paragraph breaks (independently of trnews's own unflattening).
NBSP_RUN = re.compile(r"[ \t]*\u00a0[\s\u00a0]*")


def wheel_path(cache: Path) -> Path:
    path = cache / WHEEL
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "sadedegel==0.21.2", "--no-deps", "-d", str(cache)],
            check=True,
        )
    return path


@dataclass
class Page:
    name: str
    text: str
    gold: list[str]


def load_pages(wheel: Path) -> list[Page]:
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("sadedegel/dataset/raw/") and n.endswith(".txt"))
        return [
            Page(
                name=Path(name).stem,
                text=archive.read(name).decode("utf-8"),
                gold=json.loads(archive.read(name.replace("/raw/", "/sents/").replace(".txt", ".json")))["sentences"],
            )
            for name in names
        ]


def raw_article(folder: Path, name: str, text: str) -> RawArticle:
    path = folder / f"{name}.txt"
    return RawArticle(
        id=name, text=text,
        source=Source(path=str(path), sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), format="text"),
    )


def summary_of(article: CleanArticle) -> list[str]:
    paragraphs = [
        TranslatedParagraph(kind=p.kind, sentences=[SentencePair(tr=s, en=s) for s in split_sentences(p.text)])
        for p in article.paragraphs
    ]
    translated = TranslatedArticle(
        article=article, title=BilingualText(tr=article.title, en=article.title), paragraphs=paragraphs,
    )
    return [pair.tr for pair in extractive_summary(translated, SUMMARY_SENTENCES)]


def residue(text: str, gold: list[str]) -> list[str]:
    """What is left of `text` once every gold sentence is taken out, as fragments with a letter."""
    left = normalise(text)
    for sentence in sorted((normalise(g) for g in gold), key=len, reverse=True):
        left = left.replace(sentence, "\n")
    return [piece.strip() for piece in left.split("\n") if re.search(r"[^\W\d_]", piece)]


@dataclass
class Result:
    gold: int = 0
    kept: int = 0
    skipped: int = 0
    summaries_with_residue: int = 0
    residues: Counter[str] = field(default_factory=Counter)
    summary_residues: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    seconds: float = 0.0


def measure(pages: list[Page], restored: bool, learned: bool, workdir: Path) -> Result:
    folder = workdir / ("restored" if restored else "shipped")
    articles = [
        raw_article(folder, page.name, NBSP_RUN.sub("\n\n", page.text) if restored else page.text) for page in pages
    ]
    stats = TemplateStats(workdir / f"templates-{folder.name}.sqlite") if learned else None
    if stats is not None:
        stats.observe(articles)
    result = Result()
    for page, raw in zip(pages, articles):
        template = stats.template_for(raw) if stats is not None else None
        started = time.perf_counter()
        article = clean_article(raw, template)
        result.seconds += time.perf_counter() - started
        body = normalise(" ".join(p.text for p in article.paragraphs))
        title = normalise(article.title)
        result.gold += len(page.gold)
        for sentence in page.gold:
            # sadedegel's gold includes the headline where the page has one: as the title it is
            # kept, and so is a gold sentence whose first words became the title. A sentence lost
            # inside a long title (the whole page as a title) is not kept.
            text = normalise(sentence)
            if text in body or text == title or (text in f"{title} {body}" and text not in title):
                result.kept += 1
            else:
                result.lost.append(f"{page.name}: {normalise(sentence)[:100]}")
        result.skipped += article.skip_reason is not None
        result.residues.update(residue(f"{title} {body}", page.gold))
        # A summary sentence that lies inside the gold text is article text, even where trnews
        # and sadedegel cut sentences differently.
        gold_text = normalise(" ".join(page.gold))
        summary_residue = [
            piece for sentence in summary_of(article) if normalise(sentence) not in gold_text
            for piece in residue(sentence, page.gold)
        ]
        result.summaries_with_residue += bool(summary_residue)
        result.summary_residues.update(summary_residue)
    if stats is not None:
        stats.close()
    return result


def report(pages: list[Page], listed: int) -> None:
    print(f"sadedegel 0.21.2: {len(pages)} raw pages, {sum(len(p.gold) for p in pages)} gold sentences\n")
    print("| input | site statistics | gold sentences kept | articles skipped | non-gold fragments kept"
          " (distinct) | summaries with non-gold text | ms per article |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for restored in (False, True):
            for learned in (False, True):
                result = measure(pages, restored, learned, Path(tmp) / f"{restored}-{learned}")
                results[restored, learned] = result
                print(
                    f"| {'paragraphs restored' if restored else 'as shipped (one line)'} "
                    f"| {'observed the corpus' if learned else 'none'} "
                    f"| {result.kept}/{result.gold} ({100 * result.kept / result.gold:.1f} %) | {result.skipped} "
                    f"| {sum(result.residues.values())} ({len(result.residues)}) "
                    f"| {result.summaries_with_residue}/{len(pages)} | {1000 * result.seconds / len(pages):.1f} |"
                )
    for (restored, learned), result in results.items():
        title = f"{'restored' if restored else 'as shipped'}, {'with' if learned else 'without'} site statistics"
        print(f"\n## {title}\n\nnon-gold fragments kept, most common first:")
        for text, count in result.residues.most_common(listed):
            print(f"  {count:3d} × {text[:110]!r}")
        print("in summaries:")
        for text, count in result.summary_residues.most_common(listed):
            print(f"  {count:3d} × {text[:110]!r}")
        print(f"gold sentences lost ({len(result.lost)}):")
        for line in result.lost[:listed]:
            print(f"  {line}")


def show_seeds(folder: Path) -> None:
    """Clean every page in `folder` (one source: its statistics observed first) and print it."""
    articles = [raw_article(folder, path.stem, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp, TemplateStats(Path(tmp) / "templates.sqlite") as stats:
        stats.observe(articles)
        templates = [stats.template_for(raw) for raw in articles]
    for path_raw, template in zip(articles, templates):
        article = clean_article(path_raw, template)
        path = Path(path_raw.source.path)
        print(f"\n## {path.name}: title {article.title!r}, published {article.published}, updated {article.updated}, "
              f"credits {article.credits}, skip {article.skip_reason}")
        for paragraph in article.paragraphs:
            print(f"  [{paragraph.kind}] {paragraph.text[:100]}")
        for item in article.removed:
            print(f"  - {item.reason}: {item.text[:90]!r}")


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "-"


def held_out_sites(listed: int) -> None:
    """Leave one site out: train on the others, clean the held-out site; rules alone beside it."""
    sites = clean_sites.read_sites()
    print(f"held-out sites: {len(sites)} sites, {sum(len(p) for p in sites.values())} pages\n")
    models = line_model.held_out_models(sites)
    score_table(sites, models.__getitem__, listed)


def score_table(sites: dict[str, list[clean_sites.Page]], model_for: Callable[[str], LineModel], listed: int) -> None:
    """Each site's pages cleaned by the rules alone and with `model_for(site)`: furniture removed,
    body kept and titles right per site and overall, then what is left and what was lost."""
    print("| site | furniture removed: rules | furniture removed: rules + model | body kept: rules"
          " | body kept: rules + model | titles right |")
    print("|---|---|---|---|---|---|")
    totals = {"rules": clean_sites.Score(), "model": clean_sites.Score()}
    for site, pages in sites.items():
        model = model_for(site)
        scores = {"rules": clean_sites.Score(), "model": clean_sites.Score()}
        for page in pages:
            raw = clean_sites.render(page)
            scores["rules"].add(clean_sites.score(page, clean_text(raw, line_model=line_model.RULES_ONLY)))
            scores["model"].add(clean_sites.score(page, clean_text(raw, line_model=model)))
        for name in totals:
            totals[name].add(scores[name])
        rules, learned = scores["rules"], scores["model"]
        print(f"| {site} | {_percent(rules.furniture_removed, rules.furniture)} "
              f"| {_percent(learned.furniture_removed, learned.furniture)} | {_percent(rules.body_kept, rules.body)} "
              f"| {_percent(learned.body_kept, learned.body)} | {learned.titles_right}/{learned.titles} |")
    rules, learned = totals["rules"], totals["model"]
    print(f"| **all** | {_percent(rules.furniture_removed, rules.furniture)} "
          f"| {_percent(learned.furniture_removed, learned.furniture)} | {_percent(rules.body_kept, rules.body)} "
          f"| {_percent(learned.body_kept, learned.body)} | {learned.titles_right}/{learned.titles} |")
    print(f"\nfurniture left (rules + model, {len(learned.left)}):")
    for line in learned.left[:listed]:
        print(f"  {line}")
    print(f"body lost (rules + model, {len(learned.lost)}):")
    for line in learned.lost[:listed]:
        print(f"  {line}")
    print()


def unseen_sites(listed: int) -> None:
    """Each round of sites nothing was fitted to, cleaned with a model trained on every other
    site (as the shipped one is), the rules alone beside it."""
    model = line_model.train(clean_sites.read_sites())
    for name, folder in clean_sites.UNSEEN_ROUNDS.items():
        sites = clean_sites.read_sites((folder,))
        if not sites:
            continue
        print(f"unseen sites, {name} ({folder.name}/): {len(sites)} sites, {sum(len(p) for p in sites.values())} pages, "
              "cleaned with a model trained on all the sites above\n")
        score_table(sites, lambda site: model, listed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the sadedegel wheel is kept")
    parser.add_argument("--list", type=int, default=15, help="fragments to list per set-up")
    parser.add_argument("--seeds", type=Path, help="also clean these .txt pages and print the result")
    parser.add_argument("--sites-only", action="store_true", help="only the held-out sites")
    args = parser.parse_args()
    held_out_sites(args.list)
    unseen_sites(args.list)
    if args.sites_only:
        return
    report(load_pages(wheel_path(args.cache)), args.list)
    if args.seeds:
        show_seeds(args.seeds)


if __name__ == "__main__":
    main()
