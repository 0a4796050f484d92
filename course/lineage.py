"""Keeping an adopted copy current with its master: the upstream changes of an adoption, the
difference a change makes, and pulling or declining it.

A copied page has changed upstream when its source's live revision is neither the one it was
synced with nor one the institution declined. A page of the master that has no copy yet (added
after the adoption) can be pulled in under the copy of its parent; a source page that was deleted
is flagged. The copy's own edits are detected by its latest revision differing from the one
recorded at the last sync: such a page is never overwritten unless the editor says so. Pages of
the copy without a lineage are the institution's own additions, which no pull touches."""

import difflib
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from . import adoption as adoptions
from .adoption_models import DeclinedPage, PageLineage
from .copy_hooks import run_copy_hooks

Refused = adoptions.AdoptionRefused


@dataclass
class Change:
    """One upstream change of an adoption: ``kind`` is "changed", "new" or "deleted"."""

    kind: str
    lineage: PageLineage = None
    source: Page = None
    copy: Page = None
    locally_changed: bool = False

    @property
    def title(self):
        page = self.source or self.copy
        return page.title if page is not None else ""

    @property
    def locale_id(self):
        page = self.source or self.copy
        return page.locale_id


def source_has_changed(lineage):
    """Whether the lineage's source has a live revision the copy is not synced with and that
    nobody declined."""
    source = lineage.source
    if source is None or not source.live or source.live_revision_id is None:
        return False
    if source.alias_of_id:
        # A mirror follows its original (and carries the original's revision); only once the
        # master translates it for real does it change on its own.
        return False
    return source.live_revision_id not in (lineage.synced_revision_id, lineage.declined_revision_id)


def copy_has_changed(lineage):
    """Whether the institution edited its copy since the last sync, or unpublished it (which makes
    no revision): a pull publishes, so it must not put a withdrawn page back silently."""
    return not lineage.page.live or lineage.page.latest_revision_id != lineage.copy_revision_id


def lineages(adoption):
    return (
        PageLineage.objects.filter(adoption=adoption)
        .select_related("page", "source", "page__locale", "adoption")
        .order_by("page__path")
    )


def master_pages(adoption):
    """Every page of the master in every language, as a queryset (one query when evaluated)."""
    roots = Page.objects.filter(translation_key=adoption.source.translation_key).values_list("path", flat=True)
    return master_pages_under(list(roots))


def master_pages_under(paths):
    if not paths:
        return Page.objects.none()
    return Page.objects.filter(reduce(or_, (models.Q(path__startswith=path) for path in paths)))


def upstream_changes(adoption, rows=None):
    """The adoption's pending upstream changes, in tree order: changed pages, new pages of the
    master (with whether their parent has a copy to pull them under), deleted source pages."""
    rows = list(lineages(adoption)) if rows is None else rows
    changes = []
    for lineage in rows:
        if lineage.source_id is None:
            changes.append(Change("deleted", lineage=lineage, copy=lineage.page))
        elif source_has_changed(lineage):
            changes.append(
                Change("changed", lineage=lineage, source=lineage.source, copy=lineage.page,
                       locally_changed=copy_has_changed(lineage))
            )
    synced_sources = {lineage.source_id for lineage in rows if lineage.source_id}
    new_pages = (
        master_pages(adoption)
        .exclude(pk__in=synced_sources)
        .exclude(pk__in=DeclinedPage.objects.filter(adoption=adoption).values("source"))
        .select_related("locale")
        .order_by("path")
    )
    for page in new_pages:
        changes.append(Change("new", source=page))
    return changes


def declined_new_pages(adoption):
    """The master's new pages the institution declined, still not in its copy, in tree order."""
    return list(
        Page.objects.filter(pk__in=DeclinedPage.objects.filter(adoption=adoption).values("source"))
        .exclude(pk__in=PageLineage.objects.filter(adoption=adoption, source__isnull=False).values("source"))
        .select_related("locale")
        .order_by("path")
    )


def find_change(adoption, lineage_pk):
    """The lineage of one copied page of ``adoption`` with the revisions its diff reads, or None."""
    return (
        lineages(adoption)
        .select_related("source__live_revision", "synced_revision", "copy_revision", "page__latest_revision")
        .filter(pk=lineage_pk)
        .first()
    )


# What the master's owners see ---------------------------------------------------------------------


@dataclass
class AdopterSummary:
    adoption: object
    synced_until: object = None  # when the newest master revision the copy runs was made
    behind_since: object = None  # when the oldest master change the copy has not taken (nor declined) was made
    pending: int = 0
    local_pages: list = field(default_factory=list)
    changed_locally: list = field(default_factory=list)


