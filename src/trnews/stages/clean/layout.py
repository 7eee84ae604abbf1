"""Text layout shared by the cleaner and the site-template statistics: an article's text as
lines grouped in blank-line-separated blocks, with flattened paragraphs split back apart.

Scrapers often flatten a page: every paragraph joined into one line, the breaks left as runs of
no-break spaces (`"... oldu. \\xa0 Yeni paragraf"`) or wide runs of spaces. `unflatten` puts a
paragraph break back at such a run when it sits at a paragraph boundary: after a sentence end
(buttons glued after it included: "... dedi. Yazdır Paylaş"), or after a heading-like chunk,
with a capital letter, digit or quote after it, or before a date row or a labelled field
("Etiketler: ..."). A lone no-break space, or a run inside a sentence ("... gösterirken\\xa0 bu
firmalar ..."), stays a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from trnews.stages.clean.lexicon import (
    CREDIT_LABEL_PATTERN, addresses_reader, buttons_after_sentence, is_comment_counter, ui_coverage,
)
from trnews.stages.clean.markdown_inline import inline_text
from trnews.stages.clean.prose import OPENING_QUOTES, ends_sentence, is_prose, sentence_pieces, word_count
from trnews.text.dates import find_date
from trnews.text.turkish import fold

__all__ = ["INLINE_MARKDOWN_FORMATS", "MARKDOWN_FORMATS", "Line", "split_lines", "starts_with_field", "unflatten"]

# Formats whose headings arrive as Markdown `#` lines (see RawArticle); others are plain text.
MARKDOWN_FORMATS = ("markdown", "html", "warc")  # a page archived by `trnews fetch` is read as HTML
# Formats whose lines are Markdown inline syntax too (links, emphasis, images); an HTML page's
# text is read from its element tree, where "[" and "*" are the writer's.
INLINE_MARKDOWN_FORMATS = ("markdown",)

# A run of whitespace that may stand for a paragraph break: two or more whitespace characters
# holding a no-break or other non-ASCII space or a tab, or three or more plain spaces.
_ODD_SPACE = r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_WIDE_SPACE = re.compile(rf"[^\S\n]*{_ODD_SPACE}[^\S\n]+|[^\S\n]+{_ODD_SPACE}|[ ]{{3,}}")
# Text without these characters has no wide run; looking for them is far quicker than for the runs.
_MAY_BE_WIDE = re.compile(rf"{_ODD_SPACE}|   ")
_MARKUP_BREAK = re.compile(r"(?:[^\S\n]*<(?:br|p|/p)\s*/?>[^\S\n]*)+", re.IGNORECASE)
# A chunk this short without a sentence end may be a heading that the flattening glued on.
MAX_GLUED_HEADING_WORDS = 12
# A longer chunk that holds a date or UI words is a page header glued on, up to this size.
MAX_GLUED_HEADER_WORDS = 30
# How far after a wide run a date that opens the next chunk is looked for.
DATE_LOOKAHEAD = 40
# A credit closing a paragraph has at most this many words.
MAX_TRAILING_FIELD_WORDS = 8
# A field's label: one to three words, the first capitalised, then a colon and a space.
_FIELD_LABEL = re.compile(r"^[A-ZÇĞİÖŞÜ][^\W\d_]*(?: [^\W\d_]+){0,2}:\s")
# A line set in italics as a whole, by single asterisks or underscores (bold is "**").
_ITALIC_LINE = re.compile(r"^(?:\*(?!\*)[^*]+\*|_(?!_)[^_]+_)$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)(?:\s+#+)?\s*$")
# A heading mark after text: a scraper glued the heading's line onto the one before it
# ("Söyleşi # Oktay Yelkovan: ..."); it starts a line of its own. A heading opens with a capital
# or a quote ("C # dili" is no heading).
_GLUED_HEADING = re.compile(rf"(?<=\S)\s+(?=#{{1,6}}\s+[{re.escape(OPENING_QUOTES)}]*[A-ZÇĞİÖŞÜ])")


@dataclass(frozen=True)
class Line:
    text: str  # stripped, without Markdown heading marks; Markdown inline syntax read as a reader sees it
    block: int  # index of the blank-line-separated block it belongs to
    marked_heading: bool  # a Markdown `#` line (Markdown/HTML sources only)
    link_share: float = 0.0  # share of its text inside Markdown links
    image: bool = False  # a Markdown line showing images and no text; its text is the Markdown
    top_heading: bool = False  # a Markdown `# ` line: the top level, a page's own headline
    italic: bool = False  # a Markdown line set in italics as a whole ("*Açılış töreninden bir kare*")
    glued: bool = False  # cut off the end of the line before it (`fragments.cut_fragments`): it came glued on


def _opens_paragraph(text: str) -> bool:
    """Starts (after opening quotes, or a bullet or a dash and its space) with a capital letter
    or a digit."""
    first = text.lstrip(OPENING_QUOTES + " ")[:1]
    return first.isupper() or first.isdigit()


def _heading_like(chunk: str) -> bool:
    """A heading, or a page header (a date or widget words, and a headline) glued before a
    paragraph: "12.03.2025 Kaydet Takip Et A+ A- Başlık burada"."""
    chunk = chunk.strip()
    size = len(chunk.split())
    header = size <= MAX_GLUED_HEADER_WORDS and (find_date(chunk) is not None or ui_coverage(chunk) > 0)
    return (
        0 < size
        and (size <= MAX_GLUED_HEADING_WORDS or header)
        and not chunk.endswith(",")
        and not is_prose(chunk)
        and _opens_paragraph(chunk)
    )


def starts_with_field(text: str) -> bool:
    """A short label and a colon open `text` ("Etiketler: ...", "Kaynak: AA", "Yer: Köy
    Meydanı"): a field of the page's or of a fact box, which starts a line of its own."""
    return bool(_FIELD_LABEL.match(text))


def _ends_with_credit(chunk: str) -> bool:
    """A short credit closes `chunk` after its last sentence ("... ağlara gönderdi. Fotoğraf:
    Skorbord / Serdar Akın"): glued on, it ends the paragraph it follows."""
    *sentences, last = sentence_pieces(chunk.strip()) or [""]
    # "5. Söyleşi: Şehrin kayıp sinemaları" is a numbered heading, not a sentence and a credit.
    return bool(sentences) and not sentences[-1].split()[-1][:-1].isdigit() \
        and word_count(last) <= MAX_TRAILING_FIELD_WORDS and bool(CREDIT_LABEL_PATTERN.match(fold(last))) \
        and not is_prose(last)


def _starts_with_date(text: str) -> bool:
    """A date opens `text` ("03.03.2025 16:40 Kaydet ..."): a page's date row, which starts a
    line of its own wherever a wide run stands before it, whatever came before."""
    found = find_date(text)
    return found is not None and found[1].start() == 0


def _ends_with_call_to_action(chunk: str) -> bool:
    """Ends in a word that speaks to the reader ("... kaydı için tıklayın"): an advert's or a
    prompt's last word, which needs no full stop on a page."""
    last = chunk.split()[-1:]
    return bool(last) and addresses_reader(last[0])


def unflatten(text: str) -> str:
    """`text` with a blank line in place of every wide whitespace run at a paragraph boundary
    (after a sentence end, a call to action, a glued heading or header or a credit glued after a
    sentence, or before a date row),
    and of line-break markup a scraper left in plain text ("...?<br><br>Akan kanı ..."). A
    comment section's counter ("Taraftar Yorumları (112)") ends a paragraph whatever follows it
    (a commenter's nickname in lower case)."""
    if "<" in text:
        text = _MARKUP_BREAK.sub("\n\n", text)
    if not _MAY_BE_WIDE.search(text):
        return text
    pieces: list[str] = []
    start = 0
    chunk_start = 0
    for match in _WIDE_SPACE.finditer(text):
        before, after = text[chunk_start: match.start()], text[match.end(): match.end() + DATE_LOOKAHEAD]
        at_boundary = is_comment_counter(before) or _opens_paragraph(after) and (
            ends_sentence(before) or _heading_like(before) or _ends_with_credit(before)
            or buttons_after_sentence(before.split()) is not None
            or _ends_with_call_to_action(before) or _starts_with_date(after) or starts_with_field(after)
        )
        if at_boundary:
            pieces.append(text[start: match.start()])
            start = match.end()
        chunk_start = match.end()
    pieces.append(text[start:])
    return "\n\n".join(pieces)


def split_lines(text: str, source_format: str) -> list[Line]:
    """Non-empty stripped lines of the unflattened `text`, each with its block index; for
    Markdown/HTML sources `#` lines are marked as headings, and Markdown lines are read as a
    reader sees them (`markdown_inline`)."""
    markdown = source_format in MARKDOWN_FORMATS
    inline = source_format in INLINE_MARKDOWN_FORMATS
    lines: list[Line] = []
    for block_index, block in enumerate(re.split(r"\n\s*\n", unflatten(text.replace("\r\n", "\n")))):
        for raw_line in block.split("\n"):
            wide = _MAY_BE_WIDE.search(raw_line) and _WIDE_SPACE.search(raw_line)
            stripped = " ".join(raw_line.split()) if wide else raw_line.strip()
            if not stripped:
                continue
            for piece in _GLUED_HEADING.split(stripped, maxsplit=1) if inline else (stripped,):
                heading = _MARKDOWN_HEADING.match(piece) if markdown else None
                line = Line(heading["text"] if heading else piece, block_index, bool(heading),
                            top_heading=bool(heading) and piece.startswith("# "))
                lines.append(_read_inline(line) if inline else line)
    return lines


def _read_inline(line: Line) -> Line:
    seen = inline_text(line.text)
    if not seen.text:
        return replace(line, image=bool(seen.images)) if seen.images else line
    return replace(line, text=seen.text, link_share=seen.link_share,
                   italic=bool(_ITALIC_LINE.match(line.text.strip())))
