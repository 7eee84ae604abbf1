"""What stories compare, computed once per article: hashed term counts per view and MinHash
signatures, and the TF-IDF rows made from the counts of the articles compared together.

Two views of the cleaned Turkish text: **words** (Turkish lower case, apostrophe suffixes cut, a
function-word list, then the first five letters: a prefix "stem" that works well for Turkish
retrieval, Can et al. 2008, and lets inflected forms of one name or verb meet) and **names and
numbers** (capitalised words and digits: who, where, how many, which day). The signatures are
MinHash over word 3-shingles of the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from trnews.records import CleanArticle
from trnews.text.datafiles import data_lines
from trnews.text.turkish import STEM_LETTERS, fold, turkish_lower

SHINGLE_WORDS = 3
MINHASH_PERMUTATIONS = 128
# Stored signatures are only comparable with signatures of the same scheme (datasketch 2).
MINHASH_SCHEME = "affine32"
# Collisions among 2^18 hashed terms only add a little noise to cosines; more columns cost time.
HASHED_FEATURES = 2**18
# Document frequencies are counted over at least this many articles (the batch, the stored ones
# in its window, the most recent others, and as many empty documents as are still missing), so
# that words weigh alike in a nightly batch of ten articles and in a backfill of thousands.
BACKGROUND_ARTICLES = 300

# A word, and what follows an apostrophe in it (a case suffix: "Ankara'da") left out.
_WORD = re.compile(r"(\w+)(?:['’]\w+)?")


@cache
def stopwords() -> frozenset[str]:
    return frozenset(data_lines("stopwords-tr.txt"))


def comparison_text(article: CleanArticle) -> str:
    """What stories compare: the title and every paragraph, as the source wrote them."""
    return "\n".join([article.title, *(p.text for p in article.paragraphs)])


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_terms(text: str) -> list[str]:
    """Content words, lower-cased by Turkish rules, cut to a five-letter prefix (numbers whole)."""
    stop = stopwords()
    words = (turkish_lower(w) for w in _words(text))
    return [w if w.isdigit() else w[:STEM_LETTERS] for w in words if len(w) > 1 and w not in stop]


def name_terms(text: str) -> list[str]:
    """Capitalised words and numbers (people, places, institutions, counts, days), folded. A
    sentence's first word is capitalised too; the function-word list drops the common ones."""
    stop = stopwords()
    found = []
    for word in _words(text):
        if word[0].isdigit() or (word[0].isupper() and len(word) > 1):
            lowered = turkish_lower(word)
            if lowered not in stop:
                found.append(fold(word))
    return found


def _shingles(text: str) -> list[bytes]:
    words = _words(fold(text))
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()]
    return [" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]


# Hashed term counts need no vocabulary, so each article is tokenised once, when it arrives, and
# its counts are stored; document frequencies are counted afresh over whichever articles are compared.
VIEWS: dict[str, Callable[[Sequence[str]], csr_matrix]] = {
    "words": HashingVectorizer(analyzer=word_terms, n_features=HASHED_FEATURES, alternate_sign=False,
                               norm=None).transform,
    "names": HashingVectorizer(analyzer=name_terms, n_features=HASHED_FEATURES, alternate_sign=False,
                               norm=None).transform,
}


@dataclass(frozen=True)
class Features:
    """What comparing articles needs, computed once per article: term counts per view (one row
    per article) and MinHash signatures (one row of `MINHASH_PERMUTATIONS` values per article)."""

    counts: dict[str, csr_matrix]
    signatures: np.ndarray

    def __len__(self) -> int:
        return len(self.signatures)

    @staticmethod
    def empty() -> Features:
        return Features(counts={name: csr_matrix((0, HASHED_FEATURES)) for name in VIEWS},
                        signatures=np.zeros((0, MINHASH_PERMUTATIONS), dtype=np.uint64))

    @staticmethod
    def of(texts: Sequence[str]) -> Features:
        if not texts:
            return Features.empty()
        signatures = MinHash.bulk([_shingles(t) for t in texts], num_perm=MINHASH_PERMUTATIONS, scheme=MINHASH_SCHEME)
        return Features(counts={name: csr_matrix(count(texts)) for name, count in VIEWS.items()},
                        signatures=np.array([m.hashvalues for m in signatures], dtype=np.uint64).reshape(
                            len(texts), MINHASH_PERMUTATIONS))

    def take(self, rows: np.ndarray) -> Features:
        return Features(counts={name: self.counts[name][rows] for name in VIEWS}, signatures=self.signatures[rows])

    @staticmethod
    def stack(parts: Sequence[Features]) -> Features:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Features.empty()
        return Features(counts={name: csr_matrix(vstack([p.counts[name] for p in parts])) for name in VIEWS},
                        signatures=np.vstack([p.signatures for p in parts]))


def tfidf_views(compared: Features, background: Features) -> dict[str, csr_matrix]:
    """L2-normalised TF-IDF rows of `compared`, per view. `background` (other recent articles)
    only adds to the document frequencies, so that a small batch weighs words as a full day's
    feed would."""
    # Until the store holds enough articles, the missing ones count as documents without any of
    # these terms: otherwise, among a handful of articles, every shared word looks common.
    unseen = csr_matrix((max(0, BACKGROUND_ARTICLES - len(background) - len(compared)), HASHED_FEATURES))
    return {name: TfidfTransformer(sublinear_tf=True)
            .fit(vstack([background.counts[name], compared.counts[name], unseen]))
            .transform(compared.counts[name])
            for name in VIEWS}
