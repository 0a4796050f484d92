"""An institution's editors: a Wagtail group per institution, with a media collection of its own.
Page permissions are granted on the institution's pages only (its profile page in every language,
and its adopted copies below it), so the group can edit and publish those and nothing else."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import Institution, InstitutionPage

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# On the profile page itself the editors keep its text (and translations) current; they add no
# pages beside their copies, which have add permission of their own.
PROFILE_PERMISSIONS = ("change_page", "publish_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)


@transaction.atomic
def editor_group(institution):
    """The institution's editor group, made (with admin access and its own media collection) the
    first time it is needed."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    new_group = institution.editors_id is None
    if new_group:
        # Always a new group, never one found by name: a group of that name may exist already (an
        # institution renamed its short name, or someone made it by hand) with other members.
        group = Group.objects.create(name=unused_group_name(f"Editors: {institution.short_name} (#{institution.pk})"))
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
        institution.editors = group
    if institution.collection_id is None:
        root = Collection.get_first_root_node()
        institution.collection = root.add_child(instance=Collection(name=institution.name))
    institution.save(update_fields=["editors", "collection"])
    if new_group:
        _grant(institution.editors, institution.pages.all(), PROFILE_PERMISSIONS)
    for app_label, codenames in MEDIA_PERMISSIONS:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=institution.editors,
                collection=institution.collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )
    return institution.editors


def unused_group_name(name):
    candidate, n = name, 1
    while Group.objects.filter(name=candidate).exists():
        n += 1
        candidate = f"{name} {n}"
    return candidate


def grant_profile(page):
    """A profile page made (or translated) after the institution's editor group: theirs too."""
    group_id = Institution.objects.filter(pk=page.institution_id).values_list("editors", flat=True).first()
    if group_id is not None:
        _grant(Group.objects.get(pk=group_id), [page], PROFILE_PERMISSIONS)


def _grant(group, pages, codenames):
    permissions = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames))
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_pages(institution, pages):
    """Let the institution's editors add, edit and publish ``pages`` and their descendants."""
    _grant(editor_group(institution), pages, PAGE_PERMISSIONS)


@receiver(post_save, sender=InstitutionPage, dispatch_uid="institution_page_editors")
def _profile_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_profile(instance)
