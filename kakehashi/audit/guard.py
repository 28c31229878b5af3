"""The database refuses to change or remove audit rows: triggers on the audit table that
raise on UPDATE and DELETE (and TRUNCATE on PostgreSQL). Installed by the audit app's
migration; `flush` (management/commands/flush.py) lifts them for the time it empties the
database. Whoever owns the table (or, on SQLite, can write the file) can still drop them:
the chain and the signed heads are what reveal that (docs/security.md, "Audit log")."""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditentry"
MESSAGE = "the audit log is append-only"

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_entry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
    END
    $$
    """,
    f"""
    CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse()
    """,
    f"""
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse()
    """,
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_update_or_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_refuse()",
]
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]
_STATEMENTS = {
    "postgresql": (_POSTGRES_INSTALL, _POSTGRES_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}
_TRIGGERS = {
    "postgresql": (
        f"SELECT count(*) FROM pg_trigger WHERE tgrelid = '{TABLE}'::regclass "
        "AND NOT tgisinternal AND tgname LIKE 'audit_entry_%%'",
        2,
    ),
    "sqlite": (
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        f"AND tbl_name = '{TABLE}' AND name LIKE 'audit_entry_%%'",
        2,
    ),
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Put the triggers on the audit table (again: any present are replaced)."""
    if connection.vendor not in _STATEMENTS:
        return
    install_sql, remove_sql = _STATEMENTS[connection.vendor]
    _run(connection, remove_sql + install_sql)


def remove(connection: Any) -> None:
    if connection.vendor in _STATEMENTS:
        _run(connection, _STATEMENTS[connection.vendor][1])


def installed(connection: Any) -> bool:
    """Whether the database refuses changes to the audit table (every trigger present)."""
    if connection.vendor not in _TRIGGERS:
        return False
    query, expected = _TRIGGERS[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query, [])
        row = cursor.fetchone()
    return bool(row) and row[0] == expected


def table_exists(connection: Any) -> bool:
    return TABLE in connection.introspection.table_names()
