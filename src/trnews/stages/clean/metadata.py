"""Metadata printed as lines of the page: date lines and credits. They are removed from the body
and read into the article's fields.

* Dates: only date lines are read ("Son Güncelleme :" with the date on the same or next line,
  "Yayınlanma: ...", a line that is nothing but a date, or a date in a header before a glued
  widget); dates inside sentences are not. `published` is `raw.published` when given, else the
  first publication date line; a last-updated date goes to `updated`, never to `published`.
  Both are ISO 8601 by the one time-zone rule of `trnews.text.dates`: a time without a zone is
  Europe/Istanbul time and gets that day's offset ("2025-03-14T11:20+03:00"); a date alone stays
  a date. The labels are in `data/update_date_labels.txt` and `data/publish_date_labels.txt`.
* Credits (agency lines, "Kaynak: ...", "Editör: ...", "(... girdileriyle)") are listed in
  `removed` with reason "credit"; `credits` holds one line per agency (`data/agencies.tsv`:
  "İHA" and "İhlas Haber Ajansı (İHA)" are one credit, the first line naming it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import CREDIT_LABEL_PATTERN
from trnews.stages.clean.phrases import alternatives, pattern_alternation
from trnews.stages.clean.prose import ends_sentence, inline_items, is_all_caps, is_article_sentence, word_count, words
from trnews.stages.clean.reasons import REASON_METADATA_LABEL, REASON_PUBLISH_DATE, REASON_UPDATE_DATE, Verdict
from trnews.text.datafiles import data_lines
from trnews.text.dates import find_date, holds_date_range, only_date, only_time, zoned
from trnews.text.turkish import fold, never_final_abbreviations, to_ascii, turkish_lower

__all__ = [
    "CAPITALISED_NAME", "date_verdicts", "first_date", "is_credit", "is_date_row", "one_credit_per_agency",
    "person_names",
]

# A labelled date line ("Güncelleme: 19.06.2024 14:30 | Yayınlanma: 18.06.2024") is at most this long.
MAX_DATE_LINE_WORDS = 16
MIN_HEADLINE_WORDS_AFTER_DATE = 3
# An item set beside a date on its row ("Haberler", "1.318 kez okundu") is at most this long.
MAX_META_ITEM_WORDS = 4
MAX_CREDIT_WORDS = 10
# Capitalised words beside an agency or a desk on a credit line: a city, or a site's name.
MAX_WORDS_BESIDE_AGENCY = 3
_BREADCRUMB_MARK = re.compile(r"[›»>]")
MAX_LABELLED_CREDIT_WORDS = 14
# A row of credits side by side ("Yazan: ... | Tıbbi inceleme: Uzm. Dr. ..., İç Hastalıkları Uzmanı").
MAX_CREDIT_ROW_WORDS = 2 * MAX_CREDIT_WORDS

# --- date lines ---------------------------------------------------------------------------------

# Date labels: "Son Güncelleme :", "Yayınlanma Tarihi:", ... followed by a date (same or next line).
UPDATE_LABEL = pattern_alternation("update_date_labels.txt")
PUBLISH_LABEL = pattern_alternation("publish_date_labels.txt")
_ANY_DATE_LABEL = re.compile(rf"\b(?:(?P<update>{UPDATE_LABEL})|(?P<publish>{PUBLISH_LABEL}))\b\s*[:\-–]?\s*")
DATE_LABEL_PATTERN = re.compile(
    rf"^(?:(?P<update>{UPDATE_LABEL})|(?P<publish>{PUBLISH_LABEL}))\b\s*(?P<colon>[:\-–]?)\s*(?P<rest>.*)$"
)


def _labelled_dates(text: str) -> dict[str, str]:
    """The dates after each label of a date line, by kind: "Giriş: 12.01.2025 10:30 |
    Güncelleme: 12.01.2025 11:45" -> {"published": "2025-01-12T10:30", "updated": "2025-01-12T11:45"}."""
    folded = fold(text)
    labels = list(_ANY_DATE_LABEL.finditer(folded))
    dates: dict[str, str] = {}
    for label, following in zip(labels, labels[1:] + [None]):
        found = find_date(text[label.end(): following.start() if following else len(text)])
        kind = "updated" if label["update"] else "published"
        if found and kind not in dates:
            dates[kind] = found[0]
    return dates


