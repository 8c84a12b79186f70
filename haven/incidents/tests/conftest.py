"""Shortcuts for the incidents tests: run the import command on a sample file or on text, and
the cast's members as actors (from the cases tests)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.incidents.management.commands.import_incidents import TOO_MANY_REFUSED

DATA = Path(__file__).resolve().parent / "data"


class Run:
    def __init__(self, out: str, err: str, exit: int = 0):
        self.out = out
        self.err = err
        self.exit = exit  # 2: rows were refused beyond --allow-bad (the rest imported)


@pytest.fixture
def run_import(tmp_path):
    """run_import(agency, profile, file_or_text, *flags): the command's stdout and stderr. A
    string with a newline is written to a file first (named for the profile's format)."""

    def run(agency, profile: str, source, *flags: str) -> Run:
        path = source
        if isinstance(source, str) and "\n" in source:
            path = tmp_path / ("export.jsonl" if profile == "nibrs" else "export.csv")
            path.write_text(source, encoding="utf-8")
        out, err = StringIO(), StringIO()
        try:
            call_command(
                "import_incidents",
                str(path),
                "--agency",
                agency.slug,
                "--profile",
                profile,
                *flags,
                stdout=out,
                stderr=err,
            )
        except CommandError as exc:
            if exc.returncode != TOO_MANY_REFUSED:
                raise
            return Run(out.getvalue(), err.getvalue() + str(exc), exc.returncode)
        return Run(out.getvalue(), err.getvalue())

    return run


def sample(name: str) -> Path:
    return DATA / name


def sample_text(name: str) -> str:
    return sample(name).read_text(encoding="utf-8")
