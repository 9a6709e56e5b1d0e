"""The table registry: every file of data/ the workbook reads, and every link between them.

TABLES says, for each table, its file and its key: the column other tables use to name one of its rows
(the schema that checks its columns is schema.SCHEMAS under the same name). FOREIGN_KEYS says which column refers to what: one
row each, read as "segments.source_id names a source". integrity.py checks every one of them the same
way, so a new link between tables is a new row here, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str  # what the code calls it
    file: str  # under data/
    key: str | None  # the column naming one row, for foreign keys (None: nothing refers to its rows by one id)


TABLES = {
    t.name: t
    for t in [
        Table("sources", "sources/sources.csv", "source_id"),
        Table("segments", "segments.csv", None),
        Table("taxonomy", "taxonomy.csv", "cause_id"),
        Table("lexicon", "lexicon.csv", None),
        Table("cause_names", "cause_names.csv", None),
        Table("mentions", "mentions.csv", None),
        Table("references", "references.csv", "reference_id"),
        Table("findings", "findings.csv", "finding_id"),
        Table("cause_findings", "cause_findings.csv", None),
        Table("base_rates", "base_rates.csv", "cause_id"),
        Table("red_flags", "red_flags.csv", "flag_id"),
        Table("body_regions", "body_regions.csv", "region_id"),
        Table("organ_segments", "organ_segments.csv", "organ_id"),
        Table("lab_presets", "lab_presets.csv", "preset_id"),
        Table("treatments", "treatments.csv", "treatment_id"),
        Table("treatment_mentions", "treatment_mentions.csv", None),
        Table("rubric_items", "quality/rubric_items.csv", None),  # keyed by instrument + item_id
        Table("ratings", "quality/ratings.csv", None),
        Table("benchmarks", "quality/published_benchmarks.csv", None),
        Table("conclusions", "quality/conclusions.csv", "source_id"),
    ]
}

FILES = {name: table.file for name, table in TABLES.items()}


@dataclass(frozen=True)
class Target:
    """What a foreign key may name: the rows of `table`, or only those whose column `where[0]` is `where[1]`."""

    table: str
    where: tuple[str, str] | None = None


TARGETS = {
    "source": Target("sources"),  # a row of sources.csv (whether or not its page file loaded)
    "cause": Target("taxonomy", ("level", "cause")),  # a leaf of the taxonomy, not a category
    "taxonomy row": Target("taxonomy"),  # a cause or a category
    "finding": Target("findings"),
    "reference": Target("references"),
    "treatment": Target("treatments"),
}


@dataclass(frozen=True)
class ForeignKey:
    """`table.column` names a `target` (a key of TARGETS). many=True: a list separated by ';' (and by '|'
    inside one group of red_flags.trigger_findings). Empty cells are allowed where the schema allows them."""

    table: str
    column: str
    target: str
    many: bool = False


FOREIGN_KEYS = [
    ForeignKey("segments", "source_id", "source"),
    ForeignKey("taxonomy", "parent_id", "taxonomy row"),
    ForeignKey("taxonomy", "reference_id", "reference"),
    ForeignKey("taxonomy", "indicated_by", "finding", many=True),
    ForeignKey("lexicon", "cause_id", "taxonomy row"),
    ForeignKey("cause_names", "cause_id", "cause"),
    ForeignKey("mentions", "source_id", "source"),
    ForeignKey("mentions", "cause_id", "cause"),
    ForeignKey("findings", "background_evidence", "reference"),
    ForeignKey("cause_findings", "cause_id", "cause"),
    ForeignKey("cause_findings", "finding_id", "finding"),
    # cause_findings.evidence is a reference_id or a source_id:start-end span: integrity.evidence checks it
    ForeignKey("base_rates", "cause_id", "cause"),
    ForeignKey("base_rates", "evidence", "reference"),
    ForeignKey("red_flags", "cause_ids", "cause", many=True),
    ForeignKey("red_flags", "trigger_findings", "finding", many=True),
    ForeignKey("red_flags", "unless", "finding", many=True),
    ForeignKey("red_flags", "reference_id", "reference"),
    ForeignKey("body_regions", "finding_id", "finding"),
    ForeignKey("organ_segments", "reference_id", "reference"),
    ForeignKey("lab_presets", "present", "finding", many=True),
    ForeignKey("lab_presets", "absent", "finding", many=True),
    ForeignKey("treatments", "reference_id", "reference"),
    ForeignKey("treatment_mentions", "source_id", "source"),
    ForeignKey("treatment_mentions", "treatment_id", "treatment"),
    ForeignKey("rubric_items", "reference_id", "reference"),
    ForeignKey("ratings", "source_id", "source"),
    # ratings (instrument, item_id) names a rubric item by two columns: integrity.ratings checks it
    ForeignKey("benchmarks", "reference_id", "reference"),
    ForeignKey("conclusions", "source_id", "source"),
]
