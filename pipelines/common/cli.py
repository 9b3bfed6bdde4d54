"""What the command modules share: how a command is declared, and the arguments several take."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]
PARAMS = Path("params.yaml")


def add_command(
    subparsers: argparse._SubParsersAction, name: str, handler: Handler, *, help: str, description: str
) -> argparse.ArgumentParser:
    """A command ``python -m pipelines NAME`` that runs ``handler(args)``; ``help`` is its line in the
    list of commands, ``description`` the text of its own ``--help``."""
    parser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(handler=handler)
    return parser


def add_package(parser: argparse.ArgumentParser, default: Path | None = Path("datapackage.json")) -> None:
    """The package to read, as a positional argument: its ``datapackage.json`` or its folder
    (optional when there is a ``default``)."""
    if default is None:
        parser.add_argument("package", type=Path, help="datapackage.json or its folder")
    else:
        parser.add_argument(
            "package",
            type=Path,
            nargs="?",
            default=default,
            help=f"datapackage.json or its folder (default: {default})",
        )


def add_params(parser: argparse.ArgumentParser) -> None:
    """``--params``: the tunables file every stage reads through ``common.params``."""
    parser.add_argument("--params", type=Path, default=PARAMS, help=f"tunables (default: {PARAMS})")
