"""Time-poll pages."""

urlpatterns: list = []
