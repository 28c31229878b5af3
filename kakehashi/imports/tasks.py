"""The bulk import of a file uploaded on the page, run by the task worker."""

from __future__ import annotations

from django_tasks import task

from .services import job_run


@task()
def run_import(job_id: int) -> str:
    """Import the job's file (all or nothing) and record the result on the job."""
    return str(job_run(job_id).status)
