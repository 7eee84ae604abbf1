"""Train the cleaner's learned line model and write `src/trnews/data/line_model.json`.

    PYTHONPATH=src .venv/bin/python benchmarks/line_model.py          # train on every site, write the file
    PYTHONPATH=src .venv/bin/python benchmarks/line_model.py --show   # also print the coefficients

Training rows are the lines the cleaner's rules keep on the hand-labelled pages of
`benchmarks/data/clean_sites/` (the model only ever judges those), each labelled article text
(B, H) or furniture (N, D, C) by the labelled line it is; lines the splitter could not separate
from their neighbours carry no single label and are left out. The UI phrases of
`news_ui_phrases.tsv` join as furniture rows, each placed after the last line of a training page,
at a third of a page's weight.

The model is scikit-learn's logistic regression on standardised features, with balanced class
weights; only its numbers are shipped (JSON), and the cleaner scores lines with them itself. The
decision threshold is the highest that keeps `BODY_RECALL` of the article lines in
leave-one-site-out predictions on the training sites: losing a sentence costs more than leaving
a button.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from clean_sites import DROP, KEEP, Page, label_of, read_sites, render
from trnews.stages.clean.article import rule_verdicts
from trnews.stages.clean.layout import Line
from trnews.stages.clean.learned import LineModel, judged_lines
from trnews.stages.clean.line_features import FEATURES, line_features, page_context
from trnews.text.datafiles import data_lines

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "trnews" / "data" / "line_model.json"
REGULARISATION = 1.0  # scikit-learn's C
LEXICON_WEIGHT = 1 / 3
BODY_RECALL = 0.995
# Never drop a line the model is this unsure of, whatever the threshold search says.
MAX_THRESHOLD = 0.5
# The rules alone: a model that drops nothing (the baseline, and the title search while training).
RULES_ONLY = LineModel(coefficients=(0.0,) * len(FEATURES), means=(0.0,) * len(FEATURES),
                       scales=(1.0,) * len(FEATURES), intercept=0.0, threshold=0.0)


def page_rows(page: Page) -> tuple[list[list[float]], list[int]]:
    """Features and labels (1: article text) of the lines the rules keep on one page."""
    _title, lines, verdicts = rule_verdicts(render(page), None, RULES_ONLY)
    context = page_context(lines)
    rows, labels = [], []
    for index in judged_lines(lines, verdicts, context):
        label = label_of(lines[index].text, page)
        if label in KEEP | DROP:
            rows.append(line_features(lines, index, context))
            labels.append(int(label in KEEP))
    return rows, labels


def lexicon_rows(pages: list[Page]) -> list[list[float]]:
    """Each `line` UI phrase as a line of a training page (round robin), in turn at its top,
    after its first sentence and at its foot, so that where it stands teaches nothing."""
    phrases = [row.split("\t")[0] for row in data_lines("news_ui_phrases.tsv") if row.split("\t")[2] == "line"]
    rows = []
    for number, (phrase, page) in enumerate(zip(phrases, itertools.cycle(pages))):
        _title, lines, _verdicts = rule_verdicts(render(page), None, RULES_ONLY)
        at = (0, min(2, len(lines)), len(lines))[number % 3]
        lines = [*lines[:at], Line(phrase, -1, False), *lines[at:]]
        rows.append(line_features(lines, at, page_context(lines)))
    return rows


def _fit(rows: list[list[float]], labels: list[int], weights: list[float]) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(rows)
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=2000)
    model.fit(scaler.transform(rows), labels, sample_weight=weights)
    return scaler, model


def _to_line_model(scaler: StandardScaler, model: LogisticRegression, threshold: float) -> LineModel:
    scales = [float(s) if s > 0 else 1.0 for s in scaler.scale_]
    return LineModel(coefficients=tuple(float(c) for c in model.coef_[0]), means=tuple(float(m) for m in scaler.mean_),
                     scales=tuple(scales), intercept=float(model.intercept_[0]), threshold=threshold)


def _dataset(sites: dict[str, list[Page]]) -> tuple[dict[str, tuple[list[list[float]], list[int]]], list[list[float]]]:
    per_site = {}
    for name, pages in sites.items():
        rows, labels = [], []
        for page in pages:
            page_x, page_y = page_rows(page)
            rows += page_x
            labels += page_y
        per_site[name] = (rows, labels)
    return per_site, lexicon_rows([page for pages in sites.values() for page in pages])


def _fit_sites(per_site: dict[str, tuple[list[list[float]], list[int]]], lexicon: list[list[float]],
               names: list[str]) -> tuple[StandardScaler, LogisticRegression]:
    rows = [row for name in names for row in per_site[name][0]] + lexicon
    labels = [label for name in names for label in per_site[name][1]] + [0] * len(lexicon)
    weights = [1.0] * (len(rows) - len(lexicon)) + [LEXICON_WEIGHT] * len(lexicon)
    return _fit(rows, labels, weights)


def _threshold(per_site: dict[str, tuple[list[list[float]], list[int]]], lexicon: list[list[float]]) -> float:
    """The highest threshold (at most `MAX_THRESHOLD`) at which leave-one-site-out predictions
    keep `BODY_RECALL` of the article lines."""
    body_probabilities = []
    for held_out in per_site:
        rows, labels = per_site[held_out]
        if not rows:
            continue
        scaler, model = _fit_sites(per_site, lexicon, [name for name in per_site if name != held_out])
        probabilities = model.predict_proba(scaler.transform(rows))[:, 1]
        body_probabilities += [p for p, label in zip(probabilities, labels) if label]
    ordered = sorted(body_probabilities)
    allowed_losses = int(len(ordered) * (1 - BODY_RECALL))
    return float(min(MAX_THRESHOLD, ordered[allowed_losses] if ordered else MAX_THRESHOLD))


def train(sites: dict[str, list[Page]], tune_threshold: bool = True) -> LineModel:
    """A line model trained on `sites` (threshold from leave-one-site-out within them)."""
    per_site, lexicon = _dataset(sites)
    threshold = _threshold(per_site, lexicon) if tune_threshold and len(per_site) > 1 else MAX_THRESHOLD
    scaler, model = _fit_sites(per_site, lexicon, list(per_site))
    return _to_line_model(scaler, model, threshold)


def model_json(model: LineModel, sites: dict[str, list[Page]]) -> dict[str, object]:
    return {
        "about": "trnews learned line model: logistic regression, made by benchmarks/line_model.py",
        "features": list(FEATURES),
        "coefficients": [round(c, 6) for c in model.coefficients],
        "means": [round(m, 6) for m in model.means],
        "scales": [round(s, 6) for s in model.scales],
        "intercept": round(model.intercept, 6),
        "threshold": round(model.threshold, 6),
        "trained_on": {"sites": sorted(sites), "pages": sum(len(p) for p in sites.values()),
                       "scikit_learn": sklearn.__version__, "C": REGULARISATION},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print the coefficients")
    args = parser.parse_args()
    sites = read_sites()
    model = train(sites)
    OUTPUT.write_text(json.dumps(model_json(model, sites), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} (threshold {model.threshold:.3f})")
    if args.show:
        for name, coefficient in sorted(zip(FEATURES, model.coefficients), key=lambda pair: pair[1]):
            print(f"  {coefficient:+.2f}  {name}")


if __name__ == "__main__":
    main()
