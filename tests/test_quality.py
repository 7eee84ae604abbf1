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
    assert checks("", "Subscribe to our newsletter for the latest headlines every morning.") == ["length_ratio"]


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


class CopyingEngine:
    """An engine whose first choice copies the source and whose other hypotheses are `alternatives`."""

    def __init__(self, alternatives: dict[str, list[tuple[str, float]]], parts: dict[str, str] | None = None) -> None:
        self.options = alternatives
        self.parts = parts or {}
        self.asked: list[int] = []

    def alternatives(self, sentences, count):
        from trnews.translation.base import Hypothesis

        self.asked.append(count)
        return [[Hypothesis(text, score) for text, score in self.options.get(s, [(s, -0.1)])][:count] for s in sentences]

    def translate(self, sentences):
        from trnews.translation.base import Hypothesis

        return [Hypothesis(self.parts.get(s, s), -0.2) for s in sentences]


def test_a_failing_translation_is_replaced_by_the_best_passing_hypothesis_or_keeps_its_flags():
    from trnews.quality.recovery import Checked, recover

    config = QualityConfig()
    copied = PairToCheck("Bakan bugün açıklama yaptı.", "Bakan bugün açıklama yaptı.", -0.1)
    hopeless = PairToCheck("Toplantı yarın yapılacak.", "Toplantı yarın yapılacak.", -0.1)
    fine = PairToCheck("Evet.", "Yes.", -0.1)
    engine = CopyingEngine({copied.tr: [(copied.tr, -0.05), ("The minister made a statement today.", -0.4),
                                        ("The minister spoke today.", -0.3), ("The minister the minister the minister", -0.01)]})
    checked = [Checked(p, flags) for p, flags in zip([copied, hopeless, fine], check_pairs([copied, hopeless, fine], config))]
    recovered = recover(checked, engine, config)
    assert recovered[0].pair.en == "The minister spoke today." and recovered[0].flags == []
    assert recovered[0].recovered.startswith("n-best")
    assert recovered[1].pair == hopeless and [f.check for f in recovered[1].flags] == ["untranslated"]
    assert recovered[1].recovered is None
    assert recovered[2] == checked[2]
    assert engine.asked == [8]  # only the failing sentences, once
    assert recover(checked, engine, config.model_copy(update={"recovery_hypotheses": 0})) == checked


def test_a_long_failing_sentence_is_translated_in_two_parts_at_a_clause_boundary():
    from trnews.quality.recovery import Checked, recover

    first = "Belediye başkanı, yeni metro hattının iki yıl içinde tamamlanacağını açıkladı"
    second = "ve hattın her gün çok sayıda yolcu taşıyacağını, ulaşımın da kolaylaşacağını söyledi."
    source = f"{first} {second}"
    engine = CopyingEngine({}, {first: "The mayor announced that the new metro line would be finished within two years",
                                second: "and said the line would carry many passengers every day and make travel easier."})
    [item] = recover([Checked(PairToCheck(source, "The mayor announced.", -0.2), [])], engine, QualityConfig())
    assert item.recovered is None  # nothing failed: nothing tried
    flags = check_pairs([PairToCheck(source, "The mayor announced.", -0.2)], QualityConfig())[0]
    assert [f.check for f in flags] == ["length_ratio"]
    [item] = recover([Checked(PairToCheck(source, "The mayor announced.", -0.2), flags)], engine, QualityConfig())
    assert item.recovered.startswith("split") and item.flags == []
    assert item.pair.en.startswith("The mayor announced that") and item.pair.en.endswith("travel easier.")


def test_the_tiny_model_loops_and_its_sentences_stay_flagged_after_a_second_try(tiny_models, tmp_path):
    from trnews.config import TranslationConfig
    from trnews.records import CleanArticle, Source, TranslatedArticle, TranslatedParagraph, SentencePair
    from trnews.stages.check import checked_article, recovery_counts
    from trnews.translation.engines import make_engine
    from trnews.translation.hub import MT

    config = TranslationConfig(model=str(tiny_models.mt_tr_en), beam_size=2, max_new_tokens=12, device="cpu")
    engine = make_engine(config, MT, tmp_path)
    sources = ["Bakan bugün açıklama yaptı.", "Okullar yarın açılacak."]
    pairs = [SentencePair(tr=s, en=h.text, score=h.score) for s, h in zip(sources, engine.translate(sources))]
    article = TranslatedArticle(
        article=CleanArticle(id="a", source=Source(path="a.txt", sha256="0", format="text"), title="t"),
        title={"tr": "t", "en": "t"}, paragraphs=[TranslatedParagraph(kind="text", sentences=pairs)])
    checked = checked_article(article, QualityConfig(recovery_hypotheses=3), engine)
    for pair in checked.pairs():  # random weights: every hypothesis loops and is unsure
        assert {"low_confidence", "repetition"} <= {f.check for f in pair.flags} and pair.recovered is None
    assert recovery_counts(checked) == {"still flagged": 2}


def test_the_glossary_flags_a_missing_term_and_n_best_picks_a_hypothesis_that_has_it(tmp_path):
    from trnews.errors import ConfigError
    from trnews.quality.recovery import Checked, recover

    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("# Turkish\tEnglish\nHazine ve Maliye Bakanlığı\tTreasury and Finance Ministry\n"
                        "Meclis\tParliament\n", encoding="utf-8")
    config = QualityConfig(glossary=glossary)
    source = "Hazine ve Maliye Bakanlığı'nın önerisi Meclis'te kabul edildi."
    good = "The Treasury and Finance Ministry's proposal was accepted in Parliament."
    first = PairToCheck(source, "The finance ministry's proposal was accepted in Parliament.", -0.9)
    [flags] = check_pairs([first], config)
    assert [f.check for f in flags] == ["low_confidence", "glossary"] and "Treasury and Finance Ministry" in flags[1].reason
    assert check_pairs([PairToCheck(source, good, -0.2)], config) == [[]]
    # No hypothesis is sure of itself: the one with the term wins, keeping its low-confidence flag.
    engine = CopyingEngine({source: [(first.en, -0.9), (good, -0.95), ("The proposal was accepted.", -0.8)]})
    [item] = recover([Checked(first, flags)], engine, config)
    assert item.pair.en == good and [f.check for f in item.flags] == ["low_confidence"]
    assert item.recovered.startswith("n-best")

    glossary.write_text("Meclis Parliament\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        check_pairs([first], config)


def test_a_changed_glossary_changes_the_pipeline_fingerprint(tmp_path, monkeypatch):
    from trnews.config import load_settings
    from trnews.pipeline import fingerprint

    monkeypatch.setattr(fingerprint, "translation_namespace", lambda config: "ns")
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("Meclis\tParliament\n", encoding="utf-8")
    settings = load_settings(glossary=str(glossary))
    before = fingerprint.pipeline_fingerprint(settings)
    glossary.write_text("Meclis\tthe Assembly\n", encoding="utf-8")
    assert fingerprint.pipeline_fingerprint(settings) != before
