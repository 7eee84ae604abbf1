"""Why the cleaner drops a piece of text: the reasons `Removed.reason` records, and the verdict
each line of an article gets."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "REASON_AD_MARKER", "REASON_ADVERT", "REASON_AFTER_TAG_LIST", "REASON_AUTHOR_BIO", "REASON_BANNER",
    "REASON_BOILERPLATE", "REASON_CAPTION", "REASON_CHAPTER_LIST", "REASON_COMMENT_FORM", "REASON_COMMENT_SECTION",
    "REASON_CREDIT", "REASON_DUPLICATE_CAPTION", "REASON_FORM_FIELD", "REASON_HEADER_ROW", "REASON_IMAGE",
    "REASON_METADATA_LABEL", "REASON_POLL", "REASON_PUBLISH_DATE", "REASON_PULL_QUOTE", "REASON_RELATED_LINKS",
    "REASON_REPEATED_TITLE", "REASON_SECTION_PREFIX", "REASON_SEPARATOR", "REASON_SIDEBAR_BOX", "REASON_SITE_SUFFIX",
    "REASON_SITE_TEMPLATE", "REASON_SPAM", "REASON_TABLE_OF_CONTENTS", "REASON_TIME_STAMP", "REASON_TITLE_LABEL",
    "REASON_UPDATE_DATE", "REASON_USER_NAME", "REASON_WIDGET", "REASON_LEARNED_BOILERPLATE", "KEPT", "Verdict",
]

REASON_COMMENT_FORM = "comment-form"
# A form's field alone on a line ("E-posta adresiniz", "Gönder"): a comment form's or a newsletter's.
REASON_FORM_FIELD = "form-field"
# Readers' comments: everything after the comment section's chrome below the article.
REASON_COMMENT_SECTION = "comment-section"
# Below the article's tag list: related links, prompts, bios and the footer.
REASON_AFTER_TAG_LIST = "after-tag-list"
# A kept line above the headline the title search found (a menu item, a ticker, breadcrumbs).
REASON_HEADER_ROW = "header-row"
REASON_METADATA_LABEL = "metadata-label"
REASON_AD_MARKER = "ad-marker"
# Advert copy without a marker: the sales voice (`lexicon.sells_to_reader`).
REASON_ADVERT = "advert"
REASON_BANNER = "breaking-news-banner"
REASON_REPEATED_TITLE = "repeated-title"
REASON_SITE_SUFFIX = "site-name-suffix"
# A section name before the headline ("Ekonomi | ...").
REASON_SECTION_PREFIX = "section-prefix"
REASON_TITLE_LABEL = "title-label"
# A time standing alone among the article's lines: a live blog's entry time ("21:42"; the entry
# below it is article text), a comment's or a forum post's date ("24 Ocak 2027, 22:03").
REASON_TIME_STAMP = "time-stamp"
# A commenter's or a forum poster's handle alone on a line ("kerem_26").
REASON_USER_NAME = "user-name"
REASON_UPDATE_DATE = "update-date"
REASON_PUBLISH_DATE = "publish-date"
REASON_CREDIT = "credit"
# A few lines about the writer the page credits, below the byline (`blocks.mark_author_bios`).
REASON_AUTHOR_BIO = "author-bio"
REASON_BOILERPLATE = "boilerplate"
REASON_SEPARATOR = "separator"
REASON_SPAM = "spam"
REASON_WIDGET = "widget"
REASON_SITE_TEMPLATE = "site-template"
REASON_RELATED_LINKS = "related-links"
# The lines of a box below the article, under a heading the learned model dropped
# (`blocks.mark_boxes_under_dropped_headings`).
REASON_SIDEBAR_BOX = "sidebar-box"
REASON_DUPLICATE_CAPTION = "duplicate-caption"
# A sentence without a verb just above a photo's credit (`blocks.mark_captions`).
REASON_CAPTION = "caption"
# A video's or a podcast's chapters: a run of lines led by time codes from 00:00
# (`page_structures.mark_chapter_lists`).
REASON_CHAPTER_LIST = "chapter-list"
# A sentence of the article set apart in large type, which a paragraph says again
# (`page_structures.mark_pull_quotes`).
REASON_PULL_QUOTE = "pull-quote"
# A reader poll: a question and its answers with their vote shares (`page_structures.mark_polls`).
REASON_POLL = "poll"
# Entries the article repeats below as its subheadings (`page_structures.mark_tables_of_contents`).
REASON_TABLE_OF_CONTENTS = "table-of-contents"
# A Markdown line that shows images and no text: nothing to translate.
REASON_IMAGE = "image"
# Dropped by the learned line model (`learned`), not by a rule.
REASON_LEARNED_BOILERPLATE = "learned-boilerplate"


@dataclass(frozen=True)
class Verdict:
    reason: str | None = None  # None: the line is kept
    published: str | None = None  # ISO dates a date line carries
    updated: str | None = None
    evidence: tuple[str, ...] = ()  # what a learned decision rested on (see `learned`)


KEPT = Verdict()
