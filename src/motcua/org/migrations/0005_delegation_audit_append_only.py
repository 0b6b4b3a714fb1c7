"""The delegation trail is append-only in the database too, like the events and the change chain (ADR 0015):
each of its entries is also a record of the change chain, and here no row of it can be updated or deleted."""

from django.db import migrations

from motcua.core.appendonly import forbid_changes


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_mail_quota"),
    ]

    operations = [
        forbid_changes("org_delegationaudit"),
    ]
