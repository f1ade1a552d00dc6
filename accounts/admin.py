from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Field, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import ACCESS_LOG_READERS
from accounts.models import AccessLogEntry, ApiCall, PartnerToken, User
from accounts.roles import Role, has_any_role
from accounts.second_factor import reset_second_factor
from accounts.tokens import SCOPES, issue_token, revoke_token
from config.admin import ReadOnlyAdmin


def role_label(group: Group) -> str:
    """A role's name in the reader's language; a group that is no role keeps its own name."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


class RoleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A user's groups, each named as the role it is."""

    def label_from_instance(self, obj: Any) -> str:
        return role_label(obj)


class RoleFilter(admin.SimpleListFilter):
    """Users by role, named in the reader's language (the groups' names are codes)."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(g.name, role_label(g)) for g in Group.objects.order_by("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class HomecomingUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Homecoming"), {"fields": ("preferred_language",)}),
    )
    list_display = ("username", "roles", "first_name", "last_name", "is_active")
    list_filter = (RoleFilter, "is_active", "is_superuser")
    actions = ["reset_second_factor"]

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(role_label(g) for g in user.groups.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[arg-type]

    @admin.action(description=_("Reset the second factor of the selected users"))
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        """A lost phone: after a confirmation page, deletes each user's authenticator app and
        backup codes (they enrol again at their next sign-in) and logs who did it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reset the second factor?"),
                "users": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/accounts/user/reset_second_factor.html", context
            )
        for user in queryset:
            deleted = reset_second_factor(user=user)
            self.log_change(
                request,
                user,
                f"Second factor reset: {deleted} device(s) deleted (authenticator app and backup"
                " codes); enrols again at next sign-in.",
            )
        self.message_user(
            request,
            _("The second factor was reset; they set it up again when they next sign in."),
            messages.SUCCESS,
        )
        return None


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles are groups: listed by their names in the reader's language, the code beside."""

    list_display = ("role", "name")

    @admin.display(description=_("role"), ordering="name")
    def role(self, group: Group) -> str:
        return role_label(group)


class TokenIssueForm(forms.ModelForm):  # type: ignore[type-arg]
    """Issuing a token: the partner, the scopes, how long it lasts. The token itself is made by
    ``issue_token`` and shown once on the next page."""

    partner_name = forms.CharField(
        label=_("partner system"),
        max_length=150,
        help_text=_("The partner system's account (made if it does not exist)"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=[(s, s) for s in sorted(SCOPES)],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("days"), min_value=1, max_value=730, initial=365, help_text=_("Valid for")
    )

    class Meta:
        model = PartnerToken
        fields: list[str] = []


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("partner", "name", "prefix", "scope_list", "expires_at", "revoked_at")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("partner__username", "name", "prefix")
    readonly_fields = ("partner", "prefix", "scopes", "expires_at", "revoked_at", "created_at")
    fields = ("name", *readonly_fields)
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, token: PartnerToken) -> str:
        return ", ".join(token.scopes)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = TokenIssueForm
            kwargs["fields"] = ["partner_name", "scopes", "days"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["partner_name", "scopes", "days"] if obj is None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: PartnerToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = issue_token(
            partner_name=form.cleaned_data["partner_name"],
            scopes=form.cleaned_data["scopes"],
            now=timezone.now(),
            days=form.cleaned_data["days"],
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        obj._state.adding = False
        request._issued_token = raw  # type: ignore[attr-defined]  # shown once, never stored

    def response_add(
        self, request: HttpRequest, obj: PartnerToken, post_url_continue: Any = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Token issued"),
            "token": obj,
            "raw": getattr(request, "_issued_token", ""),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/partnertoken/issued.html", context)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerToken]) -> None:
        now = timezone.now()
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_token(token=token, at=now)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the audit log names tokens: revoke, never delete


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    """The audit log, read-only."""

    list_display = ("at", "token", "method", "path", "action", "object_ref", "status", "outcome")
    list_filter = ("status", "method", "action")
    search_fields = ("path", "object_ref", "token__partner__username")
    date_hierarchy = "at"
    list_select_related = ("token__partner",)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """The access log, read-only, for the administrator role alone (as its page is)."""

    list_display = ("at", "user", "kind", "object_ref")
    list_filter = ("kind",)
    search_fields = ("object_ref", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_any_role(request.user, ACCESS_LOG_READERS)
