"""Every write recorded without the services having to ask: a receiver of post_save
(create, or update with the `update_fields` when given) and post_delete for each model of
the project's apps (`kakehashi.*`, users included), Django's groups, and the MFA devices
and recovery codes (django-otp, when installed); m2m_changed for their many-to-many
fields. Sign-in and sign-out are recorded from Django's signals, and a task's rows carry
"task:<name>" (django-tasks' started and finished signals, whichever worker runs it).

Not recorded, and why:
- `audit.AuditEntry` itself (a row about a row would never end);
- `accounts.SignedInSession`: the "where you are signed in" list, written on every sign-in
  and touched as it is used; the sign-in and sign-out themselves are recorded;
- Django's sessions, django-tasks-db's task results, django-axes' attempt and lockout
  rows, content types, permissions and the admin's own log: plumbing, or (axes) a log of
  its own;
- anything written without a signal: `QuerySet.update()`, `bulk_create()`,
  `bulk_update()` and raw SQL (docs/security.md lists where the code does this).

Receivers are connected per model (not for every sender), so models outside the log keep
Django's fast deletes."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks.signals import task_finished, task_started

from .log import Acting, bind, current, pop, push, record
from .models import Action

SKIPPED = {"audit.auditentry", "accounts.signedinsession"}
# Models of other packages whose writes matter: groups (who holds which permissions), the
# second factor's devices and recovery codes.
ALSO = {"auth.group", "otp_totp.totpdevice", "otp_static.staticdevice", "otp_static.statictoken"}


def _is_audited(model: type[Model]) -> bool:
    label = model._meta.label_lower
    if label in SKIPPED:
        return False
    config = model._meta.app_config
    return label in ALSO or (config is not None and config.name.startswith("kakehashi."))


def audited_models() -> list[type[Model]]:
    return [model for model in apps.get_models() if _is_audited(model)]


def _saved(
    sender: Any, instance: Model, created: bool, update_fields: Any, using: str, **kwargs: Any
) -> None:
    action = Action.CREATE if created else Action.UPDATE
    record(action, instance, fields=update_fields or (), using=using)


def _deleted(sender: Any, instance: Model, using: str, **kwargs: Any) -> None:
    record(Action.DELETE, instance, using=using)


def _m2m_receiver(field_name: str) -> Any:
    def changed(
        sender: Any, instance: Model, action: str, reverse: bool, pk_set: Any, using: str, **kw: Any
    ) -> None:
        if not action.startswith("post_"):
            return
        count = "" if pk_set is None else f" {len(pk_set)}"
        fields = () if reverse else (field_name,)
        detail = f"{action.removeprefix('post_')}{count}" + (
            f" via {field_name}" if reverse else ""
        )
        record(Action.UPDATE, instance, fields=fields, detail=detail, using=using)

    return changed


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with bind(user_id=user.pk):  # the user who signs in acts, whatever the request knew
        record(Action.SIGN_IN, user)


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.SIGN_OUT, user)


# The binding of each running task, by its id, until it finishes.
_task_tokens: dict[str, Any] = {}


def _task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    name = task_result.task.module_path.rsplit(".", 1)[-1]
    outer = current()
    acting = Acting(user_id=outer.user_id, label=f"task:{name}"[:100], ip=outer.ip, path=outer.path)
    _task_tokens[task_result.id] = push(acting)


def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        pop(token)


def connect() -> None:
    for model in audited_models():
        uid = f"audit:{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _m2m_receiver(field.name),
                sender=through,
                dispatch_uid=f"{uid}.{field.name}",
                weak=False,
            )
    user_logged_in.connect(_signed_in, dispatch_uid="audit:sign_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit:sign_out")
    task_started.connect(_task_started, dispatch_uid="audit:task_started")
    task_finished.connect(_task_finished, dispatch_uid="audit:task_finished")
