"""What a job returns and how it says it failed.

A job is `verb_noun(ctx, log) -> JobResult`. Bad records are warnings (the run still
succeeds); a failure the operator must act on is a `JobError`, either raised or, when the
job did useful work before it (two files applied, the third rejected), set as
`result.failure` so the counts of the work done are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class JobError(Exception):
    """A failure in plain Indonesian words, with what to do next.

    `cause` groups failures in the UI (file_rejected, unreachable, auth_failed...);
    `permanent` says whether a retry can help.
    """

    def __init__(self, message: str, *, cause: str, permanent: bool = True, english: str | None = None):
        self.message = message
        self.cause = cause
        self.permanent = permanent
        self.english = english
        super().__init__(message)


@dataclass
class JobResult:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    failure: JobError | None = None

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def fail(self, error: JobError) -> None:
        """Keep the first failure; the run ends FAILED after the remaining safe work."""
        if self.failure is None:
            self.failure = error

    def merge(self, other: JobResult) -> None:
        for key, n in other.counts.items():
            self.add(key, n)
        self.warnings.extend(other.warnings)
        if other.failure is not None:
            self.fail(other.failure)
