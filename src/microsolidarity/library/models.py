"""Essays, the books built from them, the podcast, videos and reading lists."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.library.isbns import isbn_display
from microsolidarity.library.licences import Licence


class Essay(models.Model):
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=200)
    licence = models.CharField(
        _("licence"), max_length=32, choices=Licence, default=Licence.CC_BY_SA_4
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text (Markdown)"), max_length=200_000)
    # [{"language": "pt", "title": "...", "url": "..."}]: where a translation lives.
    translations = models.JSONField(_("translations"), default=list, blank=True)
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derivatives",
    )
    # The file an import read, and a hash of what it held: importing again changes nothing.
    imported_from = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_essay", args=[self.slug])


class BuildStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be built")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Book(models.Model):
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    essays = models.ManyToManyField(Essay, through="BookEssay", related_name="books")
    # Bumped whenever an essay in it or its own contents change; a build records what it read.
    content_version = models.PositiveIntegerField(default=1)
    built_version = models.PositiveIntegerField(default=0)
    build_status = models.CharField(max_length=16, choices=BuildStatus, default=BuildStatus.WAITING)
    build_progress = models.FloatField(default=0.0)
    build_note = models.CharField(max_length=200, blank=True)
    build_error = models.TextField(blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    epub = models.FileField(upload_to="library/books/", blank=True)
    pdf = models.FileField(upload_to="library/books/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_book", args=[self.slug])

    def is_current(self) -> bool:
        return self.built_version == self.content_version and bool(self.epub) and bool(self.pdf)


class BookEssay(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="entries")
    essay = models.ForeignKey(Essay, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["book", "essay"], name="bookessay_once_per_book"),
            models.UniqueConstraint(fields=["book", "position"], name="bookessay_one_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.essay} in {self.book}"


class PodcastCategory(models.TextChoices):
    """Apple's top-level podcast categories, which other directories follow."""

    ARTS = "Arts", _("Arts")
    BUSINESS = "Business", _("Business")
    EDUCATION = "Education", _("Education")
    HEALTH = "Health & Fitness", _("Health & Fitness")
    KIDS = "Kids & Family", _("Kids & Family")
    LEISURE = "Leisure", _("Leisure")
    NEWS = "News", _("News")
    RELIGION = "Religion & Spirituality", _("Religion & Spirituality")
    SCIENCE = "Science", _("Science")
    SOCIETY = "Society & Culture", _("Society & Culture")
    TECHNOLOGY = "Technology", _("Technology")


class Podcast(models.Model):
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    author = models.CharField(_("author"), max_length=200)
    owner_email = models.EmailField(_("contact email"), blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    explicit = models.BooleanField(_("explicit content"), default=False)
    category = models.CharField(
        _("category"), max_length=100, choices=PodcastCategory, default=PodcastCategory.SOCIETY
    )
    licence = models.CharField(
        _("licence"), max_length=32, choices=Licence, default=Licence.CC_BY_SA_4
    )
    artwork = models.ImageField(_("artwork (square PNG or JPEG)"), upload_to="library/podcast/")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_podcast", args=[self.slug])


class Episode(models.Model):
    podcast = models.ForeignKey(Podcast, on_delete=models.CASCADE, related_name="episodes")
    slug = models.SlugField(_("address"), max_length=140)
    title = models.CharField(_("title"), max_length=200)
    show_notes = models.TextField(_("show notes (Markdown)"), max_length=50_000, blank=True)
    audio = models.FileField(_("audio file"), upload_to="library/episodes/")
    # Read from the file itself when it is uploaded: the feed promises exactly these.
    audio_bytes = models.PositiveBigIntegerField()
    audio_seconds = models.FloatField()
    audio_type = models.CharField(max_length=40)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    explicit = models.BooleanField(_("explicit content"), default=False)
    published_at = models.DateTimeField(_("published"), default=now)
    # A recorded network call: the gathering occurrence this is the recording of.
    occurrence = models.ForeignKey(
        "gatherings.Occurrence",
        verbose_name=_("recording of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["podcast", "slug"], name="episode_slug_per_podcast"),
            models.CheckConstraint(condition=Q(audio_seconds__gt=0), name="episode_has_duration"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_episode", args=[self.podcast.slug, self.slug])


class Video(models.Model):
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    url = models.URLField(_("video address"), max_length=500)
    # Derived from the address when saved (library/videos.py): never typed in by hand.
    provider = models.CharField(max_length=40)
    embed_url = models.URLField(max_length=500)
    author = models.CharField(_("author"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence"), max_length=32, choices=Licence, default=Licence.CC_BY_SA_4
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_video", args=[self.slug])


class ReadingList(models.Model):
    """An ordered list a group keeps; programs and crews point to it."""

    owner = models.ForeignKey(
        "groups.Group",
        verbose_name=_("kept by"),
        on_delete=models.CASCADE,
        related_name="reading_lists",
    )
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_reading_list", args=[self.slug])


class ReadingItem(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    essay = models.ForeignKey(
        Essay, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link_url = models.URLField(_("link"), max_length=500, blank=True)
    # The title of a link, or of a book (an item with an ISBN).
    link_title = models.CharField(_("title"), max_length=200, blank=True)
    # A book: its ISBN-13 (library/isbns.py), with which the shelves are searched.
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["reading_list", "position"], name="readingitem_one_per_place"
            ),
            # Exactly one kind: an essay, a link with a title, or a book (title and ISBN).
            models.CheckConstraint(
                condition=(Q(essay__isnull=False) & Q(link_url="") & Q(isbn="") & Q(author=""))
                | (
                    Q(essay__isnull=True)
                    & ~Q(link_url="")
                    & ~Q(link_title="")
                    & Q(isbn="")
                    & Q(author="")
                )
                | (Q(essay__isnull=True) & Q(link_url="") & ~Q(link_title="") & ~Q(isbn="")),
                name="readingitem_essay_link_or_book",
            ),
        ]

    def __str__(self) -> str:
        return self.link_title or str(self.essay)

    @property
    def is_book(self) -> bool:
        return bool(self.isbn)

    @property
    def isbn_formatted(self) -> str:
        return isbn_display(self.isbn)

    @property
    def title(self) -> str:
        return self.essay.title if self.essay_id else self.link_title

    @property
    def url(self) -> str:
        """Where the item is read; a book has no address of its own (the shelves have it)."""
        return self.essay.get_absolute_url() if self.essay_id else self.link_url
