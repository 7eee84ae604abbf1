"""Passes over neighbouring lines: the link list under a "related" heading goes with it,
everything below the article's end (its comment section's chrome or its tag list) goes, a
caption that ends in a source credit and repeats the text before it goes too, and so does a
caption above its photo's credit. A caption that ends in a parenthesised source ("... kuyruk
oluştu. (X/Valilik Haberleri)") is otherwise article text."""

from __future__ import annotations

import re

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import addresses_reader, is_comment_counter, is_ui_line
from trnews.stages.clean.line_features import ends_like_verb, kept_blocks
from trnews.stages.clean.metadata import CAPITALISED_NAME, person_names
from trnews.stages.clean.phrases import alternatives, line_key, phrase_keys
from trnews.stages.clean.prose import (
    ends_sentence, inner_sentence_ends, is_article_sentence, is_prose, is_question, sentence_pieces, word_count,
)
from trnews.stages.clean.reasons import (
    KEPT, REASON_AFTER_TAG_LIST, REASON_AUTHOR_BIO, REASON_BOILERPLATE, REASON_CAPTION, REASON_COMMENT_FORM,
    REASON_COMMENT_SECTION, REASON_CREDIT, REASON_DUPLICATE_CAPTION, REASON_IMAGE, REASON_LEARNED_BOILERPLATE,
    REASON_METADATA_LABEL, REASON_RELATED_LINKS, REASON_SIDEBAR_BOX, Verdict,
)
from trnews.stages.clean.rules import is_related_heading, is_tag_list
from trnews.stages.clean.titles import is_title_like
from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

__all__ = [
    "article_end", "keep_names_inside_sentences", "keep_numbered_steps", "mark_after_article_end",
    "mark_author_bios", "mark_boxes_under_dropped_headings", "mark_captions", "mark_duplicate_captions",
    "mark_question_boxes", "mark_related_links",
]

_TRAILING_SOURCE = re.compile(r"\s*\((?P<source>[^()]{2,60})\)\W*$")
_MEDIA_OPENING = re.compile(rf"^[(\[]?\s*(?:{alternatives(data_lines('media_labels.txt'))})")
# A photo's credit naming its source and its photographer after a colon ("Fotoğraf: Piyasa
# Pusulası / Okan Berk"), not a counter ("Fotoğraf 1 / 9", "Fotoğraf 1/3: ...").
_NAMED_MEDIA_CREDIT = re.compile(rf"{_MEDIA_OPENING.pattern}\w*\s*:\s*[^\d\s/][^/]*/\s*[^\d\s/]")
MAX_MEDIA_CREDIT_WORDS = 12
# A link to a writer's other pieces, folded: "Yazarın tüm yazıları", "Yazarın Diğer Yazıları",
# "Tüm yazıları", "Yazarı X'te takip et"; glued at a line's end: "... yazıyor. Yazarın tüm yazıları »".
_WRITERS_PIECES = r"yazar\w*\s+(?:tum|diger|butun)\s+yazi\w*"
_AUTHOR_LINK = re.compile(rf"^\W*(?:{_WRITERS_PIECES}|tum yazilari\w*|yazari\s+(?:\S+\s+)?takip\s+et\w*)\b")
MAX_AUTHOR_LINK_WORDS = 6
_GLUED_AUTHOR_LINK = re.compile(rf"\S\s+{_WRITERS_PIECES}\W*$")
MAX_CAPTION_WORDS = 30
MIN_SENTENCES_BEFORE_TAG_LIST = 2
# A page's header shows a comment counter ("Yorumlar (14)") beside its share buttons, below a
# standfirst of a sentence or two: a counter ends the article only below this many paragraphs.
MIN_PARAGRAPHS_BEFORE_COMMENT_COUNT = 2
# A numbered item: "1. Uygulama mağazasından ... indirilir.", "2) Formu doldurun".
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s+\S")
QUESTION_BOX_HEADINGS = phrase_keys("question_box_headings.txt")
MIN_BOX_QUESTIONS = 2
# A box's heading ("Vakfımızdan Haberler", "Etkinlik Takvimi", "TRANSFER GÜNDEMİ") is this short.
MAX_BOX_HEADING_WORDS = 5


