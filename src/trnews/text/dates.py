"""Dates in Turkish news, and the one rule for their time zone.

Turkish outlets write dates as "19 Haziran 2024 - 14:30", "19.06.2024 14:30" or ISO 8601, and
almost never with a zone. **A date or time without a zone is Europe/Istanbul time** (with that
day's offset), wherever it is read: when cleaning (`zoned`, which writes the offset into the
article's ISO string) and when comparing articles in time (`moment`, which reads one back). A date
alone stays a date in the article, and counts from its Istanbul midnight when compared. A value
that is not a date at all is kept as text by the cleaner but is no date to anyone (`moment`
returns None): "dated" means the same thing everywhere.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

SOURCE_TIMEZONE = ZoneInfo("Europe/Istanbul")

# A calendar day as far as a text tells it: (year or None, month, day).
Day = tuple[int | None, int, int]


@cache
def months() -> dict[str, int]:
    """Folded Turkish month names and their numbers (data/tr_months.tsv)."""
    return {name: int(number) for name, number in (line.split("\t") for line in data_lines("tr_months.tsv"))}


@cache
def _weekdays() -> str:
    return "|".join(data_lines("tr_weekdays.txt"))


_TIME = r"(?:[\s,\-–—|/]*(?:saat\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\b)?"


@cache
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    month_names = "|".join(months())
    return tuple(re.compile(pattern) for pattern in (
        rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{month_names})\s+(?P<year>\d{{4}})"
        rf"(?:[\s,]+(?:{_weekdays()})\b)?{_TIME}",
        rf"(?<!\d)(?P<day>\d{{1,2}})[./](?P<month>\d{{1,2}})[./](?P<year>\d{{4}}){_TIME}",
        r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2}))?",
    ))


@cache
def _date_filler() -> re.Pattern[str]:
    """What may surround a date on a line that is nothing but a date."""
    return re.compile(rf"^(?:[\W_]|\b(?:{_weekdays()}|saat)\b)*$")


# A day named in running text: "18 Şubat", "19 Haziran 2024". A weekday after it ("18 Şubat Pazar
# günü") is not read: the year it points to is a guess between candidates years apart.
@cache
def _day_mention() -> re.Pattern[str]:
    return re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(months())})\b(?:\s+(?P<year>\d{{4}})\b)?")


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in `text` as ISO 8601 (date, or date and minute), with its match in the
    folded text (positions are positions in `text`: folding keeps lengths)."""
    folded = fold(text)
    for pattern in _date_patterns():
        for match in pattern.finditer(folded):
            iso = _iso_from_match(match)
            if iso:
                return iso, match
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    month = match["month"]
    month_number = months()[month] if month in months() else int(month)
    hour = match["hour"]
    try:
        moment_ = datetime(int(match["year"]), month_number, int(match["day"]), int(hour or 0), int(match["minute"] or 0))
    except ValueError:
        return None
    return moment_.strftime("%Y-%m-%dT%H:%M" if hour is not None else "%Y-%m-%d")


def parse_turkish_date(text: str) -> str | None:
    """The first date in `text` as ISO 8601: "19 Haziran 2024 - 0:06" -> "2024-06-19T00:06",
    "19.06.2024 14:30" -> "2024-06-19T14:30", "19 Haziran 2024" -> "2024-06-19"; else None."""
    found = find_date(text)
    return found[0] if found else None


# A day, or a day and month, then a dash and the range's last day: "20 Ekim - 30 Kasım", "20-30
# Kasım", "01.03 - 15.03.2026"; not "12.01.2025 - 10:30" (a date, then its time).
_DATE_RANGE = re.compile(r"(?<![\d:.])\d{1,2}(?:[./]\d{1,2})?(?:\s+[^\W\d_]+)?\s*[-–—]\s*\d{1,2}(?=[\s./])")


def holds_date_range(text: str) -> bool:
    """The text names a span of days (an event's, an exhibition's), which is no publication date."""
    return bool(_DATE_RANGE.search(text))


def only_date(text: str) -> str | None:
    """ISO date when the line is a date and nothing else (weekday, "saat", punctuation allowed)."""
    found = find_date(text)
    if not found:
        return None
    iso, match = found
    folded = fold(text)
    rest = folded[: match.start()] + " " + folded[match.end():]
    return iso if _date_filler().match(rest) else None


_TIME_ONLY = re.compile(r"^(?:saat\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?\W*$")


def only_time(text: str) -> bool:
    """Whether `text` (folded) is a time of day and nothing else: "14:30", "saat 9.05"."""
    return _TIME_ONLY.match(text) is not None


def mentioned_days(text: str) -> list[Day]:
    """Every calendar day that `text` names with a Turkish month name, as (year or None, month,
    day): "18 Şubat Pazar günü" -> (None, 2, 18), "19 Haziran 2024" -> (2024, 6, 19). Days that
    no calendar has (31 Şubat) are left out."""
    days = []
    for match in _day_mention().finditer(fold(text)):
        year = int(match["year"]) if match["year"] else None
        month, day = months()[match["month"]], int(match["day"])
        try:
            datetime(year or 2000, month, day)  # 2000 is a leap year: 29 Şubat is a day
        except ValueError:
            continue
        days.append((year, month, day))
    return days


def zoned(iso: str) -> str:
    """`iso` with the source's offset: a time without a zone is Europe/Istanbul local time (with
    that day's offset); a date alone has no offset to add; a zoned time is left as it is."""
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if parsed.tzinfo is not None or ("T" not in iso and " " not in iso):
        return iso
    parsed = parsed.replace(tzinfo=SOURCE_TIMEZONE)
    return parsed.isoformat(timespec="seconds" if parsed.second else "minutes")


def normalise_given_date(value: str | None) -> str | None:
    """A date given with the input (JSONL `published`, HTML metadata) as zoned ISO 8601; text
    that holds no date is kept as it was given."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        datetime.fromisoformat(value)
    except ValueError:
        parsed = parse_turkish_date(value)
        return zoned(parsed) if parsed else value
    return zoned(value)


def moment(value: str | None) -> datetime | None:
    """The instant an ISO 8601 date or date-time stands for, by the one rule (no zone:
    Europe/Istanbul; a date alone: its Istanbul midnight); None for no value or one that is
    not ISO 8601."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SOURCE_TIMEZONE)
