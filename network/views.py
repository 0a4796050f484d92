from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .accounts import profile_for, remember_preferences, use_language
from .forms import ProfileForm


@never_cache
@login_required
def profile(request):
    person = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            person = form.save()
            remember_preferences(request, person)
            with translation.override(person.preferred_language):
                messages.success(request, _("Your profile has been saved."))
                location = reverse("profile")
            return use_language(HttpResponseRedirect(location), person.preferred_language)
        # The page beside the form shows the profile as saved, not as the rejected submission left it.
        person.refresh_from_db()
    else:
        form = ProfileForm(instance=person)
    return render(request, "network/profile.html", {"form": form, "profile": person})
