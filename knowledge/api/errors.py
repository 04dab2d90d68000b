"""How the knowledge service answers a request it cannot accept."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


async def validation_error(request: Request, error: Exception) -> JSONResponse:
    """422 naming each field and what is wrong with it, without echoing the input back: NaN
    is not JSON (the default handler fails on it with a 500), and inputs may be personal data."""
    errors = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors]
    return JSONResponse(status_code=422, content={"detail": detail})