def _bare_then_labelled(text: str) -> Verdict | None:
    """"12.01.2025 10:30 | Son Güncelleme: 12.01.2025 11:45": the publication date bare, then
    labelled dates after a separator ("|", "·", "•") or none ("22.10.2026 16:05 Güncelleme:
    22.10.2026 17:30"), or a labelled time alone ("26.11.2026 16:05 · Son güncelleme 17:20")."""
    head, *others = inline_items(text)
    if not others and (label := _ANY_DATE_LABEL.search(fold(text), 1)):
        head, others = text[:label.start()], [text[label.start():]]
    rest = " | ".join(others)
    published = only_date(head) if others else None
    label = DATE_LABEL_PATTERN.match(fold(rest)) if published else None
    if not label:
        return None
    dates = _labelled_dates(rest)
    if dates:
        return Verdict(REASON_PUBLISH_DATE, **{"published": published, **dates})
    return Verdict(REASON_PUBLISH_DATE, published=published) if only_time(label["rest"]) else None


def _dated_meta_row(text: str) -> Verdict | None:
    """"14 Mart 2027 Cuma | Haberler | 1.318 kez okundu": a date, and beside it the page's short
    items (a section, a view count, a byline), none a sentence."""
    head, *others = inline_items(text)
    published = only_date(head) if others else None
    if published and all(word_count(item) <= MAX_META_ITEM_WORDS and not ends_sentence(item) for item in others):
        return Verdict(REASON_PUBLISH_DATE, published=published)
    return None


def _headline_after_dates(text: str) -> bool:
    """Words of a headline follow the line's last date ("Güncellenme 9 Aralık 2026 19:47 Asgari
    ücret desteği teklifi komisyondan geçti": a flattened page glued its date row to the
    headline): the line is no date line, and the title search cuts the date off."""
    rest = text
    while (found := find_date(rest)) is not None:
        rest = rest[found[1].end():]
    return word_count(" ".join(words(rest))) >= MIN_HEADLINE_WORDS_AFTER_DATE


def date_verdicts(lines: list[Line], index: int) -> list[Verdict] | None:
    """Verdicts for a date line at `index` (and the next line when it carries the label's date),
    or None when the line is not about a date."""
    text = lines[index].text
    if word_count(text) > MAX_DATE_LINE_WORDS or holds_date_range(text):
        return None
    date_alone = only_date(text)
    if date_alone:
        return [Verdict(REASON_PUBLISH_DATE, published=date_alone)]
    bare_then_labelled = _bare_then_labelled(text) or _dated_meta_row(text)
    if bare_then_labelled:
        return [bare_then_labelled]
    label = DATE_LABEL_PATTERN.match(fold(text))
    if not label or _headline_after_dates(text):
        return None
    reason = REASON_UPDATE_DATE if label["update"] else REASON_PUBLISH_DATE
    if label["rest"]:
        dates = _labelled_dates(text)
        if dates:
            return [Verdict(reason, **dates)]
        # "Güncelleme: 14:35": a time without a day is no date to keep, but the line is one.
        return [Verdict(reason)] if only_time(label["rest"]) else None
    following = only_date(lines[index + 1].text) if index + 1 < len(lines) else None
    if following:
        kind = "updated" if label["update"] else "published"
        return [Verdict(reason), Verdict(reason, **{kind: following})]
    if label["colon"]:
        return [Verdict(REASON_METADATA_LABEL)]
    return None


def is_date_row(text: str) -> bool:
    """A line that is a date line on its own ("29.10.2026 18:42", "16 Kasım 2026 Pazartesi, 21:47
    Güncelleme: 22:15")."""
    return date_verdicts([Line(text, 0, False)], 0) is not None


