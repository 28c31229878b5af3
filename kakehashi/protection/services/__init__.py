"""Writes of the MOC's protective core. Each service checks who acts (kakehashi.access),
validates, and writes the change and its history in one transaction."""
