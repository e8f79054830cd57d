"""Amounts as people read them: babel's currency formats in the viewer's language."""

from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, parse_decimal
from django.utils import translation
from djmoney.money import Money


def viewer_locale(language: str | None = None) -> str:
    """Babel's name for the active language (`pt-br` -> `pt_BR`); English when unknown."""
    code = translation.to_locale(language or translation.get_language() or "en")
    try:
        return str(Locale.parse(code))
    except (ValueError, UnknownLocaleError):
        return "en"


def money_format(amount, currency: str | None = None, *, language: str | None = None) -> str:
    """`Money(12.5, "EUR")` reads "€12.50" in English and "12,50 €" in German."""
    if isinstance(amount, Money):
        currency = str(amount.currency)
        amount = amount.amount
    return format_currency(amount or Decimal(0), currency or "EUR", locale=viewer_locale(language))


def amount_parse(text: str, *, language: str | None = None) -> Decimal:
    """A positive amount typed in the viewer's way ("12,50" in German, "12.50" in English).

    Raises ValueError with nothing else to say: the caller words the message for its field.
    """
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    try:
        value = parse_decimal(text, locale=viewer_locale(language), strict=False)
    except Exception:
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))
