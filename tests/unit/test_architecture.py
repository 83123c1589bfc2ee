"""The layers and doors of docs/ARCHITECTURE.md, checked on the source itself.

- Pure modules (rules, engines) load neither Flask nor SQLAlchemy, checked in a fresh interpreter.
- Packages import each other only through `<pkg>.interface` (core is the shared kernel anyone uses).
- No import cycle between packages, counting imports inside functions too.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ("quota", "jobmatch", "training", "followup", "employment")
PACKAGES = ("core", *DOMAIN)
FORBIDDEN = ("flask", "flask_babel", "flask_sqlalchemy", "flask_login", "sqlalchemy", "werkzeug")
PURE_FOLDERS = ("quota/rules", "jobmatch/engine")
PURE_MODULES = (
    "core.codes",
    "core.dates",
    "core.divisions",
    "core.retry_policy",
    "core.offers",
    "employment.rules",
    "employment.competition_rules",
    "employment.indicators",
    "followup.timing",
    "training.gap",
    "training.evaluation",
    "training.states",
    "training.needs",
)


def pure_modules() -> list[str]:
    folders = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for folder in PURE_FOLDERS
        for path in sorted((ROOT / folder).glob("*.py"))
        if path.name != "__init__.py"
    ]
    return [*folders, *PURE_MODULES]


BLOCKER = """
import importlib.abc, sys
FORBIDDEN = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ImportError(f"pure code imported {name}")
sys.meta_path.insert(0, Block())
failed = []
for module in sys.argv[2:]:
    try:
        __import__(module)
    except ImportError as error:
        failed.append(f"{module}: {error}")
print("\\n".join(failed))
"""


def test_pure_modules_load_neither_flask_nor_the_database():
    modules = pure_modules()
    assert len(modules) > 20
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, ",".join(FORBIDDEN), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def imports_between_packages() -> list[tuple[str, str, str]]:
    """(file, importing package, imported module) for every import of another domain package."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    # `from quota import interface` imports the module quota.interface
                    names = [
                        f"{node.module}.{alias.name}" if node.module in DOMAIN else node.module
                        for alias in node.names
                    ]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    target = name.split(".")[0]
                    if target in DOMAIN and target != package:
                        found.append((str(path.relative_to(ROOT)), package, name))
    return found


def test_packages_call_each_other_only_through_their_interface():
    wrong = [
        (path, name)
        for path, _, name in imports_between_packages()
        if name != f"{name.split('.')[0]}.interface"
    ]
    assert wrong == []


def test_core_imports_no_domain_package():
    assert [f for f, package, _ in imports_between_packages() if package == "core"] == []


def test_no_import_cycle_between_packages():
    graph: dict[str, set[str]] = {p: set() for p in PACKAGES}
    for _, package, name in imports_between_packages():
        graph[package].add(name.split(".")[0])

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph[start]
        )

    assert [p for p in PACKAGES if reaches(p, p, {p})] == []


def test_the_checks_see_a_real_dependency():
    """The scan is not vacuous: matching does ask the quota review for shortfalls."""
    assert ("jobmatch/services/matching.py", "jobmatch", "quota.interface") in {
        (path, package, name) for path, package, name in imports_between_packages()
    }
