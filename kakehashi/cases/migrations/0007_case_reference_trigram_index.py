"""Searching cases by part of their reference ("2026-0001") through a trigram index on
PostgreSQL (pg_trgm, made by people 0008). SQLite reads the references in order: at the
sizes SQLite serves, a scan of one short column (docs/benchmark.md)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS cases_case_reference_trgm ON cases_case USING gin (reference gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS cases_case_reference_trgm"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_indexes_for_the_city"),
        ("people", "0008_person_search_key"),
    ]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
