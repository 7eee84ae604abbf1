"""Text from outside (article text, titles, file names, symlink targets, ids, reasons that quote
them) as it may reach a terminal or an output file: without the characters that change what
surrounds them instead of showing as themselves.

- C0 and C1 control characters and DEL, except tab and newline: in a terminal they start escape
  sequences (retitle the window, clear the screen), in outputs they corrupt a table or a page;
- bidirectional embeddings, overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E,
  U+200F, U+061C): they reorder what follows, so that `gpj.exe` shows as `exe.jpg`;
- zero-width and invisible characters (U+200B-200D, U+2060-2064, U+FEFF, U+180E): two names
  that look alike differ, and a name looks empty.

None of them has a use in Turkish news text. For a terminal, `terminal_safe` removes whole escape
sequences first, so that their parameters ("[2J") are not left behind.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` without control, bidirectional-control and zero-width characters (newline and tab stay)."""
    return INVISIBLE.sub("", text)


# Whole escape sequences first, so that no parameters ("[2J") are left behind: string commands
# (OSC, DCS, SOS, PM, APC) up to their terminator, CSI (7- or 8-bit) up to its final byte, any
# other two-character escape; then what `visible` removes.
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -~]?",
    re.DOTALL,
)


def terminal_safe(text: str) -> str:
    """`text` without terminal control sequences, control characters (newline and tab stay),
    bidirectional controls or zero-width characters (`trnews.text.visible`)."""
    return visible(_ESCAPE_SEQUENCES.sub("", text))
