"""What the learned line model (`learned`) sees of a line: features that carry across sites
because they describe the shape of text, not one site's words.

* the line itself: length, Turkish stopword density (jusText's list), sentence ends, a question,
  a verb-like last word, words that address the reader (`data/tr_reader_address.txt`: a page's
  prompts and polls speak to "siz", news prose reports), capitals, digits, punctuation, links
  and handles, and in Markdown sources the share of its text inside links (menus, breadcrumbs
  and related headlines are links, sentences mostly not);
* the lexicon (`lexicon`): how much of the line is UI vocabulary of Turkish news pages;
* its page: relative position, whether it lies before the first or after the last article
  sentence, how much of the page's prose lies before it, how many of its neighbours are article
  sentences or lines the rules dropped, how much UI vocabulary they hold, how long the run of
  non-sentence lines it stands in is (a widget row is many short lines in a row) and whether
  article sentences border that run (a subheading or a table is set in the article's prose, a
  widget row among the page's furniture), how many neighbours share its shape (table rows,
  list items), whether the same line recurs on the page (a header row repeated at the foot),
  and the share of the page's prose in its block and whether that block is in the article's tail;
* its words (`word_model`): the learned word model's probability of the line and, on average, of
  the kept lines around it (a poll's answers stand among a poll's words).

`PageContext.tail` marks the blocks of the article's tail (short blocks of kept lines below its
main block, `kept_blocks`), where the model judges sentences too. `PageContext.protected` marks
lines that are the writer's, however short, and the model never judges elsewhere (`learned`),
in or above the article's main block (below it, on the training sites, such lines were the
page's five times in six: a contact box or a playlist between a bio and a newsletter prompt):
the items of a list a line opens ("Günün kapanış fiyatları:"), up to the next sentence or
dropped line, a run of lines without UI words (or data rows) set between two sentences (a
subheading, a table inside the article: article text is contiguous), and the pieces of a broken
sentence (a line that stops on a comma or a lower-case word and runs on into an article
sentence: a hard wrap, or markup that split a sentence into blocks).

Every feature is a number; `FEATURES` names them in the order `line_features` returns them, and
the model's data file stores one coefficient per name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import UI_PHRASE_KEYS, addresses_reader, ui_coverage
from trnews.stages.clean.phrases import line_key, pattern_alternation
from trnews.stages.clean.reasons import REASON_TIME_STAMP, Verdict
from trnews.stages.clean.prose import (
    MIN_SENTENCE_STOPWORD_DENSITY, MIN_SENTENCE_WORDS, ends_sentence, inner_sentence_ends, is_all_caps,
    is_article_sentence, is_prose, is_question, stopword_density, word_count, words,
)
from trnews.stages.clean.word_model import WordModel

__all__ = [
    "FEATURES", "MIN_UI_SHARE_OF_SENTENCE", "PageContext", "ends_like_verb", "is_prompt", "kept_blocks",
    "line_features", "page_context", "reads_as_writers",
]

FEATURES = (
    "words", "short", "stopword-density", "sentence-end", "inner-sentences", "article-sentence", "verb-ending",
    "capitalised-words", "all-caps", "digits", "punctuation", "link-or-handle", "ui-coverage", "ui-phrase",
    "position", "before-first-sentence", "after-last-sentence", "sentences-around", "neighbour-ui",
    "repeated-on-page", "prose-before", "dropped-around", "non-sentence-run", "run-after-sentence",
    "run-before-sentence", "same-shape-around", "question", "reader-address", "in-tail-block",
    "block-prose-share", "word-score", "neighbour-word-score", "link-share",
)
# How many lines either side count as a line's neighbourhood.
CONTEXT_LINES = 2
MAX_SHORT_WORDS = 3
MIN_LIST_OPENING_WORDS = 3
# A list item may name a UI section ("Çeyrek altın 6.640 lira"), not be one.
MAX_LIST_ITEM_UI_SHARE = 0.5
MIN_SHORT_SENTENCE_WORDS = 4
# How many lines a hard-wrapped sentence may span.
MAX_WRAPPED_LINES = 6
# A line that is mostly UI words ("Haberi dinlemek için tıklayın") is no piece of a sentence.
MAX_WRAPPED_UI_SHARE = 0.5
# A sentence this much UI vocabulary ("Haberi dinlemek için tıklayın.") is the page's, not the writer's.
MIN_UI_SHARE_OF_SENTENCE = 0.5
# A block below the article's main block holding less than this share of the page's prose, and
# at most this many sentences, is its tail: on the 68 training sites such blocks held 65 lines of
# furniture written as sentences (author bios, disclaimers, newsletter and app prompts, related
# headlines), 158 other furniture lines and 8 article lines. Five sentences, not three, since the
# word model helps judge them (leave one site out on 100 sites, 2,441 article lines kept either
# way: 3,994 furniture lines removed, not 3,950); eight took 7 of sadedegel's gold sentences with
# paragraphs restored (a column's last section below its "*****"), a third of the prose lost more
# article lines.
MAX_TAIL_BLOCK_PROSE_SHARE = 0.25
MAX_TAIL_BLOCK_SENTENCES = 5
# The neighbours' word score of a line without kept neighbours: no evidence either way.
NEUTRAL_WORD_SCORE = 0.5
_VERB_ENDING = re.compile(rf"(?:{pattern_alternation('tr_verb_endings.txt')})$")
# A line's shape: letters, digits and the rest, each run collapsed ("İstanbul 17 derece": "Aa 0 a").
_SHAPE_RUNS = ((re.compile(r"[^\W\d_]*[A-ZÇĞİÖŞÜ][^\W\d_]*"), "A"), (re.compile(r"[^\W\d_]+"), "a"),
               (re.compile(r"\d+(?:[.,]\d+)*"), "0"))
_LINK = re.compile(r"https?://|www\.|@\w|#\w|\w\.(?:com|net|org|tr|example)\b")


@dataclass(frozen=True)
class PageContext:
    """What every line's page features need, computed once per page."""

    sentences: tuple[bool, ...]  # each line is an article sentence (`_is_context_sentence`)
    coverage: tuple[float, ...]  # ui_coverage of each line
    key_counts: Counter[str]
    first_sentence: int  # index of the first article sentence (len(lines) when none)
    last_sentence: int  # index of the last one (-1 when none)
    dropped: tuple[bool, ...]  # the rules dropped the line
    prose_before: tuple[float, ...]  # share of the page's article-sentence words before each line
    runs: tuple[int, ...]  # length of the run of kept non-sentence lines each line stands in
    bordered: tuple[tuple[bool, bool], ...]  # the kept line just before / after that run is a sentence
    shapes: tuple[str, ...]
    protected: tuple[bool, ...]  # a list item, or a line without UI words between article sentences
    block_share: tuple[float, ...]  # share of the page's prose in the run of kept lines the line stands in
    tail: tuple[bool, ...]  # the line stands in a block of the article's tail (`kept_blocks`)
    word_scores: tuple[float, ...]  # the word model's probability of each line


