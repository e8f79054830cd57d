from microsolidarity.participation.views import bookshelf, contributions, volunteering

urlpatterns = [*contributions.urlpatterns, *volunteering.urlpatterns, *bookshelf.urlpatterns]
