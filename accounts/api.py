"""API of people: token login and the user's own tokens, the current user, out-of-office periods."""

from django.conf import settings
from django.contrib.auth import authenticate
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from rpo_portal.api import AwareDateTimeField, IdFilter, ScopedRelatedField

from . import selectors, services
from .models import Organization, OutOfOffice, User, validate_time_zone

# --- Token login -------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs):
        user = authenticate(self.context["request"], email=attrs["email"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError("Unable to log in with this email and password.", code="authorization")
        attrs["user"] = user
        return attrs


class TokenView(APIView):
    """Exchange an email and password for a new API token (``Authorization: Token <key>``), valid
    until ``expiry``. The key is shown this once: only its digest is stored. After too many failed
    attempts for the account or from the address, answers 429 until the lock expires."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}),
            429: inline_serializer("SignInPaused", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        # Answered, not raised: an exception would roll back the request's transaction, and with it
        # the failed attempt the lockout (accounts.throttling) has just recorded.
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return self.locked_out()
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token, key = services.api_token_create(user=serializer.validated_data["user"], request=request)
        return Response({"token": key, "expiry": serializers.DateTimeField().to_representation(token.expiry)})

    def locked_out(self) -> Response:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        detail = (
            "Too many failed sign-in attempts for this account or from this address: "
            f"signing in is paused for {minutes} minutes."
        )
        return Response(
            {"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(minutes * 60)}
        )


class ApiTokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", read_only=True, help_text="The key's first characters.")
    current = serializers.SerializerMethodField(help_text="Whether this request is made with this token.")

    class Meta:
        model = AuthToken
        fields = ["id", "created", "expiry", "current"]
        read_only_fields = fields

    def get_current(self, token: AuthToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The user's own API tokens that still work (never anyone else's): list them, revoke one."""

    serializer_class = ApiTokenSerializer
    lookup_field = "token_key"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-zA-Z_-]+"
    filter_backends = []
    ordering = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return selectors.api_token_list(user=self.request.user)

    def destroy(self, request, id=None):
        services.api_token_revoke(actor=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeView(APIView):
    """Revoke the token this request is made with (signing out of the API)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.ValidationError({"non_field_errors": ["This request is not made with an API token."]})
        services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The current user --------------------------------------------------------------------------


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone], required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "organization",
            "time_zone",
            "notification_preference",
            "digest_hour",
            "quiet_hours_start",
            "quiet_hours_end",
        ]
        read_only_fields = ["id", "email", "role", "organization"]
        # The rules (hours 0-23, quiet hours of at least an hour, a digest outside them) are the
        # service's, shared with the settings page: its ValidationError answers 400 per field.
        extra_kwargs = {
            name: {"required": False}
            for name in ("full_name", "notification_preference", "digest_hour", "quiet_hours_start", "quiet_hours_end")
        }


class MeView(APIView):
    """The user making the request; they may change their name, time zone, reminder preference,
    digest hour and quiet hours (local hours 0-23), as on their settings page."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(MeSerializer(user).data)


# --- Out of office -----------------------------------------------------------------------------


class OutOfOfficeSerializer(serializers.ModelSerializer):
    user = ScopedRelatedField(
        selector=selectors.colleague_list,
        queryset=User.objects.none(),
        required=False,
        help_text="Who is away; yourself if left out. Provider admins and account managers may set it for a colleague.",
    )
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    backup = ScopedRelatedField(selector=selectors.colleague_list, queryset=User.objects.none())
    backup_name = serializers.CharField(source="backup.full_name", read_only=True)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()

    class Meta:
        model = OutOfOffice
        fields = ["id", "user", "user_name", "starts_at", "ends_at", "backup", "backup_name", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class OutOfOfficeUpdateSerializer(OutOfOfficeSerializer):
    user = serializers.PrimaryKeyRelatedField(read_only=True)


class OutOfOfficeFilter(filters.FilterSet):
    user = IdFilter(field_name="user_id")
    backup = IdFilter(field_name="backup_id")

    class Meta:
        model = OutOfOffice
        fields = ["user", "backup"]


class ProviderStaffWrites(permissions.BasePermission):
    """Out of office with a backup is a provider-staff matter: others may look (and see nothing)."""

    message = "Only provider staff can be out of office with a backup."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_provider_staff


class OutOfOfficeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Absences of the provider's staff and who covers them."""

    permission_classes = [permissions.IsAuthenticated, ProviderStaffWrites]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = OutOfOfficeFilter
    ordering_fields = ["starts_at", "ends_at", "created_at", "id"]
    ordering = ["-starts_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OutOfOffice.objects.none()
        return selectors.out_of_office_list(user=self.request.user)

    def get_serializer_class(self):
        return OutOfOfficeUpdateSerializer if self.action == "partial_update" else OutOfOfficeSerializer

    @extend_schema(responses={201: OutOfOfficeSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.setdefault("user", request.user)
        out_of_office = services.out_of_office_create(actor=request.user, **data)
        return Response(OutOfOfficeSerializer(out_of_office, context=self.get_serializer_context()).data, status=201)

    def partial_update(self, request, pk=None):
        out_of_office = self.get_object()
        serializer = self.get_serializer(out_of_office, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        out_of_office = services.out_of_office_update(
            actor=request.user, out_of_office=out_of_office, **serializer.validated_data
        )
        return Response(OutOfOfficeSerializer(out_of_office, context=self.get_serializer_context()).data)

    def destroy(self, request, pk=None):
        services.out_of_office_delete(actor=request.user, out_of_office=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
