"""The member's own data page: download everything, or ask for the account to be deleted."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from microsolidarity.ratelimits import rate_limited
from microsolidarity.rights import codes, deletion, exports
from microsolidarity.rights.forms import ConfirmWithCodeForm, ConfirmWithPasswordForm


def private(view):
    return login_required(never_cache(sensitive_post_parameters()(view)))


@private
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rights/my_data.html",
        {"grace_days": deletion.grace_days(), "pending": deletion.pending_deletion(request.user)},
    )


@private
@rate_limited("data_export")
def my_data_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.export_zip(person=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename()}"'
    return response


@private
@rate_limited("account_delete")
def account_delete(request: HttpRequest) -> HttpResponse:
    person = request.user
    uses_password = person.has_usable_password()
    if request.method == "POST" and "send_code" in request.POST and not uses_password:
        codes.code_send(request=request)
        messages.info(request, _("We emailed you a code. It works for 15 minutes."))
        return redirect("rights_account_delete")
    if uses_password:
        form = ConfirmWithPasswordForm(request.POST or None, person=person)
    else:
        form = ConfirmWithCodeForm(
            request.POST or None, check=lambda code: codes.code_check(request=request, code=code)
        )
    if request.method == "POST" and form.is_valid():
        pending = deletion.deletion_request(person=person)
        logout(request)
        messages.success(
            request,
            _(
                "Your account will be deleted on %(date)s. Changed your mind? Sign in "
                "before then and nothing is lost."
            )
            % {"date": f"{pending.due_at:%Y-%m-%d}"},
        )
        return redirect("home")
    return render(
        request,
        "rights/account_delete.html",
        {"form": form, "uses_password": uses_password, "grace_days": deletion.grace_days()},
    )


@require_POST
@private
def account_delete_cancel(request: HttpRequest) -> HttpResponse:
    if deletion.deletion_cancel(person=request.user):
        messages.success(request, _("Your account will not be deleted."))
    return redirect("rights_my_data")
