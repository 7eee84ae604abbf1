"""Bytes to text: UTF-8 or a legacy Turkish code page, NFC-normalised, without control
characters; and the errors that make an input unusable."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from trnews.errors import TrnewsError
from trnews.records import Status
from trnews.text.visible import visible

# Turkish news still turns up in the pre-Unicode Turkish code pages. UTF-8 is tried strictly
# first; charset-normalizer then only chooses between these, so a Turkish page is never
# "detected" as, say, Mac Latin-2 (which it prefers for short Turkish texts when unrestricted).
LEGACY_TURKISH_ENCODINGS = ["cp1254", "iso8859_9"]


_LINE_BREAKS = re.compile(r"\r\n?")


class InputError(TrnewsError, ValueError):
    """An input that cannot become an article; the message says why, for the run report."""

    status: Status = "failed"


class UnreadablePath(InputError):
    """A path that cannot be read at all (missing, a broken link or loop, no permission, not a
    regular file): a problem of the inputs given, not an article that failed."""


class TooLarge(InputError):
    """An input over the size limit: skipped, not failed (nothing is wrong with it as a file)."""

    status: Status = "skipped"


def check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise TooLarge(f"too large: {what} of {_megabytes(size)}, over the limit of {_megabytes(limit)} "
                       "(max_article_bytes, TRNEWS_MAX_ARTICLE_BYTES)")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def plain_text(text: str) -> str:
    """NFC-normalised text with `\n` line breaks, `visible`: no control characters but newline and
    tab, no bidirectional controls, no zero-width characters."""
    return visible(_LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text)))


# Text that says its own encoding by a byte-order mark (Windows editors save "Unicode" text as
# UTF-16 with one). UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), UTF-16 or UTF-32 with a BOM, or a legacy Turkish code
    page, then make it `plain_text`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return plain_text(data.decode(encoding)), encoding
            except UnicodeDecodeError:
                raise InputError(f"cannot decode as text: starts with a {encoding.upper()} byte-order mark "
                                 f"but is not valid {encoding.upper()}") from None
    try:
        return plain_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError("binary data, not text (contains NUL bytes)")
    # The default mess threshold (0.2) rejects short, quote-rich Turkish news; random bytes score far above 0.5.
    best = from_bytes(data, cp_isolation=LEGACY_TURKISH_ENCODINGS, threshold=0.5).best()
    if best is None:
        raise InputError(
            "cannot decode as text: not valid UTF-8, Windows-1254 or ISO-8859-9 (binary or corrupted file?)"
        )
    return plain_text(str(best)), best.encoding


def decode_page(data: bytes, charset: str | None) -> tuple[str, str]:
    """A web page's text and encoding: the charset its server declared, when the bytes are
    that, else as a file's (`decode`)."""
    if charset:
        try:
            return plain_text(data.decode(charset)), codecs.lookup(charset).name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def charset_of(content_type: str) -> str | None:
    """The `charset` parameter of a Content-Type header, if any."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
