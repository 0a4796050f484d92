"""Adopting a course: an institution's coordinator asks for a copy of a master course, and a
background task copies the course's page tree, in every language it has, under the institution's
profile page, remembering for each copied page where it came from (``PageLineage``).

Copies in different languages share translation keys with each other (one fresh key per source
key), never with the master. A language tree that only mirrors the source (Wagtail aliases, as
wagtail-localize makes for untranslated pages) is copied as aliases of the institution's own
default-language copy, so it follows the institution's edits as the master's follows the master.
The institution's editor group gets page permissions on the copies and nothing else.

Each page is copied in a transaction of its own, so the progress the status page shows is real;
a copy that fails is removed as a whole, and the course root stays unpublished until the last page
is in, so nobody sees half a course."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, TranslatableMixin

from network import editors, roles
from network.models import InstitutionPage

from .adoption_models import Adoption, AdoptionStatusChange, PageLineage
from .copy_hooks import run_copy_hooks
from .models import CourseIndexPage, CoursePage, Offering

logger = logging.getLogger(__name__)

CopyState, Status = Adoption.CopyState, Adoption.Status


class AdoptionRefused(Exception):
    """A request the rules do not allow; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Who may act -------------------------------------------------------------------------------------


def may_manage(user, adoption):
    """Coordinators of the adopting institution (and superusers): status, accreditation, retries."""
    return roles.coordinates(user, adoption.institution)


def may_edit(user, adoption):
    """The adopting institution's coordinators and editors (and superusers): upstream changes."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return roles.holds(user, adoption.institution, *roles.Membership.EDITING_ROLES)


def master_owners_include(user, master):
    """The master's owners: coordinators and editors of its owning institution, and superusers."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return roles.holds(user, master.owning_institution, *roles.Membership.EDITING_ROLES)


# Which course ------------------------------------------------------------------------------------


def master_course(course):
    """The default-language master behind ``course`` (a master course in any language), or None
    when ``course`` is not a master: not a course, an adopted copy, or outside a course index."""
    course = course.specific if isinstance(course, Page) and not isinstance(course, CoursePage) else course
    if not isinstance(course, CoursePage):
        return None
    default = Locale.get_default()
    if course.locale_id != default.pk:
        course = CoursePage.objects.filter(translation_key=course.translation_key, locale=default).first()
        if course is None:
            return None
    parent = course.get_parent()
    if parent is None or parent.specific_class is not CourseIndexPage:
        return None
    if PageLineage.objects.filter(page=course).exists():
        return None
    return course


def profile_page(institution, locale=None):
    locale = locale or Locale.get_default()
    return InstitutionPage.objects.filter(institution=institution, locale=locale).order_by("path").first()


def adoptable_institutions(user, master):
    """The institutions ``user`` coordinates that have not adopted ``master`` yet."""
    return roles.coordinated_institutions(user).exclude(adoptions__source=master).order_by("name")


def source_roots(master):
    """The master course in each language it exists in, the default language first."""
    roots = list(CoursePage.objects.filter(translation_key=master.translation_key).select_related("locale"))
    default_id = Locale.get_default().pk
    return sorted(roots, key=lambda root: (root.locale_id != default_id, root.locale.language_code))


def source_pages(master):
    """Every page of the master in every language, tree by tree, each parent before its children."""
    pages = []
    for root in source_roots(master):
        pages.extend(Page.objects.descendant_of(root, inclusive=True).order_by("path"))
    return pages


# Asking for a copy --------------------------------------------------------------------------------


def adopt(user, course, institution, queue=True):
    """Record ``institution``'s adoption of ``course`` and queue the copy (unless ``queue`` is false:
    the caller copies it). Refuses people who do not coordinate the institution, copies, and a
    second adoption of the same course."""
    if not roles.coordinates(user, institution):
        raise PermissionDenied
    master = master_course(course)
    if master is None:
        raise AdoptionRefused(_("Only a master course can be adopted, not an adopted copy."))
    if profile_page(institution) is None:
        raise AdoptionRefused(_(
            "%(institution)s has no profile page in the network directory yet; the copy lives under it."
        ) % {"institution": institution.name})
    already = _("%(institution)s has already adopted this course.") % {"institution": institution.name}
    if Adoption.objects.filter(source=master, institution=institution).exists():
        raise AdoptionRefused(already)
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                source=master,
                institution=institution,
                requested_by=user,
                copy_state=CopyState.QUEUED,
                pages_total=len(source_pages(master)),
            )
            AdoptionStatusChange.objects.create(adoption=adoption, status=Status.INTERESTED, recorded_by=user)
    except IntegrityError:
        # A double submit that passed the check above: the other request made the adoption.
        raise AdoptionRefused(already) from None
    if queue:
        queue_copy(adoption)
    return adoption


# Each copied page records its lineage as it goes: a copy with no new page for this long has lost
# its worker (stopped or killed mid-copy) and may be tried again.
STALLED_AFTER = timedelta(minutes=15)


