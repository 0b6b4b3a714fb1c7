"""The organisation in Django's admin: administrative units, agencies and their counters, staff with their
roles, delegations (granted and revoked only through the services, which apply the legal rules and keep the
audit), citizens and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as AdminPermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.identifiers import mask_personal_id
from motcua.org import twofactor
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    ApiToken,
    CitizenProfile,
    Counter,
    Delegation,
    DelegationAudit,
    StaffRole,
)
from motcua.org.selectors import ancestor_ids, subtree_ids
from motcua.org.services import grant_delegation, revoke_api_tokens, revoke_delegation


def _validity_problem(valid_from: dt.date | None, valid_to: dt.date | None) -> str | None:
    if valid_from and valid_to and valid_to < valid_from:
        return gettext("The last day in force is before the first.")
    return None


def validity_text(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    """Validity as people read it: "01-07-2025 to 30-06-2026", "from 01-07-2025", "until 30-06-2026"."""
    start = date_format(valid_from, "SHORT_DATE_FORMAT") if valid_from else None
    end = date_format(valid_to, "SHORT_DATE_FORMAT") if valid_to else None
    if start and end:
        return gettext("%(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return gettext("from %(start)s") % {"start": start}
    return gettext("until %(end)s") % {"end": end} if end else ""


def _in_force(valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
    today = timezone.localdate()
    return (valid_from is None or valid_from <= today) and (valid_to is None or today <= valid_to)


class InForceFilter(admin.SimpleListFilter):
    """Units and agencies in force today, or no longer (ended, merged away in 2025)."""

    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("In force today")), ("no", _("Ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        ended = Q(valid_to__lt=timezone.localdate())
        if self.value() == "yes":
            return queryset.exclude(ended)
        if self.value() == "no":
            return queryset.filter(ended)
        return queryset


class AdministrativeUnitForm(forms.ModelForm):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor", "is_demo"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if problem := _validity_problem(cleaned.get("valid_from"), cleaned.get("valid_to")):
            self.add_error("valid_to", problem)
        successor = cleaned.get("successor")
        if successor is not None and successor.pk == self.instance.pk:
            self.add_error("successor", gettext("A unit cannot succeed itself."))
        if successor is not None and not cleaned.get("valid_to"):
            self.add_error(
                "valid_to", gettext("A unit with a successor has ended: give its last day in force.")
            )
        return cleaned


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    form = AdministrativeUnitForm
    list_display = ["code", "name", "level", "parent", "validity", "in_force_today", "successor", "is_demo"]
    list_filter = ["level", InForceFilter, "is_demo"]
    list_select_related = ["parent", "successor"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent", "is_demo"]}),
        (
            _("Validity"),
            {
                "fields": [("valid_from", "valid_to"), "successor"],
                "description": _(
                    "Codes are never reused. A unit merged away (such as a district on 1 July 2025) keeps "
                    "its row with its last day in force and the unit that took over its area."
                ),
            },
        ),
    ]

    @admin.display(description=_("validity"), ordering="valid_from")
    def validity(self, unit: AdministrativeUnit) -> str:
        return validity_text(unit.valid_from, unit.valid_to)

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, unit: AdministrativeUnit) -> bool:
        return _in_force(unit.valid_from, unit.valid_to)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "identity_code",
            "name",
            "kind",
            "parent",
            "administrative_unit",
            "address",
            "phone",
            "valid_from",
            "valid_to",
            "is_demo",
        ]
        help_texts = {
            "identity_code": _("The electronic identity code (mã định danh), such as 000.00.21.H26."),
            "parent": _("The agency above this one; officers of the parent see this agency's dossiers."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if problem := _validity_problem(cleaned.get("valid_from"), cleaned.get("valid_to")):
            self.add_error("valid_to", problem)
        parent = cleaned.get("parent")
        # Scope flows down the tree: a loop would put an agency in its own scope for ever.
        if parent is not None and self.instance.pk and parent.pk in subtree_ids([self.instance.pk]):
            self.add_error(
                "parent", gettext("An agency cannot sit below itself or one of its own sub-agencies.")
            )
        return cleaned


class ParentAgencyFilter(admin.SimpleListFilter):
    """The agencies that have agencies below them: filtering by one shows its direct sub-agencies."""

    title = _("parent agency")
    parameter_name = "parent"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        parents = Agency.objects.filter(children__isnull=False).distinct().order_by("identity_code")
        return [("none", _("None (top level)"))] + [(str(a.pk), str(a)) for a in parents]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Agency]) -> QuerySet[Agency]:
        if self.value() == "none":
            return queryset.filter(parent__isnull=True)
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


class AgencyStaffInline(admin.TabularInline):
    model = StaffRole
    fields = ["user", "role", "position"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name_plural = _("staff and their roles in this agency")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ["identity_code", "name_in_tree", "kind", "parent_code", "unit", "counter_count"]
    list_filter = ["kind", ParentAgencyFilter, "administrative_unit__level", InForceFilter, "is_demo"]
    list_select_related = ["parent", "administrative_unit"]
    search_fields = ["identity_code", "name"]
    autocomplete_fields = ["parent", "administrative_unit"]
    inlines = [CounterInline, AgencyStaffInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        return super().get_queryset(request).annotate(counter_total=Count("counters"))

    @admin.display(description=_("name"), ordering="name")
    def name_in_tree(self, agency: Agency) -> str:
        # One step of indentation per level below the top, from the cached agency tree.
        depth = len(ancestor_ids(agency.pk)) - 1
        return format_html("{}{}", "— " * depth, agency.name)

    @admin.display(description=_("parent agency"), ordering="parent__identity_code")
    def parent_code(self, agency: Agency) -> str:
        return agency.parent.identity_code if agency.parent else ""

    @admin.display(description=_("administrative unit"), ordering="administrative_unit__code")
    def unit(self, agency: Agency) -> str:
        return agency.administrative_unit.name

    @admin.display(description=_("counters"), ordering="counter_total")
    def counter_count(self, agency: Agency) -> int:
        return agency.counter_total


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["agency", "number", "name", "is_active"]
    list_filter = ["is_active", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["number", "name", "agency__identity_code", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name", "agency", "role", "position"]
    list_filter = ["role", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "agency"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "agency__identity_code",
        "agency__name",
    ]
    autocomplete_fields = ["user", "agency"]

    @admin.display(description=_("full name"), ordering="user__last_name")
    def full_name(self, role: StaffRole) -> str:
        return role.user.get_full_name()


class StaffRoleInline(admin.TabularInline):
    """The roles of a person, agency by agency: who may see and act for which units."""

    model = StaffRole
    fields = ["agency", "role", "position"]
    autocomplete_fields = ["agency"]
    extra = 1
    verbose_name_plural = _("roles in agencies")


class StaffUserCreationForm(AdminUserCreationForm):
    """A new account named in full, so that the printed forms can carry the officer's name."""

    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Users with their roles on the same page: an officer is created and given roles in one save."""

    add_form = StaffUserCreationForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    ("first_name", "last_name"),
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    inlines = [StaffRoleInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_staff", "is_active"]
    list_filter = ["staff_roles__role", "is_staff", "is_superuser", "is_active"]

    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("staff_roles__agency")

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove the chosen users' authenticators and recovery codes; those who must use two-factor sign-in
        set it up again at their next sign-in."""
        for user in queryset:
            twofactor.reset(user, by=request.user)  # type: ignore[arg-type]
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d user.",
                "Two-factor sign-in was reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return "; ".join(
            f"{role.get_role_display()} @ {role.agency.identity_code}" for role in user.staff_roles.all()
        )


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name", "masked_id_number", "phone", "email_verified"]
    list_select_related = ["user"]
    list_filter = [("email_verified_at", admin.EmptyFieldListFilter)]
    # An exact number only: a partial search would let anyone enumerate personal numbers.
    search_fields = ["user__username", "user__first_name", "user__last_name", "=id_number", "phone"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("full name"), ordering="user__last_name")
    def full_name(self, profile: CitizenProfile) -> str:
        return profile.user.get_full_name()

    @admin.display(description=_("personal identification number"))
    def masked_id_number(self, profile: CitizenProfile) -> str:
        return mask_personal_id(profile.id_number)

    @admin.display(description=_("e-mail verified"), boolean=True, ordering="email_verified_at")
    def email_verified(self, profile: CitizenProfile) -> bool:
        return profile.email_verified_at is not None


