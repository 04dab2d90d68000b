"""Settings of the robot bridge, read from ROBOT_BRIDGE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from catalog.loader import DEFAULT_CATALOG_DIR
from robot_bridge.drivers import RosInterfaces


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROBOT_BRIDGE_")

    # the hall map is part of the catalog; the bridge reads the same directory
    catalog_dir: Path = DEFAULT_CATALOG_DIR
    host: str = "127.0.0.1"
    port: int = 8100
    # bearer token of the command endpoints (guide, show, cancel, home)
    token: str = Field("dev-robot-token", min_length=1)
    # where the kiosk's search box sends questions: the assistant's screen channel, which
    # takes the bridge's token as proof that the question came from a screen
    rasa_url: str = "http://127.0.0.1:5005/webhooks/screen/webhook"
    # the knowledge service: the search box draws the route to the windows of the matter asked about
    knowledge_url: str = Field(
        "http://127.0.0.1:8000", validation_alias=AliasChoices("ROBOT_BRIDGE_KNOWLEDGE_URL", "KNOWLEDGE_URL")
    )

    # Robots: "robot-north=ws://10.0.0.5:9090,robot-south=ws://10.0.0.6:9090" connects
    # those robots over rosbridge. In mode "sim" every robot not listed is simulated in
    # this process; in mode "real" it is reported offline.
    robots_urls: str = ""
    mode: Literal["sim", "real"] = "sim"
    # how a simulated robot is reached: directly, or through a rosbridge simulator server
    # started in this process on a free 127.0.0.1 port (exercises the real protocol)
    sim_transport: Literal["direct", "rosbridge"] = "direct"
    sim_speed_factor: float = Field(1.0, gt=0)
    sim_tick_s: float = Field(0.05, gt=0)

    # rosbridge names (nav2 defaults)
    speech_topic: str = RosInterfaces.speech_topic
    nav_action: str = RosInterfaces.nav_action
    nav_action_type: str = RosInterfaces.nav_action_type
    pose_topic: str = RosInterfaces.pose_topic
    pose_type: str = RosInterfaces.pose_type
    battery_topic: str = RosInterfaces.battery_topic
    battery_type: str = RosInterfaces.battery_type

    # guide timing and limits
    arrival_wait_s: float = Field(20.0, ge=0)
    nav_timeout_s: float = Field(300.0, gt=0)
    standoff_m: float = Field(1.0, ge=0)  # stop this far short of the place (counters, walls)
    min_battery: float = Field(0.15, ge=0, le=1)
    reconnect_initial_s: float = Field(1.0, gt=0)
    reconnect_max_s: float = Field(30.0, gt=0)
    connect_timeout_s: float = Field(5.0, gt=0)
    ping_interval_s: float = Field(5.0, gt=0)

    # kiosks clear a route, notice or message after this long
    screen_clear_s: float = Field(90.0, gt=0)

    @field_validator("robots_urls")
    @classmethod
    def _urls_parse(cls, value: str) -> str:
        parse_robot_urls(value)
        return value

    def robot_urls(self) -> dict[str, str]:
        return parse_robot_urls(self.robots_urls)

    def ros_interfaces(self) -> RosInterfaces:
        return RosInterfaces(
            speech_topic=self.speech_topic,
            nav_action=self.nav_action,
            nav_action_type=self.nav_action_type,
            pose_topic=self.pose_topic,
            pose_type=self.pose_type,
            battery_topic=self.battery_topic,
            battery_type=self.battery_type,
        )


def parse_robot_urls(value: str) -> dict[str, str]:
    """'a=ws://h:1,b=ws://h:2' -> {'a': 'ws://h:1', 'b': 'ws://h:2'}; raises ValueError."""
    urls: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        robot_id, sep, url = (s.strip() for s in item.partition("="))
        if not sep or not robot_id or not url.startswith(("ws://", "wss://")):
            raise ValueError(f"expected robot-id=ws://host:port, got '{item}'")
        if robot_id in urls:
            raise ValueError(f"robot '{robot_id}' is listed twice")
        urls[robot_id] = url
    return urls


@lru_cache
def get_settings() -> Settings:
    return Settings()
