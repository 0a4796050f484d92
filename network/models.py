from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.search import index


class Institution(index.Indexed, models.Model):
    """A stakeholder in the consortium: a university, an agency, a company, an organisation."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research-institute", _("Research institute")
        GOVERNMENT_AGENCY = "government-agency", _("Government agency")
        INDUSTRY = "industry", _("Industry")
        CIVIL_SOCIETY = "civil-society", _("Civil society organisation")
        MULTILATERAL = "multilateral", _("Multilateral organisation")
        PROFESSIONAL_ASSOCIATION = "professional-association", _("Professional association")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.SlugField(_("short name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.UNIVERSITY)
    country = CountryField(_("country"))

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name
