"""Django's `flush`, able to empty the audit table: the append-only triggers are lifted for
the flush and put back in the same transaction. Flush empties every table anyway (an
operator's command; the test runner's way to clean up after transactional tests)."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from kakehashi.audit import guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if options["interactive"]:
            answer = input(
                "This will IRREVERSIBLY DESTROY all data in the "
                f'"{connection.settings_dict["NAME"]}" database, the audit log included.\n'
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
        with transaction.atomic(using=database):
            guarded = guard.table_exists(connection)
            if guarded:
                guard.remove(connection)
            super().handle(**{**options, "interactive": False})
            if guarded:
                guard.install(connection)
