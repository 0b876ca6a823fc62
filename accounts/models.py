import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


TIME_ZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())

HOURS = range(24)


def hour_is_quiet(hour: int, *, start: int, end: int) -> bool:
    """Whether a local ``hour`` falls in quiet hours from ``start``:00 to ``end``:00, which may wrap
    past midnight (20 to 8: 20..23 and 0..7). Equal hours mean no quiet hours at all (an operator's
    ``QUIET_HOURS_START`` = ``QUIET_HOURS_END``; a user cannot choose it)."""
    if start == end:
        return False
    if start > end:
        return hour >= start or hour < end
    return start <= hour < end


# New accounts start with the operator's settings (existing accounts got them in the migration).
def default_digest_hour() -> int:
    return int(settings.DIGEST_HOUR)


def default_quiet_hours_start() -> int:
    return int(settings.QUIET_HOURS_START)


def default_quiet_hours_end() -> int:
    return int(settings.QUIET_HOURS_END)


def _hour_in_day(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0, f"{field}__lte": 23}),
        name=f"user_{field}_in_day",
        violation_error_message=f"{field.replace('_', ' ').capitalize()}: choose an hour from 0 to 23.",
    )


class Organization(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", "RPO provider"
        CLIENT = "client", "Client company"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    time_zone = models.CharField(
        max_length=64, default="UTC", choices=TIME_ZONE_CHOICES, validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organization_name_unique_ci"),
            models.CheckConstraint(condition=models.Q(kind__in=["provider", "client"]), name="organization_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Logins are case-insensitive: emails are stored lower-cased.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        ACCOUNT_MANAGER = "account_manager", "Account manager"
        RECRUITER = "recruiter", "Recruiter"
        SOURCER = "sourcer", "Sourcer"
        PROVIDER_ADMIN = "provider_admin", "Provider admin"
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        CLIENT_ADMIN = "client_admin", "Client admin"

    class NotificationPreference(models.TextChoices):
        EACH = "each", "Each reminder as it happens"
        DIGEST = "digest", "One daily digest"

    PROVIDER_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.RECRUITER, Role.SOURCER, Role.PROVIDER_ADMIN})
    CLIENT_ROLES = frozenset({Role.HIRING_MANAGER, Role.CLIENT_ADMIN})

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    # Only a bootstrap superuser may have no organisation (and then no role).
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", choices=TIME_ZONE_CHOICES, validators=[validate_time_zone]
    )
    notification_preference = models.CharField(
        max_length=16, choices=NotificationPreference.choices, default=NotificationPreference.EACH
    )
    # Local hours (0-23) in ``time_zone``: when the daily digest goes (for digest readers), and the
    # quiet hours in which no reminder email lands (start to end, wrapping past midnight).
    digest_hour = models.SmallIntegerField(
        default=default_digest_hour, help_text="Local hour (0-23) of the daily digest, for digest readers."
    )
    quiet_hours_start = models.SmallIntegerField(
        default=default_quiet_hours_start, help_text="Local hour (0-23) from which no reminder email lands."
    )
    quiet_hours_end = models.SmallIntegerField(
        default=default_quiet_hours_end, help_text="Local hour (0-23) at which reminder emails may land again."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=(models.Q(organization__isnull=True) & models.Q(role=""))
                | (models.Q(organization__isnull=False) & ~models.Q(role="")),
                name="user_role_iff_organization",
            ),
            _hour_in_day("digest_hour"),
            _hour_in_day("quiet_hours_start"),
            _hour_in_day("quiet_hours_end"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.organization_id is None:
            if self.role:
                raise ValidationError({"organization": "A user with a role belongs to an organisation."})
            return
        if not self.role:
            raise ValidationError({"role": "Choose a role for a member of an organisation."})
        allowed = self.PROVIDER_ROLES if self.organization.is_provider else self.CLIENT_ROLES
        if self.role not in allowed:
            raise ValidationError(
                {"role": f"{self.get_role_display()} is not a role in a {self.organization.get_kind_display()}."}
            )

    @staticmethod
    def display_name_of(full_name: str, email: str) -> str:
        """How a person is named on pages and in emails: their name, else their address."""
        return full_name or email

    @property
    def display_name(self) -> str:
        return self.display_name_of(self.full_name, self.email)

    @property
    def is_unscoped_admin(self) -> bool:
        """The bootstrap superuser, who belongs to no organisation and sees everything."""
        return self.is_superuser and self.organization_id is None

    @property
    def is_provider_staff(self) -> bool:
        return self.role in self.PROVIDER_ROLES

    @property
    def is_provider_admin(self) -> bool:
        return self.role == self.Role.PROVIDER_ADMIN

    @property
    def is_client_user(self) -> bool:
        return self.role in self.CLIENT_ROLES

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def reads_digest(self) -> bool:
        return self.notification_preference == self.NotificationPreference.DIGEST

    def is_quiet_hour(self, hour: int) -> bool:
        """Whether the local ``hour`` is in this person's quiet hours."""
        return hour_is_quiet(hour, start=self.quiet_hours_start, end=self.quiet_hours_end)


class OutOfOffice(models.Model):
    """A provider staff member away between two moments; their backup receives their work."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="out_of_office_periods")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    backup = models.ForeignKey(User, on_delete=models.PROTECT, related_name="covering_periods")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "out-of-office period"
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="ooo_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(backup=models.F("user")), name="ooo_backup_is_someone_else"),
        ]
        indexes = [
            # Serves "who is away now" in requisition_covering_recruiters: user_id IN (...) AND
            # starts_at <= now < ends_at.
            models.Index(fields=["user", "starts_at", "ends_at"], name="ooo_user_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} away {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}, backup {self.backup}"
