"""Routes of the library; the project mounts them at the root."""

from django.urls import path

from microsolidarity.library.views import books, essays, podcasts, reading_lists, videos

urlpatterns = [
    path("library/", essays.library_home, name="library_home"),
    path("library/search/", essays.library_search, name="library_search"),
    path("library/essays/new/", essays.essay_new, name="library_essay_create"),
    path("library/essays/<slug:slug>/", essays.essay_detail, name="library_essay"),
    path("library/essays/<slug:slug>/edit/", essays.essay_edit, name="library_essay_edit"),
    path("library/essays/<slug:slug>.md", essays.essay_markdown, name="library_essay_markdown"),
    path("library/books/new/", books.book_new, name="library_book_create"),
    path("library/books/<slug:slug>/", books.book_detail, name="library_book"),
    path("library/books/<slug:slug>/edit/", books.book_edit, name="library_book_edit"),
    path("library/books/<slug:slug>/progress/", books.book_progress, name="library_book_progress"),
    path("library/books/<slug:slug>/rebuild/", books.book_rebuild, name="library_book_rebuild"),
    path(
        "library/books/<slug:slug>.epub",
        books.book_download,
        {"kind": "epub"},
        name="library_book_epub",
    ),
    path(
        "library/books/<slug:slug>.pdf",
        books.book_download,
        {"kind": "pdf"},
        name="library_book_pdf",
    ),
    path("library/podcasts/<slug:slug>/", podcasts.podcast_detail, name="library_podcast"),
    path(
        "library/podcasts/<slug:slug>/feed.xml", podcasts.podcast_feed, name="library_podcast_feed"
    ),
    path(
        "library/podcasts/<slug:slug>/episodes/new/",
        podcasts.episode_new,
        name="library_episode_create",
    ),
    path(
        "library/podcasts/<slug:slug>/episodes/<slug:episode>/",
        podcasts.episode_detail,
        name="library_episode",
    ),
    path(
        "library/podcasts/<slug:slug>/episodes/<slug:episode>/edit/",
        podcasts.episode_edit,
        name="library_episode_edit",
    ),
    path("library/videos/new/", videos.video_new, name="library_video_create"),
    path("library/videos/<slug:slug>/", videos.video_detail, name="library_video"),
    path(
        "g/<slug:slug>/reading-lists/",
        reading_lists.group_reading_lists,
        name="library_group_reading_lists",
    ),
    path(
        "g/<slug:slug>/reading-lists/new/",
        reading_lists.reading_list_new,
        name="library_reading_list_create",
    ),
    path(
        "library/lists/<slug:slug>/", reading_lists.reading_list_detail, name="library_reading_list"
    ),
    path(
        "library/lists/<slug:slug>/items/",
        reading_lists.reading_item_new,
        name="library_reading_item_add",
    ),
    path(
        "library/lists/<slug:slug>/items/<int:item_id>/move/",
        reading_lists.reading_item_move_view,
        name="library_reading_item_move",
    ),
    path(
        "library/lists/<slug:slug>/items/<int:item_id>/remove/",
        reading_lists.reading_item_remove_view,
        name="library_reading_item_remove",
    ),
]
