from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageListField(models.CharField):
    """A set of language codes stored as ",en,uk," so a single ``contains`` lookup filters by one language."""

    description = _("List of language codes")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [code for code in (value or "").split(",") if code]

    def get_prep_value(self, value):
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            required=not self.blank,
            choices=settings.LANGUAGES + OTHER_LANGUAGES,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


# Work products also exist in languages the site itself is not translated into.
OTHER_LANGUAGES = [("de", "Deutsch"), ("fr", "Français"), ("tg", "Тоҷикӣ"), ("uz", "Oʻzbekcha"), ("tk", "Türkmençe")]


def contains_language(code):
    return {"languages__contains": f",{code},"}
