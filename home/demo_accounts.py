"""Demo logins: an administrator and an (illustrative) professor in the Professors group."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page

from course.models import CourseIndexPage

ADMIN = {"username": "admin", "password": "campus-admin", "email": "admin@localhost"}
PROFESSOR = {
    "username": "professor",
    "password": "campus-professor",
    "email": "professor@localhost",
    "first_name": "Demo",
    "last_name": "Professor",
}
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
QUESTION_BANK = (
    "questioncategory", "multiplechoicequestion", "truefalsequestion", "numericquestion", "matchingquestion",
    "classificationquestion", "essayquestion",
)
GROUP_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    *((app, f"{action}_{model}") for app, model in (("lessons", "glossaryterm"), ("lessons", "resource"))
      for action in ("add", "change", "delete")),
    # Professors write and correct the question bank their quizzes draw on.
    *(("assessments", f"{action}_{model}") for model in QUESTION_BANK for action in ("add", "change", "delete")),
)


def load(ctx):
    User = get_user_model()
    if not User.objects.filter(username=ADMIN["username"]).exists():
        User.objects.create_superuser(**ADMIN)
        ctx.count("users")
    professors = professors_group()
    professor = User.objects.filter(username=PROFESSOR["username"]).first()
    if professor is None:
        professor = User.objects.create_user(**PROFESSOR)
        ctx.count("users")
    professor.groups.add(professors)
    for account in (ADMIN, PROFESSOR):
        verify_email(User.objects.get(username=account["username"]), account["email"])
    ctx.shared["logins"] = [
        ("administrator", ADMIN["username"], ADMIN["password"], ADMIN["email"]),
        ("professor", PROFESSOR["username"], PROFESSOR["password"], PROFESSOR["email"]),
    ]


def verify_email(user, email):
    """The site signs people in by verified email; demo accounts come verified."""
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )


def professors_group():
    group, _ = Group.objects.get_or_create(name=settings.PROFESSORS_GROUP)
    wanted = Q(pk__in=[])
    for app, codename in GROUP_PERMISSIONS:
        wanted |= Q(content_type__app_label=app, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
    page_permissions = Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(Page), codename__in=PAGE_PERMISSIONS
    )
    # The course index of every language tree, so professors can translate modules as well as write them.
    for index in CourseIndexPage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    return group