def _shape(text: str) -> str:
    for pattern, mark in _SHAPE_RUNS:
        text = pattern.sub(mark, text)
    return " ".join(text.split())


def _runs(loose: list[bool], sentences: list[bool], dropped: tuple[bool, ...], prompts: list[bool]
          ) -> tuple[tuple[int, ...], tuple[tuple[bool, bool], ...], tuple[bool, ...]]:
    """For each line, the length of the run of consecutive `loose` lines it stands in (0: none),
    whether the nearest kept line before and after that run is one of `sentences` (lines the
    rules dropped are passed over: a related-links box inside the article), and whether the run
    holds one of `prompts` (a poll: its question to the reader, then the answers)."""
    kept = [index for index, gone in enumerate(dropped) if not gone]
    lengths = [0] * len(loose)
    bordered = [(True, True)] * len(loose)
    polls = [False] * len(loose)
    start = 0
    while start < len(loose):
        end = start
        while end < len(loose) and loose[end]:
            end += 1
        before = [index for index in kept if index < start]
        after = [index for index in kept if index >= end]
        poll = any(prompts[start:end])
        for index in range(start, end):
            lengths[index] = end - start
            bordered[index] = (bool(before) and sentences[before[-1]], bool(after) and sentences[after[0]])
            polls[index] = poll
        start = end + 1
    return tuple(lengths), tuple(bordered), tuple(polls)


