"""The one error a person editing the data reads: which file, which row, which column, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one file). `row` is the line number in the CSV (header = 1).

    `whole_file` marks a root cause: a file that is missing, cannot be read, lacks a column, or a page
    that is not the one the tables were made for. These are listed first, before the rows they upset.
    """

    file: str
    row: int | None
    column: str | None
    reason: str
    whole_file: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"

    @property
    def rank(self) -> int:
        """0 for a whole file (the root causes), 1 for a table-wide rule, 2 for one row."""
        if self.whole_file or (self.row is None and self.column is None):
            return 0
        return 1 if self.row is None else 2


class DataError(ValueError):
    """Raised when the knowledge base fails validation; lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        # whole-file problems (a missing page, an unreadable table) first: they are the root causes
        self.problems = sorted(problems, key=lambda p: (p.rank, p.file, p.row or 0, p.column or ""))
        shown = "\n".join(f"  - {p}" for p in self.problems[:30])
        more = f"\n  ... and {len(self.problems) - 30} more" if len(self.problems) > 30 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the workbook data:\n{shown}{more}")


def csv_row(index: int) -> int:
    """Line number in the CSV file of the 0-based data row `index` (line 1 is the header)."""
    return int(index) + 2