def mark_related_links(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """The link list under a "related" heading ("İlgili Haberler") goes with it: the kept lines
    after it that read like headlines, up to the first paragraph. Its last line stays when a
    blank line sets it apart and a paragraph follows: that is the article's next subheading."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        if verdicts[index].reason is None or not is_related_heading(line.text):
            continue
        links: list[int] = []
        for following in range(index + 1, len(lines)):
            if verdicts[following].reason is not None:
                continue
            if not is_title_like(lines[following].text):
                if len(links) > 1 and lines[links[-1]].block != lines[links[-2]].block:
                    links.pop()
                break
            links.append(following)
        for link in links:
            result[link] = Verdict(REASON_RELATED_LINKS)
    return result


def mark_boxes_under_dropped_headings(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A block of the article's tail (`line_features.kept_blocks`: below its main block, with
    little of its prose) right under a heading the learned model dropped is a box of the page
    (headlines under "Vakfımızdan Haberler", an event calendar under "Etkinlik Takvimi", a FAQ
    under "Sıkça Sorulanlar"), whatever its lines' shapes: the page names its boxes, the
    article's subheadings stand in its prose. On the 220 training sites all 26 lines of such
    blocks that the model had kept were furniture. `verdicts` are the final ones, the model's
    included."""
    result = list(verdicts)
    _, tail, _ = kept_blocks(lines, verdicts)
    for index in range(1, len(lines)):
        heading = lines[index - 1].text
        if (tail[index] and verdicts[index].reason is None
                and verdicts[index - 1].reason == REASON_LEARNED_BOILERPLATE
                and word_count(heading) <= MAX_BOX_HEADING_WORDS and is_title_like(heading)):
            box = index
            while box < len(lines) and verdicts[box].reason is None:
                result[box] = Verdict(REASON_SIDEBAR_BOX)
                box += 1
    return result


def mark_question_boxes(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A FAQ box: a questions heading ("Sıkça Sorulan Sorular") over at least `MIN_BOX_QUESTIONS`
    questions in a row with no answer after them ("Faturama nasıl itiraz edebilirim?" /
    "Sayaç okuma tarihim ne zaman?"), each a link to its answer elsewhere. An article's own
    questions under such a heading each have their answer below them."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        if line_key(line.text) not in QUESTION_BOX_HEADINGS:
            continue
        run, questions = index + 1, 0
        while (run < len(lines) and verdicts[run].reason is None and is_question(lines[run].text)
               and is_title_like(lines[run].text)):
            questions += 1 + inner_sentence_ends(lines[run].text)
            run += 1
        answered = run < len(lines) and verdicts[run].reason is None and is_prose(lines[run].text)
        if questions >= MIN_BOX_QUESTIONS and not answered:
            for box in range(index, run):
                if result[box].reason is None:
                    result[box] = Verdict(REASON_RELATED_LINKS)
    return result


def article_end(lines: list[Line], verdicts: list[Verdict]) -> tuple[int, str] | None:
    """Where the article ends for good, and the reason of what follows: the first comment-section
    line ("Yorum yapmak için giriş yapın") below a kept article sentence that does not speak to
    the reader (a comment counter, "Yorumlar (14)", below two such paragraphs), or the first tag
    list ("Etiketler: ...") below two such sentences.
    A page puts its readers' comments, related links, newsletter prompts, author bios and footer
    there, written as sentences as often as not. A "Yorum yaz" button, a comment count or a tag
    list in the header, even below a prompt written as a sentence ("Bildirimlere izin verin, ilk
    siz haberdar olun."), ends nothing; nor does a category row below a wire's one-sentence
    correction note ("GÜNCELLEME 2 · Önceki sürümde ... geçmişti." / "Kategori: Gündem · ...")."""
    sentences = paragraphs = 0
    for index, (line, verdict) in enumerate(zip(lines, verdicts)):
        if verdict.reason == REASON_COMMENT_FORM and sentences and (
                paragraphs >= MIN_PARAGRAPHS_BEFORE_COMMENT_COUNT or not is_comment_counter(line.text)):
            return index, REASON_COMMENT_SECTION
        if (verdict.reason == REASON_METADATA_LABEL and sentences >= MIN_SENTENCES_BEFORE_TAG_LIST
                and is_tag_list(line.text)):
            return index, REASON_AFTER_TAG_LIST
        if verdict.reason is None and is_article_sentence(line.text) and not addresses_reader(line.text):
            sentences += len(sentence_pieces(line.text))
            paragraphs += 1
    return None


def mark_after_article_end(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """Every kept line below the article's end (`article_end`) is the page's, whatever its
    shape: the article never resumes after its comments or its tags."""
    end = article_end(lines, verdicts)
    if end is None:
        return list(verdicts)
    start, reason = end
    return [Verdict(reason) if index > start and verdict.reason is None else verdict
            for index, verdict in enumerate(verdicts)]


def mark_duplicate_captions(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A photo or video caption ending in a source credit ("... viral oldu. (X/BRICS Haberleri)")
    that repeats a sentence of the text just before it is dropped: the text already says it."""
    result = list(verdicts)
    previous_kept: str | None = None
    for index, line in enumerate(lines):
        if verdicts[index].reason is not None:
            continue
        credit = _TRAILING_SOURCE.search(line.text)
        if credit and previous_kept is not None:
            caption = line_key(line.text[: credit.start()])
            if len(caption.split()) >= 3 and caption in line_key(previous_kept):
                result[index] = Verdict(REASON_DUPLICATE_CAPTION)
                continue
        previous_kept = line.text
    return result


def _is_media_credit(text: str) -> bool:
    """A short line standing for a photo or a video: its credit or counter ("Fotoğraf: AA",
    "(Foto: Karasu Ekspres)", "Fotoğraf 1/4", "Video: 01:52"), no sentence ("Görüntüler
    kameralara yansıdı.") and no link to a gallery ("Fotoğraf Galerisi (14)")."""
    return (word_count(text) <= MAX_MEDIA_CREDIT_WORDS and bool(_MEDIA_OPENING.match(fold(text.strip())))
            and not ends_sentence(text) and not is_ui_line(text))


def _names_photo_source(line: Line) -> bool:
    """A photo's credit on a line of its own that names the photo's source and photographer; a
    credit glued after a paragraph ("... çalışacak. Fotoğraf: Tribün Postası / Hakan Uçar") may
    credit a photo set beside it, and a paragraph of a few short sentences is no caption."""
    return not line.glued and bool(_NAMED_MEDIA_CREDIT.match(fold(line.text.strip())))


def _is_photo(line: Line, verdict: Verdict) -> bool:
    """The line stands for a photo: an image, or a photo's credit or counter."""
    return line.image or verdict.reason == REASON_IMAGE or _is_media_credit(line.text)


def mark_captions(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A sentence just above a photo's credit is its caption ("Kazı alanında kerpiç duvar
    kalıntıları." above "Fotoğraf: Kazı arşivi") when it has no verb, when a photo stands above
    it too (an image, a gallery counter "Fotoğraf 1 / 6", another credit) or when the credit
    names both the photo's source and its photographer ("Fotoğraf: Kaçkar TV / Murat Sayın"): on
    the 140 training sites 34 verbless lines above a credit were captions and none article text,
    as were all 15 lines between a photo and a credit; a sentence that ends in a verb above a
    credit alone was article text 18 times in 49, and a verbless one below a credit 7 times in
    15. On the 196 training sites the sentences above a credit of source and photographer on a
    line of its own were 15 captions in 15. A credit naming its source alone ("Fotoğraf: AA")
    also stands below a photo that has no caption, after the article's sentence (30 captions in
    30 there, but a sentence lost costs more than a caption left). A Markdown line set in
    italics right below an image is its caption too (15 such lines on 188 sites, none article
    text)."""
    result = list(verdicts)
    for index in range(len(lines) - 1):
        text = lines[index].text
        if (verdicts[index].reason is None and ends_sentence(text) and word_count(text) <= MAX_CAPTION_WORDS
                and _is_media_credit(lines[index + 1].text)
                and (not ends_like_verb(text) or (index > 0 and _is_photo(lines[index - 1], verdicts[index - 1]))
                     or _names_photo_source(lines[index + 1]))):
            result[index] = Verdict(REASON_CAPTION)
    for index in range(1, len(lines)):
        if (result[index].reason is None and lines[index].italic and word_count(lines[index].text) <= MAX_CAPTION_WORDS
                and (lines[index - 1].image or verdicts[index - 1].reason == REASON_IMAGE)):
            result[index] = Verdict(REASON_CAPTION)
    return result


def keep_names_inside_sentences(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A credit-shaped line (a person's name) that a sentence runs through is part of it: the
    kept line above stops mid-sentence (on a comma or a lower-case word) and the one below goes
    on in lower case ("... Okay Temiz ve" / "Hakan Vreskala" / "gibi isimler sahnede."). A
    byline stands between a headline or paragraph and a new sentence."""
    result = list(verdicts)
    for index in range(1, len(lines) - 1):
        above, below = lines[index - 1].text.rstrip(), lines[index + 1].text.lstrip()
        if (verdicts[index].reason == REASON_CREDIT and verdicts[index - 1].reason is None
                and verdicts[index + 1].reason is None and (above.endswith(",") or above[-1:].islower())
                and below[:1].islower()):
            result[index] = KEPT
    return result


def _item_number(text: str) -> int | None:
    numbered = _ITEM_NUMBER.match(text)
    return int(numbered.group(1)) if numbered else None


def keep_numbered_steps(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A numbered item that a page phrase dropped ("1. Uygulama mağazasından "Tek Kart"
    uygulaması indirilir.", an app prompt's words) is kept when the item numbered next to it,
    just above or below, is kept: the steps of a procedure the article lists are its text, and
    the page's own prompts are not numbered among them."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        number = _item_number(line.text)
        if number is None or verdicts[index].reason != REASON_BOILERPLATE:
            continue
        for neighbour, expected in ((index - 1, number - 1), (index + 1, number + 1)):
            if (0 <= neighbour < len(lines) and verdicts[neighbour].reason is None
                    and _item_number(lines[neighbour].text) == expected):
                result[index] = KEPT
    return result


def mark_author_bios(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A line below a byline that opens with the credited writer's name is about the writer
    ("Nazlı Şen, 2018'den bu yana ... yazıyor.", "Elif Naz Duman'ın tüm yazıları"): on the 148
    training sites 23 such lines were bios and none article text. A photo's credit names a
    photographer, who may be the article's subject; a name before a colon is a speaker's turn.
    An author box is known by its link to the writer's other pieces too (`_author_box`)."""
    result = list(verdicts)
    names: set[str] = set()
    for index, (line, verdict) in enumerate(zip(lines, verdicts)):
        if verdict.reason == REASON_CREDIT and not _is_media_credit(line.text):
            # A byline's name may run on into its place ("Ertan Balcı Yalıkavak"): the box
            # below names the writer alone.
            names.update(prefix for name in person_names(line.text) for prefix in (name, _first_two_words(name)))
        elif verdict.reason is None and any(_opens_with_name(line.text, name) for name in names):
            result[index] = Verdict(REASON_AUTHOR_BIO)
    for index in _author_box(lines, result):
        result[index] = Verdict(REASON_AUTHOR_BIO)
    return result


def _author_box(lines: list[Line], verdicts: list[Verdict]) -> list[int]:
    """The kept lines of an author box: the line just above a link to the writer's other pieces
    ("Yazarın tüm yazıları »", "Yazarı X'te takip et"), or with that link glued at its end, is
    the writer's bio ("1971'de Bolu'da doğdu. ..."), and a name alone just above the bio is the
    writer's (on the 188 training sites 14 lines above such a link were furniture, one a credit,
    none article text)."""
    found: list[int] = []
    for index, line in enumerate(lines):
        link = _AUTHOR_LINK.match(fold(line.text.strip())) is not None
        if link and index > 0 and word_count(line.text) <= MAX_AUTHOR_LINK_WORDS:
            bio = index - 1
        elif not link and _GLUED_AUTHOR_LINK.search(fold(line.text)):
            bio = index
        else:
            continue
        if verdicts[bio].reason is not None or _article_goes_on(lines, verdicts, index + 1):
            continue
        found.append(bio)
        # Two or three capitalised words alone on a line: a name where a writer's box shows one.
        if bio > 0 and verdicts[bio - 1].reason is None and CAPITALISED_NAME.fullmatch(lines[bio - 1].text.strip()):
            found.append(bio - 1)
    return found


def _article_goes_on(lines: list[Line], verdicts: list[Verdict], start: int) -> bool:
    """The first line from `start` that no rule has marked is prose: the article goes on below
    a link to its writer's other pieces, which is then no author box's."""
    following = (line.text for line, verdict in zip(lines[start:], verdicts[start:]) if verdict.reason is None)
    return is_prose(next(following, ""))


def _first_two_words(name: str) -> str:
    return " ".join(name.split()[:2])


def _opens_with_name(text: str, name: str) -> bool:
    rest = text[len(name):]
    return text.startswith(name) and rest[:1] in (",", "'", "’", " ") and not rest.lstrip().startswith(":")