class DelegationAuditInline(admin.TabularInline):
    model = DelegationAudit
    fields = ["at", "action", "actor", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _autocomplete(field_name: str) -> AutocompleteSelect:
    return AutocompleteSelect(Delegation._meta.get_field(field_name), admin.site)


class GrantDelegationForm(forms.Form):
    """What a leader's authorisation decision says; the service decides whether it may be granted."""

    agency = forms.ModelChoiceField(Agency.objects.all(), label=_("agency"), widget=_autocomplete("agency"))
    grantor = forms.ModelChoiceField(
        User.objects.all(),
        label=_("leader who authorises"),
        help_text=_("A leader of the agency in their own right; a delegate cannot pass the authority on."),
        widget=_autocomplete("grantor"),
    )
    delegate = forms.ModelChoiceField(
        User.objects.all(),
        label=_("authorised officer"),
        help_text=_("An officer of the agency."),
        widget=_autocomplete("delegate"),
    )
    procedure_codes = forms.CharField(
        label=_("procedures covered"),
        help_text=_("National procedure codes such as 1.001193, one per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision_number = forms.CharField(label=_("decision number"), required=False, max_length=64)
    valid_from = forms.DateField(label=_("valid from"), widget=admin.widgets.AdminDateWidget)
    valid_to = forms.DateField(
        label=_("valid to"),
        help_text=_("The last day of the authorisation: at most %(months)d months after the first.")
        % {"months": settings.MOTCUA_MAX_DELEGATION_MONTHS},
        widget=admin.widgets.AdminDateWidget,
    )

    def clean_procedure_codes(self) -> list[str]:
        return [code for code in self.cleaned_data["procedure_codes"].replace(",", " ").split() if code]

    def show_problems(self, error: DomainError) -> None:
        """Each problem the service found next to its field; a refusal of the grantor next to the grantor."""
        if isinstance(error, PermissionDenied):
            self.add_error("grantor", str(error.detail))
            return
        for problem in error.errors:
            self.add_error(problem.field if problem.field in self.fields else None, str(problem.message))
        if not error.errors:
            self.add_error(None, str(error.detail))


class RevokeDelegationForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        help_text=_("Recorded in each delegation's audit trail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DelegationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("active", _("In force")), ("revoked", _("Revoked")), ("ended", _("Ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Delegation]) -> QuerySet[Delegation]:
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "ended":
            return queryset.filter(revoked_at__isnull=True, valid_to__lt=today)
        return queryset


class RevocableAdmin(admin.ModelAdmin):
    """Records that are issued through a service and then only seen and revoked, never edited or deleted, so
    the service's rules and trail always apply. Revoking asks for the model's change permission."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(Delegation)
class DelegationAdmin(RevocableAdmin):
    """Delegations are shown here, granted through `grant_delegation` and revoked through `revoke_delegation`:
    never edited, so the 36-month and no-sub-delegation rules and the audit trail always apply."""

    list_display = ["grantor", "delegate", "agency", "procedures", "validity", "state", "decision_number"]
    list_filter = [DelegationStateFilter, ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["grantor", "delegate", "agency"]
    search_fields = ["grantor__username", "delegate__username", "delegate__last_name", "decision_number"]
    inlines = [DelegationAuditInline]
    actions = ["revoke_delegations"]

    @admin.display(description=_("procedures"))
    def procedures(self, delegation: Delegation) -> str:
        return ", ".join(delegation.procedure_codes)

    @admin.display(description=_("validity"), ordering="valid_from")
    def validity(self, delegation: Delegation) -> str:
        return validity_text(delegation.valid_from, delegation.valid_to)

    @admin.display(description=_("state"))
    def state(self, delegation: Delegation) -> str:
        if delegation.revoked_at is not None:
            return gettext("Revoked")
        if delegation.valid_to < timezone.localdate():
            return gettext("Ended")
        return (
            gettext("In force")
            if delegation.valid_from <= timezone.localdate()
            else gettext("Not yet in force")
        )

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """Grant a delegation through the service, showing what it refuses next to the field concerned."""
        if not self.has_add_permission(request):
            raise AdminPermissionDenied
        form = GrantDelegationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                delegation = grant_delegation(**form.cleaned_data)
            except DomainError as error:
                form.show_problems(error)
            else:
                self.log_addition(request, delegation, [{"added": {}}])
                self.message_user(request, gettext("The delegation was granted."), messages.SUCCESS)
                return redirect(reverse("admin:org_delegation_change", args=[delegation.pk]))
        admin_form = helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Grant a delegation"),
            "opts": self.opts,
            "adminform": admin_form,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + admin_form.media,
            "max_months": settings.MOTCUA_MAX_DELEGATION_MONTHS,
        }
        return TemplateResponse(request, "admin/org/delegation/grant.html", context)

    @admin.action(description=_("Revoke the selected delegations"), permissions=["revoke"])
    def revoke_delegations(self, request: HttpRequest, queryset: QuerySet[Delegation]) -> HttpResponse | None:
        """Ask why, then revoke each through the service; a refusal is reported for that delegation alone."""
        form = RevokeDelegationForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Revoke delegations"),
                "opts": self.opts,
                "queryset": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/org/delegation/revoke.html", context)
        revoked = 0
        for delegation in queryset:
            try:
                revoke_delegation(delegation, request.user, form.cleaned_data["reason"])
            except DomainError as error:
                self.message_user(request, f"{delegation}: {error.detail}", messages.ERROR)
            else:
                revoked += 1
        if revoked:
            message = ngettext("%(count)d delegation revoked.", "%(count)d delegations revoked.", revoked)
            self.message_user(request, message % {"count": revoked}, messages.SUCCESS)
        return None


@admin.register(ApiToken)
class ApiTokenAdmin(RevocableAdmin):
    """Tokens are issued through the API, which shows a key once; here they are only seen and revoked."""

    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    readonly_fields = ["prefix", "key_hash", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["password_fingerprint"]
    search_fields = ["user__username", "prefix"]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = revoke_api_tokens(queryset)
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
