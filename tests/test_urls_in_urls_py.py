"""Routes live in each app's urls.py: from a URL to its view is one hop for a newcomer."""

import ast
from pathlib import Path

import microsolidarity

PACKAGE = Path(microsolidarity.__file__).parent


def _defines_urlpatterns(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
            return True
    return False


def test_only_urls_modules_define_urlpatterns():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "urls.py" and _defines_urlpatterns(path)
    ]

    assert offenders == []


def test_every_app_with_views_has_a_urls_module():
    apps_with_views = {
        path.parent for path in PACKAGE.rglob("views.py") if path.parent != PACKAGE
    } | {path.parent.parent for path in PACKAGE.rglob("views/__init__.py")}

    missing = [
        str(app.relative_to(PACKAGE)) for app in apps_with_views if not (app / "urls.py").exists()
    ]

    assert apps_with_views
    assert missing == []
