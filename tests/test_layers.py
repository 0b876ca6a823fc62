"""The apps depend on each other one way only: accounts <- engagements <- feedback <- partnership,
with rpo_portal below them all. Imports are checked by import-linter (``make lint``); these tests
show that its contract catches an upward import, and that no lower app names a higher app's pages
either (URL names are strings, which no import checker sees)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LAYERS = ["rpo_portal", "accounts", "engagements", "feedback", "partnership"]  # lowest first
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_of_the_project(tmp_path: Path) -> Path:
    tree = tmp_path / "project"
    tree.mkdir()
    for package in LAYERS:
        shutil.copytree(BASE_DIR / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(BASE_DIR / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_import_contract_holds_and_breaks_on_a_lower_app_importing_a_higher_one(tmp_path):
    tree = _copy_of_the_project(tmp_path)
    kept = _lint_imports(tree)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    # A lazy import, inside a function, as accounts/views.py once did.
    with (tree / "accounts" / "selectors.py").open("a") as module:
        module.write("\n\ndef _upward():\n    from engagements.selectors import engagement_list  # noqa\n")
    broken = _lint_imports(tree)
    assert broken.returncode != 0
    assert "accounts.selectors -> engagements.selectors" in broken.stdout


def _url_names_used(path: Path) -> set[str]:
    text = path.read_text()
    return set(re.findall(r"""(?:\{%\s*url\s+|reverse(?:_lazy)?\(\s*|redirect\(\s*)["']([\w-]+):""", text))


def test_no_app_names_the_pages_of_an_app_above_it():
    upward = []
    for level, app in enumerate(LAYERS):
        higher = set(LAYERS[level + 1 :])
        files = [*(BASE_DIR / app).rglob("*.py"), *(BASE_DIR / "templates" / app).rglob("*.*")]
        for path in files:
            for namespace in _url_names_used(path) & higher:
                upward.append(f"{path.relative_to(BASE_DIR)} names {namespace}:")
    assert upward == []