def first_date(verdicts: list[Verdict], kind: str) -> str | None:
    """The first "published" or "updated" date of the date lines, zoned."""
    date = next((getattr(v, kind) for v in verdicts if getattr(v, kind)), None)
    return zoned(date) if date else None


# --- credits ------------------------------------------------------------------------------------

# News agencies (abbreviation and full name are one credit) and the desks of a newsroom.
AGENCIES: tuple[tuple[str, str], ...] = tuple(
    (abbreviation, full_name)
    for abbreviation, full_name in (line.split("\t") for line in data_lines("agencies.tsv"))
)
AGENCY_PATTERN = re.compile(
    rf"\b(?:{alternatives(name for pair in AGENCIES for name in pair)}"
    rf"|{pattern_alternation('newsroom_desks.txt')})\b"
)
# "(Reuters'ın girdileriyle)", "AFP ve Reuters'ın katkılarıyla".
CREDIT_PHRASE_END = re.compile(rf"(?:{alternatives(data_lines('credit_phrase_endings.txt'))})\W*$")
# Words that make a short parenthesised line a credit: "(Haber Merkezi)", "(Foto: Ali Kaya)".
CREDIT_WORD_PATTERN = re.compile(alternatives(data_lines("credit_words.txt")))


# A person's name: a given name (`data/person_given_names.txt`) and one or two capitalised words
# (`person_names`); two or three capitalised words are a name's shape whatever the given name.
PERSON_GIVEN_NAMES = frozenset(data_lines("person_given_names.txt"))
CAPITALISED_NAME = re.compile(r"[A-ZÇĞİÖŞÜ][a-zçğıöşü]+(?: [A-ZÇĞİÖŞÜ][a-zçğıöşü]+){1,2}")
# A byline of a name alone, or with the site or the role after a separator ("Emel Sarıkaya -
# Müzayede Postası", "Dilek Arıkan · Basın Koordinatörü"); a score after the separator makes a
# results row ("Gizem Aksoy – Marta Kovačić 3-0 (11-6, 11-8, 11-4)").
_BYLINE = re.compile(rf"^(?P<name>{CAPITALISED_NAME.pattern})(?:\s+[-–|·/]\s+(?!.*\b\d+-\d+\b)\S.{{0,40}})?$")


def person_names(text: str) -> list[str]:
    """The people `text` names: capitalised words that open with a given name."""
    return [name for name in (match.group() for match in CAPITALISED_NAME.finditer(text))
            if to_ascii(name.split()[0]) in PERSON_GIVEN_NAMES]


def _is_byline(line: str) -> bool:
    """A person's name alone on a line, perhaps with the site's name or a role after it, or a
    title before it ("Av. Deniz Kara", "Uzm. Dr. Elif Sarı"): on the 148 training sites such
    lines were bylines 22 times and other furniture (a commenter, a contact) 11 times, never
    article text; on the 188 a titled name alone was a credit or a contact 11 times in 11."""
    match = _BYLINE.match(_without_titles(line.strip()))
    return match is not None and person_names(match.group("name")) == [match.group("name")]


def _without_titles(text: str) -> str:
    """`text` without the titles that open it ("Prof. Dr. ", "Av. "): abbreviations that always
    qualify the word after them (`data/tr_abbreviations.txt`)."""
    words = text.split(" ")
    while len(words) > 1 and turkish_lower(words[0]) in never_final_abbreviations():
        words.pop(0)
    return " ".join(words)


# A source in brackets: capitalised words, a name and the paper's perhaps ("(Karadağ Manşet)",
# "(Gülsüm Erkoç / Karadağ Manşet)"); no numbers ("(Tâhâ, 114)" cites a verse), no single
# letters ("(X/Valilik Haberleri)" sources a caption, `blocks.mark_duplicate_captions`).
_NAME_WORD = r"[A-ZÇĞİÖŞÜ][^\W\d_]+(?:['’.&-][^\W\d_]*)*"
_NAMES_IN_BRACKETS = re.compile(rf"^\({_NAME_WORD}(?:\s*[/,–-]?\s*{_NAME_WORD}){{0,5}}\)$")
# A dateline of any agency or paper: "BURSA (XH) -", "İZMİR (XYZ)", "ERZURUM (Pusula Haber) -": a
# city in capitals, an abbreviation or a name in brackets.
_DATELINE = re.compile(
    rf"^[A-ZÇĞİÖŞÜ]{{2,}}(?: [A-ZÇĞİÖŞÜ]{{2,}})?\s*"
    rf"\((?:[A-ZÇĞİÖŞÜ]{{2,5}}|{_NAME_WORD}(?: {_NAME_WORD}){{0,3}})\)\s*[-–—]?$")


