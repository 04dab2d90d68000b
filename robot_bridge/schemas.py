"""Request and response bodies of the bridge API (XCreate in, XPublic out)."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from robot_bridge.bridge import GuidePlan
from robot_bridge.guide import STATE_TEXT, GuideTask, RobotAgent, RobotEvent
from robot_bridge.routing import Route, distance_text

Id = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class GuideCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    destination: str = Id
    session_id: str = Field(min_length=1, max_length=128)
    robot_id: str | None = Field(None, min_length=1, max_length=64)
    screen_id: str | None = Field(None, min_length=1, max_length=64)


class PointPublic(BaseModel):
    x: float
    y: float
    waypoint: str | None = None


class RoutePublic(BaseModel):
    start: dict[str, Any]
    points: list[PointPublic]
    waypoints: list[str]
    distance_m: float
    distance_text: str
    direction: str
    summary: str
    steps: list[str]
    windows: list[int]
    window_text: str

    @classmethod
    def of(cls, route: Route, start: dict[str, Any]) -> RoutePublic:
        return cls(
            start=start,
            points=[PointPublic(x=round(p.x, 2), y=round(p.y, 2), waypoint=p.waypoint) for p in route.points],
            waypoints=route.waypoints,
            distance_m=route.distance_m,
            distance_text=distance_text(route.distance_m),
            direction=route.direction,
            summary=route.summary,
            steps=list(route.steps),
            windows=list(route.windows),
            window_text=route.window_text,
        )


class PlacePublic(BaseModel):
    id: str
    name: str
    kind: str
    windows: list[int]
    x: float
    y: float


class RobotBrief(BaseModel):
    id: str
    name: str


class ScreenNotified(BaseModel):
    id: str
    name: str
    delivered: int  # kiosks that received the route now
    summary: str
    steps: list[str]


class GuidePublic(BaseModel):
    guide_id: str | None
    destination: PlacePublic
    route: RoutePublic
    robot: RobotBrief | None  # the robot leading the visitor; None when none goes
    robot_status: Literal["dispatched", "busy", "offline", "low_battery", "error", "not_requested"]
    message: str
    offer: RobotBrief | None
    screens: list[ScreenNotified]

    @classmethod
    def of(cls, plan: GuidePlan) -> GuidePublic:
        place = plan.place
        dispatched = plan.task is not None and plan.robot is not None
        return cls(
            guide_id=plan.task.id if plan.task else None,
            destination=PlacePublic(
                id=place.id,
                name=place.name,
                kind=place.kind,
                windows=list(place.windows),
                x=place.pos.x,
                y=place.pos.y,
            ),
            route=RoutePublic.of(plan.route, plan.start),
            robot=RobotBrief(id=plan.robot.id, name=plan.robot.name) if dispatched and plan.robot else None,
            robot_status=plan.robot_status,
            message=plan.message,
            offer=RobotBrief(id=plan.offer.id, name=plan.offer.name) if plan.offer else None,
            screens=[
                ScreenNotified(
                    id=d.screen.id,
                    name=d.screen.name,
                    delivered=d.delivered,
                    summary=d.route.summary,
                    steps=list(d.route.steps),
                )
                for d in plan.screens
            ],
        )


class TaskPublic(BaseModel):
    guide_id: str
    robot_id: str
    destination: RobotBrief
    phase: str
    outcome: str | None
    distance_m: float
    distance_remaining_m: float | None
    screens: list[str]
    created_at: float
    ended_at: float | None

    @classmethod
    def of(cls, task: GuideTask) -> TaskPublic:
        # the session id stays private: these views are readable without the token
        return cls(
            guide_id=task.id,
            robot_id=task.robot_id,
            destination=RobotBrief(id=task.place.id, name=task.place.name),
            phase=task.phase.value,
            outcome=task.outcome.value if task.outcome else None,
            distance_m=task.route.distance_m,
            distance_remaining_m=None if task.distance_remaining is None else round(task.distance_remaining, 1),
            screens=task.screen_ids,
            created_at=task.created_at,
            ended_at=task.ended_at,
        )


class PosePublic(BaseModel):
    x: float
    y: float
    theta: float


class RobotPublic(BaseModel):
    id: str
    name: str
    state: str
    state_text: str
    connected: bool
    available: bool
    unavailable_reason: str | None
    pose: PosePublic | None
    battery: float | None  # 0..1
    status_updated_at: float | None
    home: PosePublic
    door: str
    screen: str
    current_task: TaskPublic | None
    last_task: TaskPublic | None
    last_error: str | None

    @classmethod
    def of(cls, agent: RobotAgent) -> RobotPublic:
        status = agent.driver.status()
        available, reason = agent.availability()
        robot = agent.robot
        pose = status.pose
        return cls(
            id=robot.id,
            name=robot.name,
            state=agent.state.value,
            state_text=STATE_TEXT[agent.state],
            connected=status.connected,
            available=available,
            unavailable_reason=None if available else reason,
            pose=PosePublic(x=round(pose.x, 2), y=round(pose.y, 2), theta=round(pose.theta, 3)) if pose else None,
            battery=None if status.battery is None else round(status.battery, 3),
            status_updated_at=status.updated_at,
            home=PosePublic(x=robot.home.x, y=robot.home.y, theta=robot.home.theta),
            door=robot.door,
            screen=robot.screen,
            current_task=TaskPublic.of(agent.task) if agent.task else None,
            last_task=TaskPublic.of(agent.last_task) if agent.last_task else None,
            last_error=agent.last_error,
        )


class RobotEventPublic(BaseModel):
    seq: int
    at: float
    robot_id: str
    type: str
    text: str
    guide_id: str | None
    data: dict[str, Any]

    @classmethod
    def of(cls, event: RobotEvent) -> RobotEventPublic:
        return cls(**event.__dict__)


class NoticeMaterial(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    status: str = Field("", max_length=20)
    condition: str = Field("", max_length=200)


class NoticeCreate(BaseModel):
    """A notice (告知单) or queue number for the visitor, with a QR code to carry it away.

    Other fields the sender adds (ids, a PDF link) are ignored.
    """

    model_config = ConfigDict(extra="ignore")

    number: str = Field(min_length=1, max_length=64)
    title: str = Field("", max_length=64)
    text: str = Field("", max_length=400)
    materials: list[NoticeMaterial] = Field(default_factory=list, max_length=60)
    url: str | None = Field(None, max_length=2000)
    qr_png_base64: str | None = Field(None, max_length=400_000)
    qr_image_url: str | None = Field(None, max_length=2000)

    @field_validator("qr_png_base64")
    @classmethod
    def _is_png(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            head = base64.b64decode(value[:64] + "=" * (-len(value[:64]) % 4), validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValueError("qr_png_base64 is not base64") from error
        if not head.startswith(b"\x89PNG"):
            raise ValueError("qr_png_base64 is not a PNG image")
        return value

    @field_validator("url", "qr_image_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://", "/")):
            raise ValueError("must be an http(s) URL or a path")
        return value


class ScreenShow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notice: NoticeCreate | None = None
    message: str | None = Field(None, min_length=1, max_length=400)
    clear: bool = False  # back to the idle screen now
    clear_after_s: float | None = Field(None, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_thing(self) -> ScreenShow:
        if [self.notice is not None, self.message is not None, self.clear].count(True) != 1:
            raise ValueError("give exactly one of notice, message or clear")
        return self


class ScreenShown(BaseModel):
    screen_id: str
    type: str
    delivered: int


class ScreenPublic(BaseModel):
    id: str
    name: str
    x: float
    y: float
    facing: float
    connected: int
    showing: str | None
