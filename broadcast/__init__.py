"""Announcements to subscribers: the outbox of delivery rows, the rate-limited sender."""
