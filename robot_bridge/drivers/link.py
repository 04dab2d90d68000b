"""The link bookkeeping both drivers share: whether the robot is connected, who waits for it,
who is told when it changes, and the goal that fails when the link drops."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod

from robot_bridge.drivers import ConnectionCallback, NavResult, RobotOffline


class LinkedDriver(ABC):
    """Base of the drivers: subclasses run `_connect_loop` and call `_set_connected`."""

    def __init__(self) -> None:
        self._connected = False
        self._callbacks: list[ConnectionCallback] = []
        self._up = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # the goal `navigate` is waiting for, failed with RobotOffline if the link drops
        self._pending: asyncio.Future[NavResult] | None = None

    @property
    @abstractmethod
    def robot_id(self) -> str: ...

    @property
    def connected(self) -> bool:
        return self._connected

    def on_connection_change(self, callback: ConnectionCallback) -> None:
        self._callbacks.append(callback)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._connect_loop(), name=f"{type(self).__name__}-{self.robot_id}")

    async def wait_connected(self, timeout: float) -> bool:
        if self._connected:
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), timeout)
        return self._connected

    @abstractmethod
    async def _connect_loop(self) -> None:
        """Connect, reconnect with backoff, and report the link through `_set_connected`."""

    async def _stop_connecting(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _link_description(self) -> str:
        return self.robot_id

    def _require_link(self) -> None:
        if not self._connected:
            raise RobotOffline(f"{self._link_description()} is not connected")

    def _set_connected(self, up: bool) -> None:
        if self._connected == up:
            return
        self._connected = up
        if up:
            self._up.set()
        else:
            self._up.clear()
            if self._pending is not None and not self._pending.done():
                self._pending.set_exception(RobotOffline(f"lost the link to {self.robot_id}"))
        for callback in list(self._callbacks):
            callback(up)
