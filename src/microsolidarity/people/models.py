"""A person, their profile (with who may see each part) and their personal API tokens."""

import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin, _user_has_perm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microsolidarity.matching.availability import Window, parse_availability
from microsolidarity.paths import path_for


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "Person":
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "Person":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone with an account. The email is the identity; the display name is what others see."""

    email = models.EmailField(_("email"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    is_staff = models.BooleanField(_("operator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Kept by notifications.services (raised on notify, recounted on reading), so the header
    # shows the count on every page without a query of its own.
    notifications_unread = models.PositiveIntegerField(default=0, editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.name_from(self.display_name, self.email)

    @staticmethod
    def name_from(display_name: str, email: str) -> str:
        """What `str(person)` says, from the two columns: for pages that read only those."""
        return display_name or email.split("@")[0]

    def get_absolute_url(self) -> str:
        return path_for("person_detail", self.pk)

    @property
    def public_name(self) -> str:
        """The name other members read in emails and lists: never a part of the address."""
        return self.display_name or str(_("a member without a name yet"))

    def has_perm(self, perm: str, obj=None) -> bool:
        """Django lets a superuser pass every check; here only model permissions (the admin's).

        A permission about one object (a crew's cycle, a dyad, a gathering) is decided by its
        rules alone, so `createsuperuser` opens no crew, dyad or journal (docs/security.md).
        """
        if obj is None:
            return super().has_perm(perm)
        if not self.is_active:
            return False

        return _user_has_perm(self, perm, obj)


class Audience(models.TextChoices):
    """Who may see one part of a profile, widest first."""

    SITE = "site", _("Everyone signed in here")
    CONGREGATIONS = "congregations", _("People in my congregations")
    CREWS = "crews", _("My crews and dyads")
    ONLY_ME = "only_me", _("Only me")


AUDIENCE_ORDER = [Audience.SITE, Audience.CONGREGATIONS, Audience.CREWS, Audience.ONLY_ME]


def validate_timezone(value: str) -> None:

    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name; pick one like Europe/Berlin."),
            params={"value": value},
        )


class Profile(models.Model):
    """What a person shares about themselves; each part has its own audience."""

    PARTS = ("pronouns", "languages", "interests", "values", "availability", "location")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    values = models.TextField(_("what I value"), max_length=600, blank=True)
    seeking = models.TextField(_("what I seek"), max_length=600, blank=True)
    availability = models.TextField(
        _("weekly availability"),
        max_length=2000,
        blank=True,
        help_text=_("In your own time zone, like: mon 18:00-20:00; wed 07:00-09:30"),
    )
    town_geonameid = models.PositiveIntegerField(null=True, blank=True)
    town_name = models.CharField(_("town"), max_length=200, blank=True)
    town_latitude = models.FloatField(null=True, blank=True)
    town_longitude = models.FloatField(null=True, blank=True)

    pronouns_audience = models.CharField(max_length=16, choices=Audience, default=Audience.SITE)
    languages_audience = models.CharField(max_length=16, choices=Audience, default=Audience.SITE)
    interests_audience = models.CharField(max_length=16, choices=Audience, default=Audience.SITE)
    values_audience = models.CharField(
        max_length=16, choices=Audience, default=Audience.CONGREGATIONS
    )
    availability_audience = models.CharField(
        max_length=16, choices=Audience, default=Audience.CREWS
    )
    location_audience = models.CharField(
        max_length=16, choices=Audience, default=Audience.CONGREGATIONS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(town_geonameid__isnull=True, town_latitude__isnull=True)
                    | models.Q(town_geonameid__isnull=False, town_latitude__isnull=False)
                ),
                name="profile_town_has_centroid",
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.person}"

    def get_absolute_url(self) -> str:
        return path_for("person_detail", self.person_id)

    def availability_windows(self) -> tuple[Window, ...]:
        return parse_availability(self.availability)

    def audience_for(self, part: str) -> str:
        return getattr(self, f"{part}_audience")


class ApiToken(models.Model):
    """A personal token for scripts. Only a hash is kept; the token is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
