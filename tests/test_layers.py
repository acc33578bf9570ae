"""The layers import only downwards: domain ← storage ← scheduler ← handlers ← bot.

Every import in the source (also those inside functions and under TYPE_CHECKING: an
arrow is an arrow) is read with ``ast``, never run. ``bot.texts``, ``bot.config`` and
``bot.screens`` may be imported by everyone (COMMON.md); ``bot.context`` (the typed
BotData/BotContext that the standards ask handlers and jobs to take their dependencies
from) by scheduler and handlers; ``bot.drafts`` and ``bot.invites`` (drafts' records and
invite codes) by handlers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("domain", "storage", "scheduler", "handlers", "bot")
EVERYONE_MAY = ("bot.texts", "bot.config", "bot.screens")

# What each layer may import of ours besides itself: packages, or modules of bot.
ALLOWED: dict[str, tuple[str, ...]] = {
    "domain": (),
    "storage": ("domain", *EVERYONE_MAY),
    "scheduler": ("domain", "storage", *EVERYONE_MAY, "bot.context"),
    "handlers": ("domain", "storage", "scheduler", *EVERYONE_MAY, "bot.context", "bot.drafts", "bot.invites"),
}


def imported_modules(source: str, module: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module the source imports; ``module`` (the importer's
    own dotted name) resolves relative imports. ``from a import b`` yields ``a.b`` too,
    since b may be a module."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            parts = [node.module] if node.module else []
            if node.level:
                above = package.split(".")
                parts = above[: len(above) - node.level + 1] + parts
            base = ".".join(parts)
            if base:
                yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if base else alias.name


def upward_arrows(layer: str, module: str, source: str) -> list[str]:
    """The imports of a module of ``layer`` that reach a layer it may not import."""
    allowed = ALLOWED[layer]
    arrows = []
    for line, name in imported_modules(source, module):
        top = name.split(".")[0]
        if top not in OURS or top == layer:
            continue
        if top == "bot" and name == "bot":
            continue  # "from bot import texts" is judged by its "bot.texts"
        if not any(name == ok or name.startswith(ok + ".") for ok in allowed):
            arrows.append(f"{module}:{line} imports {name}")
    return sorted(set(arrows))


def modules_of(layer: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / layer).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_no_upward_imports(layer: str) -> None:
    arrows = [
        arrow
        for module, path in modules_of(layer)
        for arrow in upward_arrows(layer, module, path.read_text(encoding="utf-8"))
    ]
    assert arrows == [], "\n".join(arrows)


def test_every_layer_has_modules_to_check() -> None:
    """A moved or renamed folder would make the check above pass on nothing."""
    for layer in ALLOWED:
        assert len(list(modules_of(layer))) >= 3, layer


def test_an_upward_arrow_is_found() -> None:
    """The walker sees what a layer must not do, in all the forms imports take."""
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from bot.texts import t\n"
        "if TYPE_CHECKING:\n"
        "    from handlers.common import say\n"
        "def later():\n"
        "    import scheduler.jobs\n"
        "from bot import app\n"
        "from .. import handlers\n"
    )
    assert upward_arrows("storage", "storage.example", source) == [
        "storage.example:5 imports handlers.common",
        "storage.example:5 imports handlers.common.say",
        "storage.example:7 imports scheduler.jobs",
        "storage.example:8 imports bot.app",
        "storage.example:9 imports handlers",
    ]
    assert upward_arrows("scheduler", "scheduler.example", "from handlers import flow\n") == [
        "scheduler.example:1 imports handlers",
        "scheduler.example:1 imports handlers.flow",
    ]
    assert upward_arrows("domain", "domain.example", "import storage.db\nfrom domain import clock\n") == [
        "domain.example:1 imports storage.db"
    ]
    assert upward_arrows("handlers", "handlers.example", "from bot.context import BotContext\n") == []
