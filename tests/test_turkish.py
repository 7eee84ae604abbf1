import pytest

from trnews.text.turkish import fold, to_ascii, turkish_lower


@pytest.mark.parametrize(("text", "folded"), [
    ("PAYLAŞ", "paylas"),
    ("Paylaş", "paylas"),
    ("İSTANBUL’da IŞIK", "istanbul'da isik"),
    ("“Çığ” ‘düştü’ «dedi» `ve´", "\"cig\" 'dustu' \"dedi\" 've'"),
    ("plain ascii `tick`", "plain ascii 'tick'"),
    ("", ""),
])
def test_fold_matches_turkish_and_typographic_variants_keeping_positions(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_turkish_lower_keeps_the_two_is_apart():
    assert turkish_lower("IŞIK İzmir") == "ışık izmir"


def test_to_ascii_drops_what_has_no_ascii_letter():
    assert to_ascii("Ñandú İĞ 漢") == "nandu ig "
