"""Swagger UI at /docs and ReDoc at /redoc from local files, for both FastAPI services.

Government intranets have no internet: FastAPI's own pages load Swagger UI from a CDN and ReDoc
with web fonts, and show blank there. The assets come from the fastapi-offline wheel (MIT; it
bundles swagger-ui, Apache-2.0, and redoc, MIT). A Content-Security-Policy keeps the browser on
our host: ReDoc's sidebar links a logo image on cdn.redoc.ly, which is then never requested.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_URL = "/static-offline-docs"
ONLY_OUR_HOST = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; font-src 'self' data:"
)


def add_offline_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc for `app`, which was made with docs_url=None and redoc_url=None."""
    assets = str(files("fastapi_offline") / "static")
    app.mount(STATIC_URL, StaticFiles(directory=assets), name="offline-docs")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def read_swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.png",
            # else Swagger UI asks validator.swagger.io about a spec served from a non-local address
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = ONLY_OUR_HOST
        return page

    @app.get("/redoc", include_in_schema=False)
    def read_redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = ONLY_OUR_HOST
        return page