def kept_blocks(lines: list[Line], verdicts: list[Verdict]
                ) -> tuple[tuple[float, ...], tuple[bool, ...], tuple[bool, ...]]:
    """Each kept line's block (a run of kept lines between lines the rules dropped, but for a
    live blog's time stamps: its entries are one article): its share of the page's prose (the
    words of lines that read as the writer's), whether it is a tail block, and whether it lies
    below the block with the most prose (the article's main block). A tail
    block lies below the main block, with less than `MAX_TAIL_BLOCK_PROSE_SHARE` of the prose
    in at most `MAX_TAIL_BLOCK_SENTENCES` sentences. A page's furniture written as sentences
    (bios, disclaimers, prompts) stands there, cut off from the article by share rows, tags and
    headings; the article's own continuation below a photo credit or an ad mostly holds more
    prose, and the model judges the rest."""
    blocks: list[list[int]] = []
    open_block = False
    for index, verdict in enumerate(verdicts):
        if verdict.reason is None:
            if not open_block:
                blocks.append([])
            blocks[-1].append(index)
            open_block = True
        elif verdict.reason != REASON_TIME_STAMP:
            open_block = False
    writers = [[lines[i].text for i in block if reads_as_writers(lines[i].text)] for block in blocks]
    prose = [sum(word_count(text) for text in texts) for texts in writers]
    sentences = [sum(1 + inner_sentence_ends(text) for text in texts) for texts in writers]
    total = sum(prose)
    main = max(range(len(blocks)), key=lambda number: prose[number], default=0)
    shares, tail, below = [0.0] * len(lines), [False] * len(lines), [False] * len(lines)
    for number, block in enumerate(blocks):
        for index in block:
            below[index] = number > main
            shares[index] = _share(prose[number], total)
            tail[index] = number > main and shares[index] < MAX_TAIL_BLOCK_PROSE_SHARE \
                and sentences[number] <= MAX_TAIL_BLOCK_SENTENCES
    return tuple(shares), tuple(tail), tuple(below)


def _listed(lines: list[Line], dropped: tuple[bool, ...], sentences: tuple[bool, ...],
            coverage: tuple[float, ...]) -> tuple[bool, ...]:
    listed = [False] * len(lines)
    opened = False
    for index, line in enumerate(lines):
        if dropped[index]:
            opened = False
        elif _opens_list(line.text, coverage[index]):
            opened = True
        elif sentences[index]:
            opened = False
        elif opened and coverage[index] < MAX_LIST_ITEM_UI_SHARE:
            listed[index] = True
    return tuple(listed)


def _wrapped(lines: list[Line], dropped: tuple[bool, ...], coverage: tuple[float, ...]) -> tuple[bool, ...]:
    """Lines that stop mid-sentence (on a comma or a lower-case word), hold few UI words, and
    with the following kept lines that run on (`_runs_on`), up to a sentence end, make article
    sentences: a hard wrap, or a sentence a page's markup broke into blocks."""
    wrapped = [False] * len(lines)
    for index, line in enumerate(lines):
        last = line.text.rstrip()[-1:]
        if dropped[index] or coverage[index] >= MAX_WRAPPED_UI_SHARE or not (last == "," or last.islower()):
            continue
        joined = [line.text]
        for following in range(index + 1, min(len(lines), index + MAX_WRAPPED_LINES)):
            if dropped[following] or not _runs_on(lines[following - 1], lines[following]):
                break
            joined.append(lines[following].text)
            wrapped[index] = is_article_sentence(" ".join(joined))
            if wrapped[index] or ends_sentence(lines[following].text):
                break
    return tuple(wrapped)


