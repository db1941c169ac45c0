"""The domain layer is pure Python: no Flask, SQLAlchemy, WTForms or WeasyPrint imports."""
import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "kapcourse" / "domain"
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "wtforms", "weasyprint", "kapcourse.models", "kapcourse.services", "kapcourse.extensions")
FILES = sorted(DOMAIN.rglob("*.py"))


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            prefix = "kapcourse." if node.level >= 2 else ""
            names.append(prefix + node.module)
    return names


def test_there_is_a_domain_to_check():
    assert FILES


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(DOMAIN)) for p in FILES])
def test_domain_module_imports_nothing_impure(path):
    bad = [m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"
