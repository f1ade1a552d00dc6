from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.roles import start_page


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their role's start page; everyone else sees the public page for families."""
    page = start_page(request.user)
    if page is not None:
        return redirect(page)
    return render(request, "home.html")
