"""The request being answered, for audit records made deep inside services and signals.

The audit middleware sets it for the length of each request; outside a request (the
worker, management commands, tests calling services) it is None and events are recorded
as done by the system.
"""

from contextvars import ContextVar

current_request: ContextVar = ContextVar("sluss_audit_current_request", default=None)