def _runs_on(line: Line, following: Line) -> bool:
    """`following` may continue `line`'s sentence: same block, or `line` stops on a comma, or
    `following` starts in lower case or with an acronym ("... 2011 yılında" / "TBV ve TESİD
    ..."): a capitalised word after a blank line opens a new paragraph."""
    first_word = following.text.split(maxsplit=1)[0] if following.text.strip() else ""
    return (following.block == line.block or line.text.rstrip().endswith(",") or first_word[:1].islower()
            or is_all_caps(first_word))


def _opens_list(text: str, coverage: float) -> bool:
    """A line of several words without UI vocabulary that ends in ":" ("Günün kapanış fiyatları:")."""
    return text.rstrip().endswith(":") and word_count(text) >= MIN_LIST_OPENING_WORDS and coverage == 0


def ends_like_verb(text: str) -> bool:
    """The last word ends like a Turkish finite verb ("söyledi", "başlıyor")."""
    key = line_key(text)
    return bool(_VERB_ENDING.search(key.rsplit(" ", 1)[-1] if key else ""))


def reads_as_writers(text: str) -> bool:
    """The line reads as the writer's: it ends like a sentence ("- Bol su için.", "“Anladım.”"),
    holds article sentences without a final full stop ("... umrumda değil. Eminim ..."), or has
    the words, stopwords and verb ending of a sentence that lost its full stop ("... herkese
    bunu paylaş dedi")."""
    return ends_sentence(text) or is_article_sentence(text) or (
        word_count(text) >= MIN_SENTENCE_WORDS and stopword_density(text) >= MIN_SENTENCE_STOPWORD_DENSITY
        and ends_like_verb(text))


def is_prompt(text: str) -> bool:
    """One short sentence, or one question, that speaks to the reader (`addresses_reader`): "Bu
    haberi beğendiniz mi?", "E-posta hesabınız yayımlanmayacak.". A longer statement to the
    reader is a columnist's or an adviser's ("İyi bir saç modeli kişiliğinizle uyumlu
    olmalıdır."), and a line of several sentences holds the writer's too (a flattened page)."""
    short_or_question = word_count(text) < MIN_SENTENCE_WORDS or is_question(text)
    return short_or_question and not inner_sentence_ends(text) and addresses_reader(text)


def _writers_row(text: str, coverage: float) -> bool:
    """A line set between sentences that is the writer's: no UI words (a subheading), or a data
    row that names a few ("Dolar/TL 32,50 > Euro/TL 35,10"); a button row is neither."""
    return coverage == 0 or (coverage < MAX_LIST_ITEM_UI_SHARE and any(ch.isdigit() for ch in text))


def _is_short_verb_sentence(text: str, coverage: float) -> bool:
    """Ends like a sentence and a Turkish verb, without UI words ("Oylama bitti.")."""
    return ends_sentence(text) and coverage == 0 and ends_like_verb(text)


def _is_context_sentence(text: str, coverage: float) -> bool:
    """An article sentence, or a short one that ends like a Turkish verb and holds no UI words
    ("Çayspor deplasmandan beraberlikle döndü.")."""
    if is_article_sentence(text):
        return True
    return is_prose(text) and word_count(text) >= MIN_SHORT_SENTENCE_WORDS and coverage == 0 and ends_like_verb(text)


