"""The one result type of an import: rows read, created, unchanged, warnings and errors (``Issue``).

``errors`` non-empty means nothing was written. At most ``MAX_ISSUES`` issues of each kind are kept (a
million-row file with a wrong column must not fill the memory); ``error_count`` counts them all.
Each importer may extend it and owns its ``--json`` shape (``as_dict``): that output is a contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ISSUES = 1000


@dataclass(frozen=True)
class Issue:
    row: int | None  # 1-based row number in the file; None (or 0) for the file as a whole
    column: str  # the header as written in the file ("" for the whole row or file)
    message: str  # for people, in the active language
    code: str = ""  # stable, English, where the importer names its checks ("required", "bad_date", …)

    def as_dict(self) -> dict:
        if self.code:
            return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, row: int | None, column: str, message: str, code: str = "") -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ISSUES:
            self.errors.append(Issue(row, column, message, code))

    def warn(self, row: int | None, column: str, message: str, code: str = "") -> None:
        if len(self.warnings) < MAX_ISSUES:
            self.warnings.append(Issue(row, column, message, code))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "rows": self.rows,
                "created": self.created, "unchanged": self.unchanged,
                "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings]}
