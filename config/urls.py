from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from config.health import healthz
from config.metrics import metrics

# Swagger UI (from drf-spectacular-sidecar, in our static files) styles itself inline; the split
# view serves its own script from this address, so only this page relaxes the policy, for styles.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html")
)

# Pages that name no icon of their own (the admin's) make browsers ask for /favicon.ico. Not a
# permanent redirect: the static file's hashed name changes with every release.
favicon = RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))

urlpatterns = [
    path("", account_views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    # Sign in and out only: no password reset by e-mail, which anyone could set sending to a
    # staff address; administrators reset passwords in the admin, the second factor with them.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("workflows.urls")),  # the pages that cross apps, under the apps' paths
    path("exchanges/", include("exchanges.urls")),
    path("registry/", include("captives.urls")),
    path("review/", include("exchanges.review_urls")),
    path("inquiries/", include("inquiries.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),  # for Prometheus; the proxy does not route it
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own sign-in form, counted as the staff one is; listed before the admin's URLs.
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
]

# Under /api/ a problem document; elsewhere the site's pages (and a lost database a 503).
handler400 = "config.handlers.bad_request"
handler403 = "config.handlers.permission_denied"
handler404 = "config.handlers.page_not_found"
handler500 = "config.handlers.server_error"
