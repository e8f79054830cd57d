"""Forms for stewards' edits and hosts' reading lists; services do the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.library.licences import Licence
from microsolidarity.library.models import Essay
from microsolidarity.text_input import SingleLineFields


class EssayForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=140,
        required=False,
        help_text=_("Letters, digits and dashes; made from the title when left empty."),
    )
    author = forms.CharField(label=_("Author"), max_length=200)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    source_url = forms.URLField(
        label=_("Source address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where the essay was first published; empty when it was written here."),
    )
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.CharField(label=_("Language code"), max_length=16, initial="en")
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text (Markdown)"), max_length=200_000, widget=forms.Textarea(attrs={"rows": 20})
    )
    translations = forms.CharField(
        label=_("Translations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: language code, a space, then the address (pt https://…)."),
    )
    derived_from = forms.ModelChoiceField(
        label=_("Adapted from"),
        queryset=Essay.objects.none(),
        required=False,
        help_text=_("An adaptation of a ShareAlike essay keeps its licence."),
    )

    def __init__(self, *args, editing: Essay | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Essay.objects.only("pk", "title").order_by("title")
        if editing is not None:
            queryset = queryset.exclude(pk=editing.pk)
        self.fields["derived_from"].queryset = queryset

    def clean_translations(self) -> list[dict]:
        found = []
        for number, line in enumerate(self.cleaned_data["translations"].splitlines(), start=1):
            if not line.strip():
                continue
            language, _space, url = line.strip().partition(" ")
            url = url.strip()
            if not url.startswith(("https://", "http://")):
                raise forms.ValidationError(
                    _("Line %(number)s: write a language code, a space, then the address.")
                    % {"number": number}
                )
            found.append({"language": language[:16], "title": "", "url": url[:500]})
        return found

    @staticmethod
    def initial_for(essay: Essay) -> dict:
        return {
            "title": essay.title,
            "slug": essay.slug,
            "author": essay.author,
            "licence": essay.licence,
            "source_url": essay.source_url,
            "published_on": essay.published_on,
            "language": essay.language,
            "summary": essay.summary,
            "body": essay.body,
            "translations": "\n".join(f"{t['language']} {t['url']}" for t in essay.translations),
            "derived_from": essay.derived_from_id,
        }

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        derived_from = data.pop("derived_from")
        data["derived_from_id"] = derived_from.pk if derived_from else None
        return data


class BookForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address"), max_length=140, required=False)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.CharField(label=_("Language code"), max_length=16, initial="en")
    essays = forms.CharField(
        label=_("Essays, in order"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One essay address a line, in the order of the book."),
    )

    def clean_essays(self) -> list[int]:
        slugs = [line.strip() for line in self.cleaned_data["essays"].splitlines() if line.strip()]
        found = dict(Essay.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                _("No essay has the address %(slugs)s.") % {"slugs": ", ".join(missing)}
            )
        return [found[slug] for slug in slugs]


class EpisodeForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address"), max_length=140, required=False)
    audio = forms.FileField(
        label=_("Audio file"), help_text=_("MP3, M4A, Ogg, Opus, FLAC or WAV, up to 300 MB.")
    )
    show_notes = forms.CharField(
        label=_("Show notes (Markdown)"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    explicit = forms.BooleanField(label=_("Explicit content"), required=False)
    occurrence = forms.TypedChoiceField(
        label=_("Recording of a network call"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The call this episode records, if any."),
    )

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurrence"].choices = [("", _("Not a recorded call"))] + [
            (occurrence.pk, f"{occurrence.gathering.title} · {occurrence.starts_at:%Y-%m-%d}")
            for occurrence in occurrences
        ]


class EpisodeEditForm(EpisodeForm):
    """The same as publishing, without the audio: a published file is never swapped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["audio"]
        del self.fields["slug"]


class VideoForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address"), max_length=140, required=False)
    url = forms.URLField(
        label=_("Video address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A YouTube, Vimeo or PeerTube video page."),
    )
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReadingListForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address"), max_length=140, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReadingItemForm(SingleLineFields, forms.Form):
    essay = forms.ModelChoiceField(
        label=_("An essay from the library"), queryset=Essay.objects.none(), required=False
    )
    link_url = forms.URLField(
        label=_("…or a link"), max_length=500, required=False, assume_scheme="https"
    )
    link_title = forms.CharField(label=_("The link's title"), max_length=200, required=False)
    isbn = forms.CharField(
        label=_("…or a book: its ISBN"),
        max_length=40,
        required=False,
        help_text=_("10 or 13 digits, hyphens allowed: members find it on their groups' shelves."),
    )
    book_title = forms.CharField(label=_("The book's title"), max_length=200, required=False)
    book_author = forms.CharField(
        label=_("The book's author (optional)"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    # The template shows each kind in a fieldset of its own.
    KINDS = (
        (_("An essay"), ("essay",)),
        (_("A link"), ("link_url", "link_title")),
        (_("A book"), ("isbn", "book_title", "book_author")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["essay"].queryset = Essay.objects.only("pk", "title").order_by("title")

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.KINDS]
