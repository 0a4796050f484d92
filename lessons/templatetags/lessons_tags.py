from django import template

register = template.Library()


@register.simple_tag
def localized_term(term, glossary_terms):
    """The version of ``term`` in the lecture's language, as prepared by the lecture's context."""
    if term is None:
        return None
    return (glossary_terms or {}).get(term.pk, term)
