"""Mail: the outbox (queued in the caller's transaction), its transports, the messages composed from templates/mail/."""
