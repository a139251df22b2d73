from django.contrib.auth import authenticate
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import TokenRequestSerializer, TokenSerializer
from accounts.authentication import ExpiringTokenAuthentication
from accounts.models import ApiToken
from accounts.services import issue_api_token, revoke_api_token


class TokenView(APIView):
    """Exchange a username and password for an expiring API token; DELETE revokes it."""

    authentication_classes = [ExpiringTokenAuthentication]

    def get_permissions(self):
        # Asking for a token is the one call that needs no credentials yet.
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Get an API token",
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong username or password."),
            429: OpenApiResponse(OpenApiTypes.OBJECT, description="Username locked after failed attempts."),
        },
        auth=[],
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {
                    "detail": "Too many failed attempts for this username; try again later.",
                    "code": "locked_out",
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            return Response(
                {"non_field_errors": ["Wrong username or password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, raw = issue_api_token(user=user)
        data = TokenSerializer({"token": raw, "expires_at": token.expires_at, "username": user.username}).data
        # A bearer credential: never stored by a browser or proxy cache.
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    @extend_schema(summary="Revoke the token used for this request (log out)", responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            return Response(
                {"detail": "Send the token to revoke in the Authorization header."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        revoke_api_token(token=request.auth, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