def adopters(master):
    """For each adoption of ``master``: which version of the master it runs, how many upstream
    changes wait, the pages it added and the copied pages it changed. A fixed number of queries,
    however many adoptions and pages there are."""
    adoptions_ = list(master.adoptions.select_related("institution", "copy").order_by("institution__name"))
    if not adoptions_:
        return []
    summaries = {adoption.pk: AdopterSummary(adoption) for adoption in adoptions_}
    rows = list(
        PageLineage.objects.filter(adoption__in=adoptions_)
        .select_related("page", "source", "page__locale")
        .order_by("page__path")
    )
    newest = dict(
        PageLineage.objects.filter(adoption__in=adoptions_)
        .values_list("adoption")
        .annotate(models.Max("synced_revision__created_at"))
    )
    roots = Page.objects.filter(translation_key=master.translation_key).values_list("path", flat=True)
    published = dict(master_pages_under(list(roots)).values_list("pk", "first_published_at"))
    master_ids = set(published)
    synced = {}
    for adoption_id, source_id in DeclinedPage.objects.filter(adoption__in=adoptions_).values_list(
        "adoption", "source"
    ):
        synced.setdefault(adoption_id, set()).add(source_id)  # declined: not waiting either
    copy_roots = []
    for row in rows:
        summary = summaries[row.adoption_id]
        synced.setdefault(row.adoption_id, set()).add(row.source_id)
        if row.source_id is None or source_has_changed(row):
            summary.pending += 1
            if row.source_id is not None:
                summary.behind_since = _earliest(summary.behind_since, row.source.last_published_at)
        if copy_has_changed(row):
            summary.changed_locally.append(row.page)
        if row.source is not None and row.source.translation_key == master.translation_key:
            copy_roots.append((row.page.path, row.adoption_id))
    for adoption_id, summary in summaries.items():
        summary.synced_until = newest.get(adoption_id)
        not_taken = master_ids - synced.get(adoption_id, set())
        summary.pending += len(not_taken)
        for page_id in not_taken:
            summary.behind_since = _earliest(summary.behind_since, published[page_id])
    if copy_roots:
        local = master_pages_under([path for path, _ in copy_roots]).filter(lineage__isnull=True)
        for page in local.select_related("locale").order_by("path"):
            adoption_id = next(a for path, a in copy_roots if page.path.startswith(path))
            summaries[adoption_id].local_pages.append(page)
    return list(summaries.values())


def _earliest(known, when):
    if when is None:
        return known
    return when if known is None else min(known, when)


# The difference ---------------------------------------------------------------------------------

SKIPPED_FIELDS = {
    "id", "path", "depth", "numchild", "url_path", "slug", "live", "has_unpublished_changes", "owner",
    "locked", "locked_at", "locked_by", "latest_revision", "latest_revision_created_at", "live_revision",
    "first_published_at", "last_published_at", "draft_title", "content_type", "page_ptr", "translation_key",
    "locale", "alias_of", "expired", "go_live_at", "expire_at", "owning_institution",
}


@dataclass
class FieldDiff:
    label: str
    html: str
    changed: bool = field(default=True)


