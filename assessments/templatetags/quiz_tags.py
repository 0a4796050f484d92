from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: for per-question errors in the attempt form."""
    return (mapping or {}).get(key)