def is_stalled(adoption, now=None):
    if adoption.copy_state != CopyState.COPYING:
        return False
    last = adoption.lineages.aggregate(last=models.Max("synced_at"))["last"] or adoption.created_at
    return (now or timezone.now()) - last > STALLED_AFTER


def retry(user, adoption):
    """Queue a failed copy again, or a stalled one once what it left half-made is removed."""
    if not may_manage(user, adoption):
        raise PermissionDenied
    if is_stalled(adoption) and Adoption.objects.filter(pk=adoption.pk, copy_state=CopyState.COPYING).update(
        copy_state=CopyState.FAILED, copy_error="Stalled: the copy stopped before it was finished."
    ):
        Copier(adoption).remove()
    updated = Adoption.objects.filter(pk=adoption.pk, copy_state=CopyState.FAILED).update(
        copy_state=CopyState.QUEUED, pages_copied=0, copy_error="",
        pages_total=len(source_pages(adoption.source)),
    )
    if not updated:
        raise AdoptionRefused(_("Only a copy that failed can be tried again."))
    queue_copy(adoption)


def queue_copy(adoption):
    transaction.on_commit(lambda: copy_course.enqueue(adoption.pk))


@task(backend=settings.BACKGROUND_TASKS)
def copy_course(adoption_id):
    """The background copy of an adoption's course; returns the number of pages copied. A copy
    queued twice runs once: only the task that moves it from queued to copying does the work."""
    claimed = Adoption.objects.filter(pk=adoption_id, copy_state=CopyState.QUEUED).update(
        copy_state=CopyState.COPYING, pages_copied=0
    )
    if not claimed:
        return 0
    adoption = Adoption.objects.select_related("source", "institution", "requested_by").get(pk=adoption_id)
    copier = Copier(adoption)
    try:
        copier.run()
    except Exception as error:
        logger.exception("Copying the course of adoption %s failed", adoption_id)
        try:
            copier.remove()
        except Exception:  # the failure is recorded all the same; the log says what is left
            logger.exception("Removing the partial copy of adoption %s failed", adoption_id)
        Adoption.objects.filter(pk=adoption_id).update(
            copy_state=CopyState.FAILED, copy=None, pages_copied=0, copy_error=f"{type(error).__name__}: {error}"
        )
        return 0
    return copier.copied


# The copy ----------------------------------------------------------------------------------------


# Child relations that record the institution's own facts rather than course content: a course's
# accreditation records are the decisions of the owner's quality agency. A copy starts without the
# master's (the adopting institution records its own; "accredited" asks for one), and a pull keeps
# the copy's.
OWN_RELATIONS = ("accreditations",)


def excluded_child_relations(page):
    """Child relations a copy neither takes from its source nor gets from a pull: the owner's own
    records (``OWN_RELATIONS``) and rows that belong to the master's runs (rows pointing at one of
    its offerings, such as a quiz's dates per offering)."""
    from modelcluster.models import get_all_child_relations

    excluded = [name for name in OWN_RELATIONS if hasattr(page, name)]
    for relation in get_all_child_relations(page):
        related = relation.related_model
        if any(
            isinstance(field, models.ForeignKey) and field.related_model is Offering
            for field in related._meta.get_fields()
        ):
            excluded.append(relation.get_accessor_name())
    return excluded


def live_revision_of(source):
    """The revision a copy of ``source`` is synced with: its live revision, made from its current
    content when it has none (pages made outside the admin). Aliases have no revisions."""
    if source.alias_of_id:
        return None
    if source.live and source.live_revision_id:
        return source.live_revision
    if not source.live and source.latest_revision_id:
        return source.latest_revision
    specific = source.specific
    revision = specific.save_revision(clean=False, changed=False)
    if source.live:
        revision.publish(changed=False, log_action=False, skip_permission_checks=True)
    return revision


