"""User mistakes, reported as one clear line instead of a traceback.

Every check on configs and CSV files raises `ConfigError` naming where the bad value lives (the
file, or the config key path), which field, and what is allowed. The app turns it into a message
on stderr and exit code 2 before anything is written to the run directory.
"""

from __future__ import annotations


class ConfigError(Exception):
    def __init__(self, source: str, field: str, problem: str):
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{source}: {field}: {problem}")
