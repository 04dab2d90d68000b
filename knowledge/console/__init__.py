"""The staff console at /console/: tickets, the unanswered-question queue, the dashboard and the
catalog status, behind staff sign-in (docs/console.md)."""
