"""The translation checks (trnews.quality): each fault kind caught with its reason, and the
false-alarm traps (numbers written another way, inflected names, exonyms, datelines) let pass."""

import pytest

from trnews.config import QualityConfig
from trnews.quality.checks import PairToCheck, check_pairs


def checks(tr: str, en: str, score: float | None = -0.1) -> list[str]:
    [flags] = check_pairs([PairToCheck(tr, en, score)], QualityConfig())
    assert all(flag.reason for flag in flags)
    return [flag.check for flag in flags]


@pytest.mark.parametrize(("tr", "en", "expected"), [
    ("Bakan bugün açıklama yaptı.", "The minister made a statement today.", []),
    ("Bakan bugün açıklama yaptı.", "Bakan bugün açıklama yaptı.", ["untranslated"]),
    ("Bakan bugün açıklama yaptı.", "", ["empty"]),
    ("Rusya tarafı da aynı görüşte.", "And the Russian side, and the Russian side, and the Russian side", ["repetition"]),
    ("Bakan bugün önemli bir açıklama yaptı.", "Der Minister hat heute eine wichtige Erklärung abgegeben.",
     ["not_english"]),
    ("Bakan bugün açıklama yaptı.", "The minister made a statement today. == sync, corrected by elderman ==",
     ["unexplained"]),
    ("42 yaşındaki adam tutuklandı.", "The 24-year-old man was arrested.", ["numbers"]),
    ("Şirket 2,3 milyar lira kâr etti.", "The company made a profit of 2.3 million lira.", ["numbers"]),
    ("Toplantı 3 Haziran'da yapılacak.", "The meeting will be held on July 3.", ["numbers"]),
    ("Putin'in açıklaması dün yapıldı.", "Lavrov's statement was made yesterday.", ["names"]),
    ("Evet.", "Yes, indeed.", []),
    ("ANKARA (AA) -", "ANKARA (AA) -", []),
    ("İhracat 22 milyar 950 milyon dolar oldu.", "Exports amounted to $22.95 billion.", []),
    ("Enflasyon yüzde 40,5 oldu.", "Inflation was 40.5%.", []),
    ("Toplam 1.250,5 ton üretildi.", "A total of 1,250.5 tons was produced.", []),
    ("2. Dünya Savaşı sırasında yıkıldı.", "It was destroyed during World War II.", []),
    ("Maç saat 20.45'te başlayacak.", "The match will start at 8:45 p.m.", []),
    ("Kuzey Kore'ye yeni yaptırımlar geldi.", "New sanctions were imposed on North Korea.", []),
    ("Cumhurbaşkanı Erdoğan, Almanya'ya gitti.", "President Erdogan went to Germany.", []),
    ("Milli Eğitim Bakanlığı yeni müfredatı açıkladı.", "The Ministry of National Education announced the new curriculum.",
     []),
])
def test_each_fault_is_flagged_by_its_check_and_traps_pass(tr, en, expected):
    assert checks(tr, en) == expected


def test_low_confidence_follows_the_threshold():
    assert checks("Bakan bugün açıklama yaptı.", "The minister made a statement today.", -0.9) == ["low_confidence"]
    assert checks("Bakan bugün açıklama yaptı.", "The minister made a statement today.", None) == []
    [flags] = check_pairs([PairToCheck("Bakan geldi.", "The minister came.", -0.9)], QualityConfig(min_score=-1.0))
    assert flags == []


def test_a_length_far_from_the_source_is_flagged_but_short_lines_have_an_allowance():
    long_source = "Bakan, bütçe görüşmelerinin ardından yaptığı açıklamada vergilerin artmayacağını ve harcamaların kısılacağını söyledi."
    assert "length_ratio" in checks(long_source, "The minister said.")
    assert checks("Evet.", "Yes, of course.") == []


def test_qa_command_checks_a_bilingual_file_line_by_line(tmp_path):
    import json

    from typer.testing import CliRunner

    from trnews.cli import app

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in [
        {"id": "a", "tr": "42 yaşındaki adam tutuklandı.", "en": "The 24-year-old man was arrested."},
        {"tr": "Evet.", "en": "Yes.", "score": -0.1},
        {"id": 3, "tr": "Bakan geldi.", "en": "The minister came.", "score": -2.5},
    ]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", str(pairs), "--min-score", "-1.0"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["line"], [f["check"] for f in line["flags"]]) for line in lines] == [
        ("a", 1, ["numbers"]), (None, 2, []), (3, 3, ["low_confidence"])]
    assert "24" in lines[0]["flags"][0]["reason"]

    pairs.write_text('{"tr": "Evet.", "en": "Yes."}\n{"tr": "Hayır."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", str(pairs)])
    assert result.exit_code == 2 and "line 2" in result.output and "`en`" in result.output
