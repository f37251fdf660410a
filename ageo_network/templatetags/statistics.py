from django import template

from ageo_network.statistics import display

register = template.Library()


@register.filter
def stat(value):
    """{{ value|stat }} → 1,234 / 45.5 / － (a value that does not apply)."""
    return display(value)
