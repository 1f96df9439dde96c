"""Mail: the outbox every mail goes through, its delivery over SMTP, and the admin's page of what failed."""
