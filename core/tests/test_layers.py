"""The structure of the project: every app imports only the apps below it.

    core ← members ← meetings ← plans, documents, tasks ← coordination, cluster_portal, api

Tests may import anything (they exercise the whole portal); application code, its
migrations and its templatetags may not import an app above their own, at module level
or inside a function.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAYER = {"core": 0, "members": 1, "meetings": 2, "plans": 3, "documents": 3, "tasks": 3, "coordination": 4,
         "cluster_portal": 4, "api": 4}


def imported_apps(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]


def application_modules():
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.relative_to(ROOT).parts:
                yield app, path


def upward_imports():
    for app, path in application_modules():
        for lineno, target in imported_apps(path):
            if target in LAYER and target != app and LAYER[target] >= LAYER[app]:
                yield f"{path.relative_to(ROOT)}:{lineno} imports {target}"


def test_apps_import_only_the_apps_below_them():
    assert list(upward_imports()) == []


@pytest.mark.parametrize("app", sorted(LAYER))
def test_every_app_is_scanned(app):
    assert any(a == app for a, _ in application_modules())
