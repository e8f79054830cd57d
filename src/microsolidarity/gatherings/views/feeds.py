"""Calendar feeds: a personal secret feed, a feed per public group, an .ics per gathering."""

urlpatterns: list = []
