"""The base of every configuration model: unknown keys and mutation are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A typo in a YAML key fails at load time instead of being silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)