def page_context(lines: list[Line], verdicts: list[Verdict], *, word_model: WordModel) -> PageContext:
    """Everything the page features need, once per page: `verdicts` are the rules' verdicts,
    `word_model` the word model the line model was trained with."""
    coverage = tuple(ui_coverage(line.text) for line in lines)
    sentences = tuple(_is_context_sentence(line.text, share) for line, share in zip(lines, coverage))
    indices = [index for index, sentence in enumerate(sentences) if sentence]
    dropped = tuple(verdict.reason is not None for verdict in verdicts)
    sentence_words = [word_count(line.text) if sentence else 0 for line, sentence in zip(lines, sentences)]
    total = sum(sentence_words)
    before, seen = [], 0
    for count in sentence_words:
        before.append(_share(seen, total))
        seen += count
    # A run is bordered by the writer's sentences of any length ("Oylama bitti." closes a
    # paragraph too), not by the page's prompts or UI sentences.
    prompts = [is_prompt(line.text) for line in lines]
    borders = [not gone and (sentence or _is_short_verb_sentence(line.text, share))
               and not prompt and share < MIN_UI_SHARE_OF_SENTENCE
               for line, sentence, gone, share, prompt in zip(lines, sentences, dropped, coverage, prompts)]
    loose = [not border and not gone for border, gone in zip(borders, dropped)]
    runs, bordered, polls = _runs(loose, borders, dropped, prompts)
    block_share, tail, below = kept_blocks(lines, verdicts)
    return PageContext(
        sentences=sentences,
        coverage=coverage,
        key_counts=Counter(line_key(line.text) for line in lines),
        first_sentence=indices[0] if indices else len(lines),
        last_sentence=indices[-1] if indices else -1,
        dropped=dropped,
        prose_before=tuple(before),
        runs=runs,
        bordered=bordered,
        shapes=tuple(_shape(line.text) for line in lines),
        protected=tuple(
            not below[index] and (item or wrapped
                                  or (all(bordered[index]) and runs[index] > 0 and not polls[index]
                                      and _writers_row(lines[index].text, coverage[index])))
            for index, (item, wrapped) in enumerate(zip(_listed(lines, dropped, sentences, coverage),
                                                        _wrapped(lines, dropped, coverage)))
        ),
        block_share=block_share,
        tail=tail,
        word_scores=tuple(word_model.probability(line.text) for line in lines),
    )


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def line_features(lines: list[Line], index: int, context: PageContext) -> list[float]:
    """The values of `FEATURES` for line `index` of a page."""
    text = lines[index].text
    line_words = words(text)
    characters = [ch for ch in text if not ch.isspace()]
    key = line_key(text)
    around = [i for i in range(index - CONTEXT_LINES, index + CONTEXT_LINES + 1) if 0 <= i < len(lines) and i != index]
    kept_around = [context.word_scores[i] for i in around if not context.dropped[i]]
    return [
        math.log1p(word_count(text)),
        float(word_count(text) <= MAX_SHORT_WORDS),
        stopword_density(text),
        float(ends_sentence(text)),
        float(min(inner_sentence_ends(text), 3)),
        float(context.sentences[index]),
        float(ends_like_verb(text)),
        _share(sum(word[0].isupper() for word in line_words), len(line_words)),
        float(is_all_caps(text)),
        _share(sum(ch.isdigit() for ch in characters), len(characters)),
        _share(sum(not ch.isalnum() for ch in characters), len(characters)),
        float(bool(_LINK.search(text))),
        context.coverage[index],
        float(key in UI_PHRASE_KEYS),
        _share(index, len(lines) - 1),
        float(index < context.first_sentence),
        float(index > context.last_sentence),
        _share(sum(context.sentences[i] for i in around), len(around)),
        max((context.coverage[i] for i in around), default=0.0),
        float(context.key_counts[key] > 1),
        context.prose_before[index],
        _share(sum(context.dropped[i] for i in around), len(around)),
        math.log1p(context.runs[index]),
        float(context.bordered[index][0]),
        float(context.bordered[index][1]),
        _share(sum(context.shapes[i] == context.shapes[index] for i in around), len(around)),
        float(is_question(text)),
        float(addresses_reader(text)),
        float(context.tail[index]),
        context.block_share[index],
        context.word_scores[index],
        sum(kept_around) / len(kept_around) if kept_around else NEUTRAL_WORD_SCORE,
        lines[index].link_share,
    ]
