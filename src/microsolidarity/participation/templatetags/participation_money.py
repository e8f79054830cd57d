"""`{{ pledge.amount|money }}`: an amount in the viewer's language and its own currency."""

from django import template

from microsolidarity.participation.money import money_format

register = template.Library()


@register.filter
def money(amount, currency: str | None = None) -> str:
    if amount is None or amount == "":
        return ""
    return money_format(amount, currency)
