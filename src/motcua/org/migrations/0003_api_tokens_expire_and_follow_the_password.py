"""API tokens expire and end when their user's password changes (issue 10, finding 6).

A token issued before this migration is given MOTCUA_API_TOKEN_DAYS from now (an integration keeps working
through the upgrade, then renews) and the fingerprint of its user's password as it is now.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.crypto import salted_hmac

# As in org.models.ApiToken.fingerprint, copied so that this migration keeps working if the model changes.
PASSWORD_FINGERPRINT_SALT = "motcua.org.ApiToken.password_fingerprint"


def expire_and_fingerprint(apps, schema_editor):
    ApiToken = apps.get_model("org", "ApiToken")
    expires_at = timezone.now() + dt.timedelta(days=settings.MOTCUA_API_TOKEN_DAYS)
    for token in ApiToken.objects.select_related("user").iterator():
        fingerprint = salted_hmac(PASSWORD_FINGERPRINT_SALT, token.user.password, algorithm="sha256")
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=expires_at, password_fingerprint=fingerprint.hexdigest()
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_citizen_sign_in")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(expire_and_fingerprint, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
