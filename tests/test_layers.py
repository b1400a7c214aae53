"""The layer rules the README states, checked on the source."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ipdata").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_never_touch_storage_or_excel_libraries():
    pages = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py")]
    offenders = [
        (p.name, sorted(_imports(p) & {"duckdb", "openpyxl", "python_calamine"}))
        for p in pages
        if _imports(p) & {"duckdb", "openpyxl", "python_calamine"}
    ]
    assert offenders == []


def test_pages_write_only_through_checked_entry_points():
    """Writes go through ipdata.service / manage / tasks / notes, which require a signed-in
    statistician; a page calling Store.apply, Store.rollback or Store.save_note itself would skip
    that check."""
    offenders = []
    for p in (ROOT / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("apply", "rollback", "save_note")
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "service")):
                offenders.append(f"{p.name}:{node.lineno}")
    assert offenders == []