class Copier:
    """Copies the master's page trees for one adoption, page by page."""

    def __init__(self, adoption):
        self.adoption = adoption
        self.user = adoption.requested_by
        self.keys = {}  # source translation key -> the copies' shared key
        self.copies = {}  # source page id -> its copy
        self.roots = []  # the copied course in each language (what a failure removes)
        self.unpublished_roots = []  # (source root, copy root) published once everything is in
        self.copied = 0

    def key_for(self, source_key):
        if source_key not in self.keys:
            self.keys[source_key] = uuid.uuid4()
        return self.keys[source_key]

    def run(self):
        master = self.adoption.source
        home = profile_page(self.adoption.institution)
        if home is None:
            raise RuntimeError(f"{self.adoption.institution} has no profile page to hold the copy")
        for root in source_roots(master):
            parent = home if root.locale_id == home.locale_id else self.profile_in(home, root.locale)
            for source in Page.objects.descendant_of(root, inclusive=True).order_by("path"):
                target_parent = parent if source.pk == root.pk else self.copies[source.get_parent().pk]
                with transaction.atomic():
                    copy = self.copy_page(source, target_parent, is_root=source.pk == root.pk)
                self.copied += 1
                Adoption.objects.filter(pk=self.adoption.pk).update(pages_copied=self.copied)
        with transaction.atomic():
            self.finish_roots()
            copy = self.roots[0].specific if self.roots else None
            Adoption.objects.filter(pk=self.adoption.pk).update(
                copy_state=CopyState.DONE, copy=copy, copy_error="", pages_total=self.copied
            )
        return copy

    def finish_roots(self):
        """Publish the copied course roots (in every language) and let the institution's editors
        edit them and everything below."""
        for _source_root, copy_root in self.unpublished_roots:
            revision = copy_root.save_revision(user=self.user, clean=False)
            revision.publish(user=self.user, skip_permission_checks=True)
            PageLineage.objects.filter(page=copy_root).update(copy_revision=revision)
        self.unpublished_roots = []
        if self.roots:
            editors.grant_pages(self.adoption.institution, self.roots)

    def profile_in(self, home, locale):
        """The institution's profile page in ``locale``, translated (and published) when missing."""
        translated = home.get_translation_or_none(locale)
        if translated is None:
            translated = home.specific.copy_for_translation(locale, copy_parents=True)
            translated.save_revision(user=self.user, clean=False).publish(
                user=self.user, skip_permission_checks=True
            )
        return translated

    def copy_page(self, source, parent, is_root=False):
        source = source.specific
        synced = live_revision_of(source)
        key = self.key_for(source.translation_key)
        original = self.copies.get(source.alias_of_id) if source.alias_of_id else None
        if original is not None:
            copy = CreatePageAliasAction(
                original,
                parent=parent,
                update_slug=find_available_slug(parent, source.slug) if is_root else source.slug,
                update_locale=source.locale,
                user=self.user,
                reset_translation_key=False,
            ).execute(skip_permission_checks=True)
            if copy.translation_key != key:
                Page.objects.filter(pk=copy.pk).update(translation_key=key)
            copy_revision = None
        else:
            attrs = {
                "locale": source.locale,
                "translation_key": key,
                "draft_title": source.title,
                "has_unpublished_changes": False,
                "locked": False,
                "locked_by": None,
                "locked_at": None,
            }
            if is_root:
                attrs["slug"] = find_available_slug(parent, source.slug)
                attrs["owning_institution"] = self.adoption.institution
                attrs["live"] = False  # published when the whole course is in
            locale = source.locale

            def child_in_locale(original_page, page_copy, relation, child):
                if isinstance(child, TranslatableMixin):
                    child.locale = locale
                    child.translation_key = self.key_for(child.translation_key)

            copy = source.copy(
                to=parent,
                recursive=False,
                update_attrs=attrs,
                exclude_fields=excluded_child_relations(source),
                copy_revisions=False,
                keep_live=True,
                user=self.user,
                process_child_object=child_in_locale,
                reset_translation_key=False,
            )
            copy_revision = copy.latest_revision
            if is_root and source.live:
                self.unpublished_roots.append((source, copy))
        if is_root:
            self.roots.append(copy)
        PageLineage.objects.create(
            page=copy,
            adoption=self.adoption,
            source=source,
            synced_revision=synced,
            copy_revision=copy_revision,
            synced_at=timezone.now(),
        )
        self.copies[source.pk] = copy
        run_copy_hooks(copy, self.adoption)
        return copy

    def remove(self):
        """Take away whatever part of the copy was made."""
        with transaction.atomic():
            roots = [root.pk for root in self.roots]
            roots += list(
                PageLineage.objects.filter(adoption=self.adoption, source__in=source_roots(self.adoption.source))
                .values_list("page_id", flat=True)
            )
            for page in Page.objects.filter(pk__in=set(roots)):
                page.delete()
            PageLineage.objects.filter(adoption=self.adoption).delete()


# Status over time --------------------------------------------------------------------------------


def record_status(user, adoption, status, changed_on=None, note=""):
    """Add a step to the adoption's history; the adoption's status is the latest step. Accredited
    needs an accreditation record on the copy."""
    if not may_manage(user, adoption):
        raise PermissionDenied
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise AdoptionRefused(_("A status change cannot be dated in the future."))
    if status == Status.ACCREDITED:
        copy = adoption.copy
        if copy is None or not copy.accreditations.exists():
            raise AdoptionRefused(_(
                "Add the accreditation record (agency, decision date) to your copy of the course before "
                "recording the adoption as accredited."
            ))
    with transaction.atomic():
        change = AdoptionStatusChange.objects.create(
            adoption=adoption, status=status, changed_on=changed_on, note=note, recorded_by=user
        )
        latest = adoption.history.order_by("-changed_on", "-recorded_at", "-pk").first()
        Adoption.objects.filter(pk=adoption.pk).update(status=latest.status)
        adoption.status = latest.status
    return change