def text_of(value, model_field):
    """The readable text of a field value, for comparing two versions of a page."""
    if value is None:
        return ""
    if isinstance(model_field, StreamField):
        lines = []
        for child in value:
            content = child.block.get_searchable_content(child.value)
            lines.extend(get_text_for_indexing(str(text)) for text in content if text)
        return "\n".join(lines)
    if isinstance(model_field, RichTextField):
        return get_text_for_indexing(str(value))
    if isinstance(model_field, models.ForeignKey):
        return str(value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def page_fields(page):
    """(label, text) for each content field and child relation of ``page``."""
    result = []
    for model_field in page._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or model_field.attname in SKIPPED_FIELDS:
            continue
        value = getattr(page, model_field.name, None)
        result.append((str(model_field.verbose_name).capitalize(), text_of(value, model_field)))
    for relation in get_all_child_relations(page):
        name = relation.get_accessor_name()
        rows = list(getattr(page, name).all())
        compared = [
            f for f in relation.related_model._meta.concrete_fields
            if not f.primary_key and f.name not in ("sort_order", relation.field.name, "translation_key", "locale")
        ]
        targets = foreign_keys_of(rows, compared)
        texts = []
        for row in rows:
            parts = [
                text_of(targets[f.name].get(getattr(row, f.attname)) if f.name in targets else getattr(row, f.name), f)
                for f in compared
            ]
            texts.append(" · ".join(part for part in parts if part))
        result.append((str(relation.related_model._meta.verbose_name_plural).capitalize(), "\n".join(texts)))
    return result


def foreign_keys_of(rows, fields):
    """The rows' foreign-key targets by field name and id, one query per field rather than one per
    row (a quiz's questions)."""
    targets = {}
    for model_field in fields:
        if isinstance(model_field, models.ForeignKey):
            ids = {getattr(row, model_field.attname) for row in rows} - {None}
            targets[model_field.name] = model_field.related_model._base_manager.in_bulk(ids) if ids else {}
    return targets


TOKENS = re.compile(r"\s+|[^\s]+")


def diff_html(before, after):
    """Word by word: removed words in <del>, added ones in <ins>, everything escaped. A run of
    changed words stays one <del>/<ins> pair even across the spaces between them."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    segments = []  # [unchanged text] or [removed text, added text]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            segments.append([removed])
        elif segments and len(segments[-1]) == 2:
            segments[-1][0] += removed
            segments[-1][1] += added
        elif len(segments) >= 2 and not segments[-1][0].strip() and len(segments[-2]) == 2:
            space = segments.pop()[0]
            segments[-1][0] += space + removed
            segments[-1][1] += space + added
        else:
            segments.append([removed, added])
    parts = []
    for segment in segments:
        if len(segment) == 1:
            parts.append(escape(segment[0]))
            continue
        removed, added = segment
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def compare(before_page, after_page):
    """The fields that differ between two versions of a page, with their word diff."""
    before = dict(page_fields(before_page)) if before_page is not None else {}
    diffs = []
    for label, text in page_fields(after_page):
        old = before.get(label, "")
        if old != text:
            diffs.append(FieldDiff(label, diff_html(old, text)))
    return diffs


def version_of(revision):
    """The page as ``revision`` saved it, to read and compare only. Unlike ``Revision.as_object``
    it checks no foreign key: that looks up each child row's target one by one (each question of
    a quiz, in every version compared). A target deleted since reads as blank."""
    model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
    return model.from_serializable_data(revision.content, check_fks=False)


def source_versions(lineage):
    """The source as it was at the last sync and as it is live now (page objects)."""
    synced = version_of(lineage.synced_revision) if lineage.synced_revision_id else None
    current = version_of(lineage.source.live_revision) if lineage.source.live_revision_id else lineage.source.specific
    return synced, current


def change_diff(lineage):
    """What changed upstream since the last sync, field by field."""
    synced, current = source_versions(lineage)
    return compare(synced, current)


def local_diff(lineage):
    """What the institution changed in its copy since the last sync, field by field."""
    if lineage.copy_revision_id is None:
        before = None
    else:
        before = version_of(lineage.copy_revision)
    page = lineage.page
    after = version_of(page.latest_revision) if page.latest_revision_id else page.specific
    return compare(before, after)


# Pull and decline ---------------------------------------------------------------------------------

# What a pull keeps of the copy: its place and address, its owner, and its own publishing record.
KEPT_ON_PULL = (
    "slug", "owning_institution", "live_revision", "first_published_at", "go_live_at", "expire_at", "expired",
)


def pull(user, lineage, replace_local_changes=False):
    """Give the copy the source's current content (keeping the copy's place, slug, language,
    translation key and owner), publish it and mark the lineage synced. A page the institution
    changed is replaced only when ``replace_local_changes`` says so."""
    if not adoptions.may_edit(user, lineage.adoption):
        raise PermissionDenied
    with transaction.atomic():
        lineage = PageLineage.objects.select_for_update(of=("self",)).select_related("page", "source", "adoption").get(
            pk=lineage.pk
        )
        if lineage.source is None:
            raise Refused(_("The master page was deleted; there is nothing to pull."))
        if not source_has_changed(lineage) and lineage.source.live_revision_id != lineage.declined_revision_id:
            raise Refused(_("This page is already up to date with the master."))
        if not lineage.page.live and not replace_local_changes:
            raise Refused(_(
                "Your institution unpublished this page. Tick “Replace our local changes” to pull the master's "
                "version and publish it again, or decline the change to keep it unpublished."
            ))
        if copy_has_changed(lineage) and not replace_local_changes:
            raise Refused(_(
                "Your institution changed this page since it was last synced. Tick “Replace our local changes” "
                "to pull the master's version over them, or decline the change to keep yours."
            ))
        source = lineage.source.specific
        revision_source = source.live_revision.as_object() if source.live_revision_id else source
        copy = lineage.page.specific
        content = revision_source.serializable_data()
        excluded = adoptions.excluded_child_relations(copy)
        own = copy.serializable_data()
        for name in KEPT_ON_PULL:
            if name in own:
                content[name] = own[name]
        for relation in get_all_child_relations(copy):
            name = relation.get_accessor_name()
            if name in excluded:
                content[name] = own.get(name, [])
                continue
            for row in content.get(name, []):
                row["pk"] = None  # new rows for the copy, never the source's
                row[relation.field.name] = copy.pk
                if "locale" in row:
                    row["locale"] = copy.locale_id
        if copy.alias_of_id:
            # The master translated a page the copy still mirrors: the copy becomes a real page.
            Page.objects.filter(pk=copy.pk).update(alias_of=None)
            copy.alias_of = None
        updated = copy.with_content_json(content)
        updated.alias_of = None
        revision = updated.save_revision(user=user, clean=False, log_action=True)
        revision.publish(user=user, skip_permission_checks=True)
        run_copy_hooks(copy, lineage.adoption)
        lineage.synced_revision_id = source.live_revision_id
        lineage.copy_revision = revision
        lineage.declined_revision = None
        lineage.synced_at = timezone.now()
        lineage.save(update_fields=["synced_revision", "copy_revision", "declined_revision", "synced_at"])
    return revision


def decline(user, lineage):
    """Keep the copy as it is; the change is listed again only when the master changes again."""
    if not adoptions.may_edit(user, lineage.adoption):
        raise PermissionDenied
    with transaction.atomic():
        lineage = PageLineage.objects.select_for_update(of=("self",)).select_related("source").get(pk=lineage.pk)
        if not source_has_changed(lineage):
            raise Refused(_("There is no upstream change of this page to decline."))
        lineage.declined_revision_id = lineage.source.live_revision_id
        lineage.save(update_fields=["declined_revision"])
    return lineage


def _check_new_master_page(user, adoption, source):
    """Refuse unless ``user`` edits for the adoption and ``source`` is a master page not copied yet."""
    if not adoptions.may_edit(user, adoption):
        raise PermissionDenied
    if not master_pages(adoption).filter(pk=source.pk).exists():
        raise Refused(_("This page is not part of the master course."))
    if PageLineage.objects.filter(adoption=adoption, source=source).exists():
        raise Refused(_("This page has already been pulled into your copy."))


def decline_new(user, adoption, source):
    """Leave a page the master added out of the copy; it can still be added later."""
    _check_new_master_page(user, adoption, source)
    declined, _made = DeclinedPage.objects.get_or_create(
        adoption=adoption, source=source, defaults={"declined_by": user}
    )
    return declined


def pull_new(user, adoption, source):
    """Copy a page added to the master after the adoption under the copy of its parent (and its
    mirrors in other languages under theirs)."""
    _check_new_master_page(user, adoption, source)
    is_root = source.translation_key == adoption.source.translation_key  # the course in a new language
    if not is_root:
        parent = source.get_parent()
        parent_copy = PageLineage.objects.filter(adoption=adoption, source=parent).select_related("page").first()
        if parent_copy is None:
            raise Refused(_("Pull the page above it (“%(title)s”) first.") % {"title": parent.title})
    copier = adoptions.Copier(adoption)
    copier.user = user
    known = PageLineage.objects.filter(adoption=adoption).select_related("page", "source")
    for lineage in known:
        if lineage.source_id:
            copier.keys[lineage.source.translation_key] = lineage.page.translation_key
            copier.copies[lineage.source_id] = lineage.page
    if source.alias_of_id and source.alias_of_id not in copier.copies:
        raise Refused(_("Pull the page it mirrors in the default language first."))
    with transaction.atomic():
        if is_root:
            home = adoptions.profile_page(adoption.institution)
            copy = copier.copy_page(source, copier.profile_in(home, source.locale), is_root=True)
        else:
            copy = copier.copy_page(source, parent_copy.page.specific)
        for mirror in Page.objects.filter(alias_of=source).exclude(
            pk__in=PageLineage.objects.filter(adoption=adoption).values("source")
        ).order_by("path"):
            mirror_parent = PageLineage.objects.filter(adoption=adoption, source_id=mirror.get_parent().pk).first()
            if mirror_parent is not None:
                copier.copy_page(mirror, mirror_parent.page.specific)
        copier.finish_roots()
        DeclinedPage.objects.filter(adoption=adoption, source=source).delete()
    return copy
