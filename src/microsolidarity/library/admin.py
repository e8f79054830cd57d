"""Operators make podcasts here; everything else in the library is made in the site, where
its services check licences, read audio and queue book builds."""

from django import forms
from django.contrib import admin

from microsolidarity.errors import RuleBroken
from microsolidarity.library.models import Podcast
from microsolidarity.library.podcasts import artwork_check
from microsolidarity.text_input import SingleLineFields


class PodcastForm(SingleLineFields, forms.ModelForm):
    class Meta:
        model = Podcast
        fields = [
            "title",
            "slug",
            "description",
            "author",
            "owner_email",
            "language",
            "explicit",
            "category",
            "licence",
            "artwork",
        ]

    def clean_artwork(self):
        artwork = self.cleaned_data["artwork"]
        if artwork and hasattr(artwork, "seek"):
            try:
                artwork_check(artwork)
            except RuleBroken as error:
                raise forms.ValidationError(error.message) from error
        return artwork


@admin.register(Podcast)
class PodcastAdmin(admin.ModelAdmin):
    form = PodcastForm
    list_display = ["title", "slug", "language", "licence"]
    prepopulated_fields = {"slug": ["title"]}
