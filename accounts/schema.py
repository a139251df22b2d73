"""How the API's schema describes the Bearer form of the API token (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION",
            token_prefix=self.target.keyword,
        )


class IntegrationKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.IntegrationKeyAuthentication"
    name = "integrationKey"
    priority = 1

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION",
            token_prefix=self.target.keyword,
        )
        scheme["description"] = "An integration key (`bok_…`), limited to its scopes."
        return scheme
