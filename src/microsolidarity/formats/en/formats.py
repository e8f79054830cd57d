"""How English pages write dates and times: one way each, named as Django names them.

Templates say `|date:"DATETIME_FORMAT"` and never spell a format out, so every page agrees.
Django's own English formats end in abbreviations ("Dec.", "a.m."): in a sentence that ends
with a date they make a double period, so ours end in a number.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "l j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "D j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as availability and crew rhythms count the week
