"""House rules, enforced: the core never imports Qt; SQL lives only in gridapp/storage/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gridapp"
GUI_FILES = {"app.py", "__main__.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_qt() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui" or (len(rel.parts) == 1 and rel.name in GUI_FILES):
            continue
        if any(name.split(".")[0] in {"PySide6", "shiboken6"} for name in _imports(path)):
            offenders.append(str(rel))
    assert not offenders


_SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b"
    r"|\.execute\(|\.executemany\(|\.query\("
)


def test_sql_lives_only_in_storage() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "storage":
            continue
        if _SQL.search(path.read_text(encoding="utf-8")):
            offenders.append(str(rel))
    assert not offenders


def test_no_file_grows_past_the_split_line() -> None:
    too_long = [
        f"{p.relative_to(PACKAGE)}: {n}"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    ]
    assert not too_long


#: What each room of gridapp/ui may import of the other rooms. The shell builds the
#: window and every screen, so it alone may reach everywhere; a field screen never
#: imports an office or administration screen.
ROOMS_MAY_IMPORT: dict[str, set[str]] = {
    "common": set(),
    "households": {"common"},
    "paper": {"common"},
    "sync": {"common"},
    "admin": {"common"},
    "field": {"common", "households", "paper"},
    "office": {"common", "households", "paper"},
    "setup": {"common", "field"},  # the questionnaire preview is the field's form
}
UI = PACKAGE / "ui"


def test_every_room_of_the_ui_is_known() -> None:
    rooms = {p.name for p in UI.iterdir() if (p / "__init__.py").exists()}
    assert rooms == set(ROOMS_MAY_IMPORT) | {"shell"}
    assert sorted(p.name for p in UI.glob("*.py")) == ["__init__.py"]  # no loose screens


def test_rooms_import_only_what_they_may() -> None:
    offenders = []
    for room, allowed in ROOMS_MAY_IMPORT.items():
        for path in (UI / room).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if parts[:2] == ["gridapp", "ui"] and len(parts) > 2:
                    other = parts[2]
                    if other != room and other not in allowed:
                        offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offenders


TESTS = Path(__file__).resolve().parent


def _mirrored(test_dir: Path) -> Path | None:
    """The package folder a test folder mirrors: tests/unit/X → gridapp/X,
    tests/gui/X → gridapp/ui/X (tests/e2e and tests/fixtures mirror nothing)."""
    rel = test_dir.relative_to(TESTS)
    if rel.parts[:1] == ("unit",):
        return PACKAGE.joinpath(*rel.parts[1:])
    if rel.parts[:1] == ("gui",):
        return UI.joinpath(*rel.parts[1:])
    return None


def test_tests_mirror_the_package() -> None:
    """tests/unit/sync/test_importer_hostile.py tests gridapp/sync/importer.py: each
    test module is named after the module it tests, with an optional topic after it."""
    strays = []
    for path in sorted(TESTS.glob("*/**/test_*.py")):
        package = _mirrored(path.parent)
        if package is None:
            continue
        if path == TESTS / "gui" / "test_app.py":  # the GUI entry point, gridapp/app.py
            continue
        modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
        name = path.stem.removeprefix("test_")
        if not any(name == m or name.startswith(m + "_") for m in modules):
            strays.append(str(path.relative_to(TESTS)))
    assert not strays


def _ui_files() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_nothing_in_the_ui_opens_a_database() -> None:
    """app.py opens the store and builds the services once; a screen gets what it needs
    in its constructor. So nothing in ui imports the store, builds services or reaches
    into a service's `.store`."""
    offenders = []
    for path in _ui_files():
        rel = path.relative_to(PACKAGE)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "store":
                offenders.append(f"{rel}:{node.lineno} reaches .store")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "Services" or node.func.id.endswith("Service"):
                    offenders.append(f"{rel}:{node.lineno} builds {node.func.id}")
            elif isinstance(node, ast.ImportFrom) and node.module == "gridapp.storage.store":
                offenders.append(f"{rel}:{node.lineno} imports the store")
    assert not offenders


_THREADS = {"threading", "QThread", "QThreadPool", "QRunnable", "concurrent.futures"}


def test_background_work_goes_through_one_helper() -> None:
    """Threads start in gridapp/ui/common/jobs.py only (Jobs, the read pools)."""
    offenders = []
    for path in [*_ui_files(), PACKAGE / "app.py"]:
        if path == UI / "common" / "jobs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: set[str] = set()
            if isinstance(node, ast.Import):
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {node.module or ""} | {alias.name for alias in node.names}
            if names & _THREADS:
                offenders.append(f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}")
    assert not offenders
