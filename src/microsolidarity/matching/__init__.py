"""The grouping engine: pure Python and numpy, no Django, so it runs from a CSV as well as the site."""
