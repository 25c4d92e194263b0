"""The user's own page of API tokens (/members/me/api-tokens/): create (the secret is shown once) and revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken
from core.errors import DomainError


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": gettext_lazy("e.g. regional system")}))


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
            except DomainError as error:
                form.add_error("name", str(error))
        if secret is None:
            status = 400
        else:
            form = TokenForm()
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-id")[:100])
    return render(request, "api/token_list.html", {
        "form": form, "secret": secret, "tokens": tokens, "docs_url": reverse("api:docs"),
        "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
    }, status=status)


@login_required
@require_POST
def token_revoke(request, pk):
    """Only the owner's own tokens: another user's token is a 404."""
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    try:
        services.api_token_revoke(token=token)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The token «%(name)s» is revoked: it no longer works.") % {"name": token.name})
    return redirect("api:token-list")
