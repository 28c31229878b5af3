from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kakehashi.audit.verify import verify


class Command(BaseCommand):
    help = (
        "Check the audit log: every row's hash, its link to the row before, the numbering, "
        "the database's refusal of changes, and every signed head in AUDIT_HEAD_DIR. Names "
        "each row found wrong; exits with a non-zero status on any problem."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.problems:
            raise CommandError(
                f"The audit log does not verify ({len(report.problems)} problems, "
                f"{report.rows} rows read):\n" + "\n".join(report.problems)
            )
        self.stdout.write(report.summary())
        if report.heads_checked:
            self.stdout.write(f"{report.heads_checked} signed heads match the chain.")
