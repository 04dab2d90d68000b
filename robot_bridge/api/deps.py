"""FastAPI dependencies shared by the routers: the bridge, the settings, the token check."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from robot_bridge.bridge import Bridge
from robot_bridge.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="ROBOT_BRIDGE_TOKEN")


def get_bridge(request: Request) -> Bridge:
    bridge: Bridge = request.app.state.bridge
    return bridge


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Command endpoints move robots and change screens: they need the bearer token."""
    expected: str = request.app.state.settings.token
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


BridgeDep = Annotated[Bridge, Depends(get_bridge)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
Authorized = Depends(require_token)
