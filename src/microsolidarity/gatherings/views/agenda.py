"""Open-space agenda pages and the printable schedule."""

urlpatterns: list = []
