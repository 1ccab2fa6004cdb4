"""Where the data files a config names (forecast, roster, samples, logs) are looked up.

A relative name is tried as given, from the working directory a planner runs in, then under the
project root, so the library's `scenarios/...` files are found from anywhere."""

from __future__ import annotations

from pathlib import Path

from sim.errors import ConfigError


class FileFinder:
    """Finds data files named in configs: as given, then relative to the project root."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, name: object, where: str, field: str) -> Path:
        if not isinstance(name, str) or not name:
            raise ConfigError(where, field, f"expected a file name, got {name!r}")
        path = Path(name)
        for candidate in (path, self.root / path):
            if candidate.is_file():
                return candidate
        raise ConfigError(where, field, f"file {name!r} not found (looked in . and {self.root})")
