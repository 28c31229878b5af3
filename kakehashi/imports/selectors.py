"""Reads of import jobs, always through the actor's visibility (access.visibility)."""

from __future__ import annotations

from django.db.models import QuerySet

from kakehashi.access import Actor
from kakehashi.access.visibility import import_job_visibility
from kakehashi.core.errors import NotFound

from .models import ImportJob


def import_jobs_visible_to(actor: Actor) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(import_job_visibility(actor)).select_related(
        "created_by", "organization"
    )


def import_job_get(actor: Actor, job_id: int) -> ImportJob:
    job = import_jobs_visible_to(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job
