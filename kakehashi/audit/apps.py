from typing import Any

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kakehashi.audit"
    label = "audit"

    def ready(self) -> None:
        # Every write of the project's models, sign-ins and task runs reach the log through
        # signals (receivers.py); reads of personal data are recorded by the views.
        from django.db.backends.signals import connection_created

        from .log import lock_before_writing
        from .receivers import connect

        connect()

        def lock_first(sender: Any, connection: Any, **kwargs: Any) -> None:
            # PostgreSQL: the log's lock before any write of a transaction (log.py).
            wrappers = connection.execute_wrappers
            if connection.vendor == "postgresql" and lock_before_writing not in wrappers:
                wrappers.append(lock_before_writing)

        connection_created.connect(lock_first, dispatch_uid="audit:lock_first", weak=False)
