from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import certificates
from .certificate_pdf import render_certificate
from .forms import RevocationForm
from .models import Certificate


# A revocation must show at once, so neither the browser nor a proxy may keep a copy.
@never_cache
def verify(request, code):
    certificate = Certificate.objects.select_related("issuer").filter(code=code).first()
    if certificate is None:
        return render(request, "network/certificate_unknown.html", {"code": code}, status=404)
    may_revoke = certificate.is_valid and certificates.may_manage(request.user, certificate)
    may_download = may_revoke or certificates.may_download(request.user, certificate)
    return render(
        request,
        "network/certificate_verify.html",
        {"certificate": certificate, "may_download": may_download, "may_revoke": may_revoke},
    )


def pdf(request, code):
    certificate = get_object_or_404(Certificate.objects.select_related("issuer"), code=code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    if not certificates.may_download(request.user, certificate):
        raise PermissionDenied
    content = render_certificate(certificate, request.build_absolute_uri(certificate.get_absolute_url()))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"certificate-{certificate.code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def revoke(request, code):
    certificate = get_object_or_404(Certificate.objects.select_related("issuer"), code=code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    if not certificates.may_manage(request.user, certificate):
        raise PermissionDenied
    next_url = safe_next_url(request)
    form = RevocationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            certificates.revoke(certificate, by=request.user, reason=form.cleaned_data["reason"])
        except certificates.RevocationRefused as refusal:
            form.add_error("reason" if refusal.code == "reason_required" else None, refusal)
        else:
            messages.success(
                request,
                _("The certificate of %(name)s is revoked. Anyone who checks it now sees that.")
                % {"name": certificate.recipient_name},
            )
            return HttpResponseRedirect(next_url or certificate.get_absolute_url())
    return render(
        request, "network/certificate_revoke.html", {"certificate": certificate, "form": form, "next": next_url}
    )


def safe_next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else ""
