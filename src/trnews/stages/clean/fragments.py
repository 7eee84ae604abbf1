"""Pieces cut out of a line before the line rules judge it: a site-template prefix or suffix
(`SiteTemplate`, learned by `site_templates.TemplateStats`) and widgets glued into the line
(`widgets`) become pieces of their own and the rest of the line is kept; whole lines the template
holds are dropped. A page's title glued after its breadcrumbs is cut off them
(`titles.split_breadcrumbs`). A Markdown line of images alone is dropped whole.

A piece keeps its line's link share: where the links were inside the line is not kept."""

from __future__ import annotations

from dataclasses import replace

from trnews.stages.clean.layout import Line
from trnews.stages.clean.reasons import REASON_IMAGE, REASON_SITE_TEMPLATE, REASON_WIDGET
from trnews.stages.clean.rules import rule_reason
from trnews.stages.clean.site_templates import SiteTemplate, template_key
from trnews.stages.clean.titles import lead_text, may_hold_breadcrumbs, split_breadcrumbs
from trnews.stages.clean.widgets import leading_widget, split_header, trailing_widget

__all__ = ["cut_fragments"]


def _affix_size(tokens: list[str], affix: str | None, at_start: bool) -> int:
    """How many tokens the template `affix` covers at the start (or end) of `tokens`; 0 when it
    is not there or would leave nothing."""
    size = len(affix.split()) if affix else 0
    if not size or len(tokens) <= size:
        return 0
    piece = tokens[:size] if at_start else tokens[-size:]
    return size if template_key(" ".join(piece)) == affix else 0


def _cut_line(text: str, prefix: str | None, suffix: str | None) -> list[tuple[str, str | None]]:
    """The pieces of one line in order, each with the reason it is cut off (None: still to
    classify): a site-template prefix, a header and widget glued to the start, the text, a widget
    or site-template suffix glued to the end."""
    tokens = text.split()
    pieces: list[tuple[str, str | None]] = []
    if size := _affix_size(tokens, prefix, at_start=True):
        pieces.append((" ".join(tokens[:size]), REASON_SITE_TEMPLATE))
        tokens = tokens[size:]
    leading = leading_widget(tokens)
    if leading:
        start, end = leading
        pieces.extend((piece, None) for piece in split_header(" ".join(tokens[:start])))
        pieces.append((" ".join(tokens[start:end]), REASON_WIDGET))
        tokens = tokens[end:]
    ending: tuple[str, str] | None = None
    trailing = trailing_widget(tokens)
    if trailing is not None:
        tokens, ending = tokens[:trailing], (" ".join(tokens[trailing:]), REASON_WIDGET)
    elif size := _affix_size(tokens, suffix, at_start=False):
        tokens, ending = tokens[:-size], (" ".join(tokens[-size:]), REASON_SITE_TEMPLATE)
    if not pieces and ending is None:
        return [(text, None)]
    pieces.append((" ".join(tokens), None))
    if ending:
        pieces.append(ending)
    return [(piece, reason) for piece, reason in pieces if piece]


def cut_fragments(lines: list[Line], template: SiteTemplate | None) -> tuple[list[Line], list[str | None]]:
    """Lines with glued widgets and site-template pieces cut off into lines of their own; the
    second list holds the reason for each cut-off piece (None for what is still to classify).
    A line a line rule removes whole keeps that rule's reason and is not cut."""
    out: list[Line] = []
    preset: list[str | None] = []
    template_lines = frozenset(template.lines) if template else frozenset()
    for index, line in enumerate(lines):
        glued_title = None
        if not line.image and may_hold_breadcrumbs(line.text):
            glued_title = split_breadcrumbs(line.text, lead_text(after.text for after in lines[index + 1:]))
        if line.image:
            pieces = [(line.text, REASON_IMAGE)]
        elif glued_title:
            pieces = [(piece, None) for piece in glued_title]
        elif rule_reason(line.text):
            pieces: list[tuple[str, str | None]] = [(line.text, None)]
        elif template_key(line.text) in template_lines:
            pieces = [(line.text, REASON_SITE_TEMPLATE)]
        else:
            prefix = template.prefix if template and index == 0 else None
            suffix = template.suffix if template and index == len(lines) - 1 else None
            pieces = _cut_line(line.text, prefix, suffix)
        for text, reason in pieces:
            out.append(replace(line, text=text, marked_heading=line.marked_heading and reason is None))
            preset.append(reason)
    return out, preset
