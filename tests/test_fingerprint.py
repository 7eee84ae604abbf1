"""The code fingerprint covers every output-deciding module, wherever it lives in the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from trnews.pipeline.fingerprint import code_version_of, output_code_files


def _package(root: Path) -> Path:
    files = {
        "__init__.py": "",
        "cli/__init__.py": "",
        "cli/commands.py": "print('orchestration')",
        "stage.py": "A = 1",
        "sub/__init__.py": "",
        "sub/deeper/rule.py": "B = 2",
        "sub/deeper/__pycache__/rule.cpython-311.pyc": "junk",
        "data/words.txt": "kelime",
        "data/more/lines.tsv": "a\tb",
        "notes.md": "not code",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def test_modules_in_subpackages_and_nested_data_files_are_covered(tmp_path):
    package = _package(tmp_path / "pkg")
    assert output_code_files(package) == [
        "data/more/lines.tsv", "data/words.txt", "stage.py", "sub/__init__.py", "sub/deeper/rule.py"]


def test_editing_a_nested_module_changes_the_code_version(tmp_path):
    package = _package(tmp_path / "pkg")
    before = code_version_of(package)
    (package / "sub" / "deeper" / "rule.py").write_text("B = 3", encoding="utf-8")
    assert code_version_of(package) != before


def test_moving_a_module_changes_the_code_version(tmp_path):
    package = _package(tmp_path / "pkg")
    before = code_version_of(package)
    (package / "sub" / "deeper" / "rule.py").rename(package / "sub" / "rule.py")
    assert code_version_of(package) != before


def test_orchestration_code_does_not_change_the_code_version(tmp_path):
    package = _package(tmp_path / "pkg")
    before = code_version_of(package)
    (package / "cli" / "commands.py").write_text("print('other')", encoding="utf-8")
    (package / "notes.md").write_text("edited", encoding="utf-8")
    assert code_version_of(package) == before


def test_every_module_of_trnews_is_covered_unless_listed_as_orchestration():
    package = resources.files("trnews")
    covered = set(output_code_files(package))
    root = Path(str(package))
    modules = {p.relative_to(root).as_posix() for p in root.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules - covered <= {m for m in modules if _is_orchestration(m)}


def _is_orchestration(module: str) -> bool:
    from trnews.pipeline.fingerprint import _NOT_OUTPUT_CODE

    return any(module == excluded or module.startswith(excluded + "/") for excluded in _NOT_OUTPUT_CODE)
