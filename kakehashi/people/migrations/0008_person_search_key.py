"""The names' search key (core/search.py), filled for the persons already there, and its
trigram index: pg_trgm's GIN index on PostgreSQL; on SQLite an FTS5 table with the trigram
tokenizer over the same column, kept in step by triggers (its LIKE uses the index)."""

from django.db import migrations, models

from kakehashi.core.search import search_key

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX people_person_search_trgm ON people_person USING gin (search_key gin_trgm_ops)",
]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS people_person_search_trgm"]
SQLITE = [
    "CREATE VIRTUAL TABLE people_person_search USING fts5("
    "search_key, content='people_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_person_search_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_search(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER people_person_search_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_search(people_person_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER people_person_search_au AFTER UPDATE OF search_key ON people_person BEGIN "
    "INSERT INTO people_person_search(people_person_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO people_person_search(rowid, search_key) VALUES (new.id, new.search_key); END",
    "INSERT INTO people_person_search(people_person_search) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS people_person_search_ai",
    "DROP TRIGGER IF EXISTS people_person_search_ad",
    "DROP TRIGGER IF EXISTS people_person_search_au",
    "DROP TABLE IF EXISTS people_person_search",
]


def fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for person in Person.objects.only("family_name", "given_names", "native_name").iterator():
        key = search_key(person.family_name, person.given_names, person.native_name)
        Person.objects.filter(pk=person.pk).update(search_key=key)


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_person_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
