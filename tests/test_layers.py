"""The layers point one way (issue 12, "the shape of the code"): domain ← storage ←
scheduler ← handlers ← bot. A module imports only its own layer and those below it; the
pure rules in domain/ import nothing of ours; bot.texts, bot.config and bot.screens are
the catalogue, the settings and the screens every layer may use (and KNOWN, below). Read from the source
with ast, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["domain", "storage", "scheduler", "handlers", "bot"]
SHARED = ("bot.texts", "bot.config", "bot.screens")  # importable from every layer but domain
# Known arrows up, left as they are: the typed context every handler receives, and the
# drafts and invite codes the handlers keep (moving them below handlers is a clean-up of
# its own). Listed so that no new one creeps in unseen.
KNOWN = ("bot.context", "bot.drafts", "bot.invites")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def upward(layer: str, name: str) -> bool:
    """Whether importing ``name`` from ``layer`` points up (or, from domain, anywhere of ours)."""
    top = name.split(".")[0]
    if top not in LAYERS:
        return False  # the standard library, a dependency, tests, bench
    if layer == "domain":
        return top != "domain"
    if any(name == shared or name.startswith(f"{shared}.") for shared in SHARED + KNOWN):
        return False
    return LAYERS.index(top) > LAYERS.index(layer)


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_no_layer_imports_one_above_it(layer: str) -> None:
    arrows = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for name in imports_of(path)
        if upward(layer, name)
    ]
    assert arrows == []
