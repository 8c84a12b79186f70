"""List the modules over MAX_MODULE lines and the functions over MAX_FUNCTION lines in haven/
(migrations and tests left out), so a reader can hold each piece (issue 20, item 5).

    .venv/bin/python scripts/long_pieces.py [--unexplained]

A long piece may stay long when a comment says why: a line `# long: <reason>` just above the
`def` (or among the first lines of a module). --unexplained lists only those without one and
exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE = 500
MAX_FUNCTION = 60
MARK = "# long:"


def python_files(base: Path):
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def reason_above(lines: list[str], lineno: int) -> str:
    """The `# long:` reason on the lines just above a def (its decorators included)."""
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith(("@", "#")):
        text = lines[index].strip()
        if text.startswith(MARK):
            return text[len(MARK) :].strip()
        index -= 1
    return ""


def module_reason(lines: list[str]) -> str:
    for line in lines[:40]:
        if line.strip().startswith(MARK):
            return line.strip()[len(MARK) :].strip()
    return ""


def long_pieces(base: Path) -> list[tuple[str, int, str, str]]:
    """(where, lines, what, reason) for every long module and function."""
    found = []
    for path in python_files(base):
        source = path.read_text()
        lines = source.splitlines()
        where = str(path.relative_to(ROOT))
        if len(lines) > MAX_MODULE:
            found.append((where, len(lines), "module", module_reason(lines)))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION:
                    found.append(
                        (
                            f"{where}:{node.lineno}",
                            length,
                            f"def {node.name}",
                            reason_above(lines, node.lineno),
                        )
                    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unexplained", action="store_true", help="only those without a reason")
    args = parser.parse_args(argv)
    pieces = long_pieces(ROOT / "haven")
    if args.unexplained:
        pieces = [p for p in pieces if not p[3]]
    for where, length, what, reason in pieces:
        print(f"{length:5d}  {what:40s} {where}" + (f"  ({reason})" if reason else ""))
    return 1 if args.unexplained and pieces else 0


if __name__ == "__main__":
    sys.exit(main())
