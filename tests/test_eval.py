"""`trnews eval`: BLEU and chrF with their signatures, beside the published figure, on a parallel set
built here and translated by a tiny model; the WMT sets offline fail with one line. No download."""

import shutil

import pytest
from typer.testing import CliRunner

from trnews.cli import app
from trnews.config import TranslationConfig
from trnews.tiny_models import DEFAULT_ENGLISH_TEXTS, DEFAULT_TURKISH_TEXTS
from trnews.translation.engines import make_engine
from trnews.translation.evaluation import file_test_set
from trnews.translation.hub import MT

WIDE = 200


@pytest.fixture
def parallel(tmp_path):
    source, reference = tmp_path / "devtest.tur_Latn", tmp_path / "devtest.eng_Latn"
    source.write_text("\n".join(DEFAULT_TURKISH_TEXTS[:6]) + "\n", encoding="utf-8")
    reference.write_text("\n".join(DEFAULT_ENGLISH_TEXTS[:6]) + "\n", encoding="utf-8")
    return source, reference


def test_scores_files_with_signatures_beside_the_published_figure(tiny_models, parallel, tmp_path):
    import sacrebleu

    # A folder named as the hub repository is taken for it: its published figures are shown.
    model = shutil.copytree(tiny_models.mt_tr_en, tmp_path / "opus-mt-tr-en")
    source, reference = parallel
    result = CliRunner().invoke(app, ["eval", "--mt-model", str(model), "--engine", "transformers", "--beam-size", "2",
                                      "--max-new-tokens", "8", "--cache-dir", str(tmp_path / "cache"),
                                      "--source-file", str(source), "--reference-file", str(reference),
                                      "--test-name", "flores200-devtest"], terminal_width=WIDE)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("│ flores200-devtest"))
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells[1] == "6" and cells[4:] == ["31.4", "59.0"]  # published, beside the measured
    config = TranslationConfig(model=str(model), engine="transformers", beam_size=2, max_new_tokens=8, device="cpu")
    hypotheses = [h.text for h in make_engine(config, MT, tmp_path / "other").translate(DEFAULT_TURKISH_TEXTS[:6])]
    assert cells[2] == f"{sacrebleu.corpus_bleu(hypotheses, [list(DEFAULT_ENGLISH_TEXTS[:6])]).score:.1f}"
    assert cells[3] == f"{sacrebleu.corpus_chrf(hypotheses, [list(DEFAULT_ENGLISH_TEXTS[:6])]).score:.1f}"
    assert "BLEU signature: nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in result.stdout
    assert "chrF signature: nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" in result.stdout


def test_files_that_do_not_pair_up_are_refused(parallel):
    source, reference = parallel
    reference.write_text("Only one line.\n", encoding="utf-8")
    with pytest.raises(Exception, match="6 lines .* 1: a test set needs one reference line"):
        file_test_set(source, reference)


def test_wmt_offline_is_one_clear_line_and_exit_2(tiny_models, tmp_path, monkeypatch):
    from sacrebleu.dataset import DATASETS

    for name in ("wmt16", "wmt17", "wmt18"):  # nothing downloaded
        monkeypatch.setattr(DATASETS[name], "_outdir", str(tmp_path / name))
        monkeypatch.setattr(DATASETS[name], "_rawdir", str(tmp_path / name / "raw"))
    result = CliRunner().invoke(app, ["eval", "--offline", "--mt-model", str(tiny_models.mt_tr_en),
                                      "--cache-dir", str(tmp_path / "cache")], terminal_width=WIDE)
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("trnews: newstest2016 is not downloaded and cannot be (offline mode is on)")
    assert "--source-file" in line
