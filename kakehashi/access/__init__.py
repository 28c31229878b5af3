"""The one access policy: who acts for which organization (actor.py), who sees which
records (visibility.py) and who may do what (policy.py). docs/access.md is its prose form."""

from .actor import ANONYMOUS, Actor
from .requests import request_actor

__all__ = ["ANONYMOUS", "Actor", "request_actor"]
