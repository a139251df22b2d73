from rest_framework import serializers

from common.api import StrictCharField, StrictFieldsMixin


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    """A user's credentials, exchanged for an API token."""

    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, style={"input_type": "password"}, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField()
    username = serializers.CharField()
