"""Command line: ``python -m pipelines COMMAND``. Each stage registers its own commands."""

from __future__ import annotations

import argparse
import importlib
import sys

from pipelines.common.errors import PipelineError, os_failure

# Each module defines ``register(subparsers)``; heavy imports stay inside the handlers so
# that ``--help`` and unrelated commands stay fast.
COMMAND_MODULES = (
    "pipelines.extract.command",
    "pipelines.package.command",
    "pipelines.validate.command",
    "pipelines.publish.command",
    "pipelines.release.command",
    "pipelines.synth.command",
    "pipelines.synth.scan_command",
    "pipelines.ocr.command",
    "pipelines.extract.review_command",
    "pipelines.across.command",
    "pipelines.load.command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines",
        description="Turn Vietnamese provincial socio-economic reports into validated open data.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {os_failure(exc, f'complete `{args.command}`')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
