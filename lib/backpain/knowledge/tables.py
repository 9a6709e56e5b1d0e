"""The table registry: every file of data/ the workbook reads, under the name the code uses for it."""

from __future__ import annotations

FILES = {
    "sources": "sources/sources.csv",
    "segments": "segments.csv",
    "taxonomy": "taxonomy.csv",
    "lexicon": "lexicon.csv",
    "mentions": "mentions.csv",
    "references": "references.csv",
    "findings": "findings.csv",
    "cause_findings": "cause_findings.csv",
    "base_rates": "base_rates.csv",
    "red_flags": "red_flags.csv",
    "body_regions": "body_regions.csv",
    "organ_segments": "organ_segments.csv",
    "lab_presets": "lab_presets.csv",
    "treatments": "treatments.csv",
    "treatment_mentions": "treatment_mentions.csv",
    "rubric_items": "quality/rubric_items.csv",
    "ratings": "quality/ratings.csv",
    "benchmarks": "quality/published_benchmarks.csv",
    "conclusions": "quality/conclusions.csv",
}
