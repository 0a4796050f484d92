"""The frame of the demo site: locales, the home page as the site root, the section pages under it,
and the language trees kept complete by wagtail-localize."""

from pathlib import Path

from django.conf import settings
from django.db.models import Count
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

from course.models import CourseIndexPage
from lessons.models import GlossaryPage, ResourceLibraryPage
from network.demo_kit import read_yaml
from network.models import NetworkIndexPage
from network.richtext import markdown_to_richtext

from .models import HomePage

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "site.yaml"
SECTIONS = {
    "courses": CourseIndexPage,
    "glossary": GlossaryPage,
    "resources": ResourceLibraryPage,
    "network": NetworkIndexPage,
}


def load(ctx):
    content = read_yaml(DEMO_FILE, ctx, required=["home"]) or {"home": {"title": "STC Campus"}}
    ctx.locales = ensure_locales(ctx)
    ctx.home = ensure_home_page(ctx, content["home"])
    ctx.site = ensure_site(ctx.home)
    for slug, model in SECTIONS.items():
        ctx.shared[slug] = ensure_section(ctx, model, slug, (content.get("sections") or {}).get(slug) or {})


def ensure_locales(ctx):
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], created = Locale.objects.get_or_create(language_code=code)
        ctx.count("locales", created)
    return locales


def ensure_home_page(ctx, content):
    home = HomePage.objects.filter(depth=2, locale=ctx.source_locale).first()
    if home:
        return home
    root = Page.get_first_root_node()
    # Wagtail's welcome page (a plain Page) makes way; its Site row goes with it.
    for page in root.get_children().filter(content_type__model="page", content_type__app_label="wagtailcore"):
        page.delete()
    home = root.add_child(
        instance=HomePage(
            title=content.get("title") or "STC Campus",
            slug="home",
            locale=ctx.source_locale,
            tagline=content.get("tagline") or "",
            intro=markdown_to_richtext(content.get("intro")),
        )
    )
    home.save_revision().publish()
    ctx.count("pages")
    return home


def ensure_site(home):
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.site_name, site.root_page = "localhost", 80, settings.WAGTAIL_SITE_NAME, home
    site.save()
    return site


def ensure_section(ctx, model, slug, content):
    page = model.objects.child_of(ctx.home).filter(slug=slug).first()
    if page:
        return page
    page = ctx.home.add_child(
        instance=model(
            title=content.get("title") or slug.title(),
            slug=slug,
            locale=ctx.source_locale,
            show_in_menus=True,
            intro=markdown_to_richtext(content.get("intro")),
        )
    )
    page.save_revision().publish()
    ctx.count("pages")
    return page


def sync_locale_trees(ctx):
    """Every language tree gets the English pages it lacks, as aliases of the English page."""
    source = ctx.source_locale
    synced = set(LocaleSynchronization.objects.values_list("locale_id", flat=True))
    # bulk_create skips the post_save handler that would rebuild the page index once per locale.
    LocaleSynchronization.objects.bulk_create(
        [
            LocaleSynchronization(locale=locale, sync_from=source)
            for locale in ctx.translation_locales.values()
            if locale.pk not in synced
        ]
    )
    if trees_complete(ctx):
        return
    pages_before = Page.objects.count()
    page_index = PageIndex.from_database().sort_by_tree_position()
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
        synchronize_tree(sync.sync_from, sync.locale, page_index=page_index)
    ctx.count("alias pages", Page.objects.count() - pages_before)


def trees_complete(ctx):
    """Cheap check: every language tree has as many pages as the English one."""
    counts = dict(Page.objects.filter(depth__gt=1).order_by().values_list("locale_id").annotate(Count("id")))
    expected = counts.get(ctx.source_locale.pk, 0)
    return all(counts.get(locale.pk, 0) == expected for locale in ctx.locales.values())
