"""Cleaning stage: keep the article body (headings and paragraphs), drop everything else.

`clean_text` (`article`) works in passes over the lines of a `RawArticle` (`layout.split_lines`,
which first splits flattened text back into paragraphs):

Markdown lines are read as a reader sees them (`markdown_inline`: link anchors without their
addresses, no emphasis marks); a line of images alone is dropped.

1. fragments (`fragments`, `widgets`): a site-template prefix or suffix (`SiteTemplate`, learned
   by `site_templates.TemplateStats`) and widgets glued into a line ("18 Şubat 2018 PAYLAŞ
   Yorum yaz A" before the first paragraph, "PAYLAŞ A" after the last) are cut off into pieces of
   their own and the rest of the line is kept; whole lines the template holds are dropped;
2. the title (`titles`: the headline-shaped line above the lead that the lead restates), then
   one verdict per line: the repeated title, the whole-line rules (`rules`: comment forms, form
   fields, metadata labels, ad markers, breaking-news banners, credits, page furniture), and
   date lines (`metadata`; a date line inside the article's prose is an event's, the article's);
3. blocks: the link list under a "related" heading goes with it, everything below the article's
   end (its comment section's chrome or its tag list) goes, a caption that ends in a source
   credit and repeats the sentence before it is dropped, and so is a verbless sentence above a
   photo's credit (`blocks`); runs of lines without sentence structure are dropped as spam only
   with spam evidence (`spam`);
4. the learned line model (`learned`: boosted trees, features in `line_features`, UI vocabulary
   in `lexicon`) judges the lines the rules kept that are not certain text; what it drops is
   listed with reason `learned-boilerplate` and its evidence (it also lets the title search pass
   a header row, which is dropped as `header-row`); a box below the article under a heading it
   dropped goes with its heading (`blocks.mark_boxes_under_dropped_headings`);
5. the lines left are grouped into paragraphs and headings (`paragraphs`); text is not rewritten.

`check_languages` (`language`) then tells, for many articles at once, whether each is Turkish;
`clean_article` does both for one article. An article with no body left gets
`skip_reason = NO_TEXT_LEFT`.

Every dropped piece is recorded as `Removed(text, reason)`; the reasons are the `REASON_*`
constants (`reasons`). Phrase lists and patterns live in `trnews/data/` (see each file's header);
each module's docstring holds the decisions worth knowing about its concern.
"""

from __future__ import annotations

from trnews.stages.clean.article import NO_TEXT_LEFT, clean_article, clean_text
from trnews.stages.clean.language import check_languages, language_detector
from trnews.stages.clean.reasons import (
    REASON_AD_MARKER,
    REASON_ADVERT,
    REASON_AFTER_TAG_LIST,
    REASON_AUTHOR_BIO,
    REASON_BANNER,
    REASON_BOILERPLATE,
    REASON_CAPTION,
    REASON_COMMENT_FORM,
    REASON_COMMENT_SECTION,
    REASON_CREDIT,
    REASON_DUPLICATE_CAPTION,
    REASON_FORM_FIELD,
    REASON_HEADER_ROW,
    REASON_IMAGE,
    REASON_LEARNED_BOILERPLATE,
    REASON_METADATA_LABEL,
    REASON_POLL,
    REASON_PUBLISH_DATE,
    REASON_RELATED_LINKS,
    REASON_REPEATED_TITLE,
    REASON_SECTION_PREFIX,
    REASON_SEPARATOR,
    REASON_SIDEBAR_BOX,
    REASON_SITE_SUFFIX,
    REASON_SITE_TEMPLATE,
    REASON_SPAM,
    REASON_TABLE_OF_CONTENTS,
    REASON_TIME_STAMP,
    REASON_TITLE_LABEL,
    REASON_UPDATE_DATE,
    REASON_WIDGET,
)

__all__ = [
    "NO_TEXT_LEFT", "check_languages", "clean_article", "clean_text", "language_detector",
    "REASON_AD_MARKER", "REASON_ADVERT", "REASON_AFTER_TAG_LIST", "REASON_AUTHOR_BIO", "REASON_BANNER",
    "REASON_BOILERPLATE", "REASON_CAPTION", "REASON_COMMENT_FORM", "REASON_COMMENT_SECTION", "REASON_CREDIT",
    "REASON_DUPLICATE_CAPTION", "REASON_FORM_FIELD", "REASON_HEADER_ROW", "REASON_IMAGE", "REASON_LEARNED_BOILERPLATE",
    "REASON_METADATA_LABEL", "REASON_POLL", "REASON_PUBLISH_DATE", "REASON_RELATED_LINKS", "REASON_REPEATED_TITLE",
    "REASON_SECTION_PREFIX", "REASON_SEPARATOR", "REASON_SIDEBAR_BOX", "REASON_SITE_SUFFIX", "REASON_SITE_TEMPLATE",
    "REASON_SPAM", "REASON_TABLE_OF_CONTENTS", "REASON_TIME_STAMP", "REASON_TITLE_LABEL", "REASON_UPDATE_DATE",
    "REASON_WIDGET",
]
