"""The console's pages, one module per area, under /console."""

from fastapi import APIRouter

from knowledge.console.routes import account, catalog, dashboard, questions, tickets

router = APIRouter(prefix="/console", include_in_schema=False)
for module in (account, tickets, questions, dashboard, catalog):
    router.include_router(module.router)
