"""The one error a person editing the data reads: which file, which row, which column, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one file). `row` is the line number in the CSV (header = 1)."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"


class DataError(ValueError):
    """Raised when the knowledge base fails validation; lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        # whole-file problems (a missing page, an unreadable table) first: they are the root causes
        self.problems = sorted(problems, key=lambda p: (p.row is not None, p.file, p.row or 0, p.column or ""))
        shown = "\n".join(f"  - {p}" for p in self.problems[:30])
        more = f"\n  ... and {len(self.problems) - 30} more" if len(self.problems) > 30 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the workbook data:\n{shown}{more}")


def csv_row(index: int) -> int:
    """Line number in the CSV file of the 0-based data row `index` (line 1 is the header)."""
    return int(index) + 2
