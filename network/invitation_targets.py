"""What people can be invited to. Each app registers its own kind of target (course: offerings,
lessons: seminar series) from its ``AppConfig.ready()``; the network registers institutions here.
The network never imports those apps: it asks the registered handler who may invite, which roles
there are, how an acceptance is carried out and where the person lands.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import roles as network_roles


class InvitationRefused(Exception):
    """An acceptance (or an invitation) the rules do not allow; ``message`` says why, in the
    reader's language. Nothing has changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvitationTarget:
    """How one kind of target takes invited people. Subclasses set ``kind`` (its name in
    addresses), ``model``, ``roles`` (choices) and ``default_role``, and implement the methods that
    raise ``NotImplementedError``."""

    kind = ""
    model = None
    verbose_name = ""
    roles = ()
    default_role = ""
    # Roles that give power over others (teaching an offering, running an institution): only the
    # person the invitation was mailed to may take them, never someone it was forwarded to.
    privileged_roles = frozenset()

    def get(self, pk):
        """The target with this id, or None (when it does not exist or cannot take people)."""
        return self.model._default_manager.filter(pk=pk).first()

    def title(self, target):
        """What the person is invited to, in the active language."""
        return str(target)

    def may_invite(self, user, target):
        raise NotImplementedError

    def roles_for(self, user, target):
        """The roles ``user`` may invite people as (all of them unless a handler says less)."""
        return list(self.roles)

    def role_label(self, role):
        return dict(self.roles).get(role, role)

    def accept(self, invitation, target, person):
        """Give ``person`` what the invitation offers; return a message for them, or raise
        ``InvitationRefused``. Runs inside the acceptance's transaction, after the invitation row
        is locked."""
        raise NotImplementedError

    def landing_url(self, target):
        """Where the person goes after accepting, in the active language."""
        raise NotImplementedError

    def content_type(self):
        return ContentType.objects.get_for_model(self.model)

    def list_url(self, target):
        return reverse("invitations:list", kwargs={"kind": self.kind, "pk": target.pk})


_by_kind = {}
_by_model = {}


def register(handler):
    """Add a kind of target; registering the same kind again replaces it (tests may)."""
    if not handler.kind or handler.model is None:
        raise ValueError("An invitation target needs a kind and a model.")
    _by_kind[handler.kind] = handler
    _by_model[handler.model._meta.label_lower] = handler
    return handler


def for_kind(kind):
    return _by_kind.get(kind)


def for_model(model):
    return _by_model.get(model._meta.label_lower)


def for_invitation(invitation):
    model = ContentType.objects.get_for_id(invitation.target_type_id).model_class()
    return for_model(model) if model is not None else None


def kinds():
    return dict(_by_kind)


# Institutions --------------------------------------------------------------------------------


class InstitutionTarget(InvitationTarget):
    """An institution takes invited people as members; its coordinators invite them."""

    kind = "institution"
    verbose_name = _("institution")
    default_role = "staff"

    @property
    def model(self):
        from .models import Institution

        return Institution

    @property
    def roles(self):
        from .models import Membership

        return Membership.Role.choices

    @property
    def privileged_roles(self):
        # Membership is a claim to belong: nobody but the person invited may take it.
        return frozenset(value for value, _label in self.roles)

    def title(self, target):
        page = self._page(target)
        return page.title if page is not None else target.name

    def may_invite(self, user, target):
        return network_roles.coordinates(user, target)

    def accept(self, invitation, target, person):
        from .models import Membership

        role = invitation.role or self.default_role
        with transaction.atomic():
            _membership, created = Membership.objects.get_or_create(person=person, institution=target, role=role)
        label, name = self.role_label(role), self.title(target)
        if not created:
            return _("You are already a member of %(institution)s as %(role)s.") % {
                "institution": name, "role": label
            }
        return _("Welcome: you are now a member of %(institution)s as %(role)s.") % {
            "institution": name, "role": label
        }

    def landing_url(self, target):
        page = self._page(target)
        if page is not None and page.url:
            return page.url
        return f"/{get_language()}/"

    def _page(self, institution):
        from .institution_pages import InstitutionPage

        pages = InstitutionPage.objects.live().filter(institution=institution)
        return (
            pages.filter(locale__language_code=get_language()).first()
            or pages.order_by("pk").first()
        )


register(InstitutionTarget())