def is_credit(line: str) -> bool:
    """Agency/desk/author lines: "İHA", "ANKARA (AA)", "(EKONOMİ SERVİSİ)",
    "(AFP'nin girdileriyle)", "(Gülsüm Erkoç / Karadağ Manşet)", "Kaynak: Reuters", "Editör:
    Ayşe Kaya", "Ayşe Kaya". A label before a whole sentence is a speaker's turn in a transcript
    ("Muhabir: Yolcular kararı memnuniyetle karşıladı."), not a credit; after a label a name may
    run longer ("Tıbbi inceleme: Doç. Dr. Kerem Yalçıner, Çocuk Sağlığı ve Hastalıkları Uzmanı")
    when nothing else is set beside it (reply buttons: "Kaynak: ... Beğen (38) · Yanıtla")."""
    items = inline_items(line)
    if len(items) > 1 and word_count(line) <= MAX_CREDIT_ROW_WORDS and all(map(is_credit, items)):
        return True  # "Kulvar Spor Masası | Haber: Kaan Özbilgin"
    folded = fold(line)
    if CREDIT_LABEL_PATTERN.match(folded):
        longest = MAX_LABELLED_CREDIT_WORDS if len(items) == 1 else MAX_CREDIT_WORDS
        return word_count(line) <= longest and not is_article_sentence(line.split(":", 1)[1].strip())
    if word_count(line) > MAX_CREDIT_WORDS:
        return False
    if CREDIT_PHRASE_END.search(folded) or _DATELINE.match(line.strip()):
        return True
    if line.startswith("(") and line.endswith(")"):
        inner = folded[1:-1]
        return bool(AGENCY_PATTERN.search(inner) or CREDIT_WORD_PATTERN.search(inner)) or is_all_caps(line) \
            or bool(_NAMES_IN_BRACKETS.match(line.strip()))
    return _agency_dateline(line, folded) or _is_byline(line)


def _agency_dateline(line: str, folded: str) -> bool:
    """An agency or a desk with at most `MAX_WORDS_BESIDE_AGENCY` other, capitalised words (a
    city, the site's name): "İHA", "ANKARA (AA)", "Şok Manşet Asayiş Servisi" (on the 220
    training sites 41 such lines were credits, one a breadcrumb trail, which is none)."""
    agencies = [match.span() for match in AGENCY_PATTERN.finditer(folded)]
    if not agencies or _BREADCRUMB_MARK.search(line):
        return False
    others = [word for word in re.finditer(r"\w+", folded)
              if not any(start <= word.start() < end for start, end in agencies)]
    return len(others) <= MAX_WORDS_BESIDE_AGENCY and all(line[word.start()].isupper() for word in others)


def _agency(credit: str) -> str | None:
    """The agency a credit line names, by its abbreviation ("İHA" for "İhlas Haber Ajansı")."""
    folded = fold(credit)
    for abbreviation, full_name in AGENCIES:
        if any(re.search(rf"\b{re.escape(fold(name))}\b", folded) for name in (abbreviation, full_name)):
            return abbreviation
    return None


def one_credit_per_agency(credits: Iterable[str]) -> list[str]:
    """Credit lines in order, without a second line for an agency already credited."""
    kept: list[str] = []
    seen: set[str] = set()
    for credit in credits:
        agency = _agency(credit)
        if agency is None or agency not in seen:
            kept.append(credit)
        if agency is not None:
            seen.add(agency)
    return kept
