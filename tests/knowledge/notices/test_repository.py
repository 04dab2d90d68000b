"""The notice repository contract, run on SQLite always and on PostgreSQL when a server is given."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from catalog.loader import Catalog
from knowledge.notices import NoticeCreate, NoticeRepository, NoticeService
from knowledge.notices.repository import database_url
from knowledge.notices.service import CHINA_TZ
from tests.knowledge.notices.helpers import answers_for

POSTGRES_ENV = "NOTICES_TEST_POSTGRES_URL"
NUMBER = re.compile(r"^CC-\d{8}-\d{6}$")


@pytest.fixture(params=["sqlite", "postgresql"])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NoticeRepository]:
    """A fresh, empty repository on each backend."""
    if request.param == "sqlite":
        repo = NoticeRepository.open("", tmp_path)
        yield repo
        repo.close()
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL backend not tested: set {POSTGRES_ENV}=postgresql://USER@127.0.0.1:5432/DB "
            "to a reachable server (SQLite was tested)"
        )
    # A schema of its own, so the test neither sees nor leaves rows in a shared database.
    schema = f"notices_test_{uuid.uuid4().hex[:12]}"
    sqlalchemy_url = database_url(url, tmp_path)
    admin = create_engine(sqlalchemy_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(sqlalchemy_url, connect_args={"options": f"-csearch_path={schema}"})
    repo = NoticeRepository(engine)
    assert repo.engine.dialect.name == "postgresql"
    yield repo
    repo.close()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _add(repo: NoticeRepository, when: datetime, subject: str = "crj-passport-issue") -> str:
    stored = repo.add(
        notice_id=uuid.uuid4().hex,
        issued_at=when,
        kind="matter",
        subject_id=subject,
        channel="app",
        answers={"applicant": "不清楚"},
        content={"title": "【普通护照签发】一次性告知单", "materials": [{"name": "居民身份证"}]},
    )
    return stored.number


def test_round_trip_keeps_content_and_time(repository: NoticeRepository) -> None:
    when = datetime(2026, 11, 26, 9, 30, tzinfo=CHINA_TZ)
    stored = repository.add(
        notice_id="a" * 32,
        issued_at=when,
        kind="theme",
        subject_id="theme-newborn",
        channel="wechat",
        answers={"hz-birth-registration.marital": "父母已婚"},
        content={"title": "【新生儿出生一件事】一次性告知单", "n": [1, 2]},
    )
    assert stored.number == "CC-20261126-000001"
    got = repository.get("a" * 32)
    assert got is not None
    assert got.number == stored.number
    assert got.issued_at == when and got.issued_at.tzinfo is not None
    assert got.kind == "theme" and got.subject_id == "theme-newborn" and got.channel == "wechat"
    assert got.answers == {"hz-birth-registration.marital": "父母已婚"}
    assert got.content == {"title": "【新生儿出生一件事】一次性告知单", "n": [1, 2]}
    assert repository.get("b" * 32) is None


def test_numbers_follow_the_day_and_restart_each_day(repository: NoticeRepository) -> None:
    day1 = datetime(2026, 11, 26, 23, 59, tzinfo=CHINA_TZ)
    day2 = datetime(2026, 11, 27, 0, 1, tzinfo=CHINA_TZ)
    numbers = [_add(repository, day1) for _ in range(3)] + [_add(repository, day2) for _ in range(2)]
    assert numbers == [
        "CC-20261126-000001",
        "CC-20261126-000002",
        "CC-20261126-000003",
        "CC-20261127-000001",
        "CC-20261127-000002",
    ]
    assert all(NUMBER.match(n) for n in numbers)


def test_numbers_are_unique_under_concurrency(repository: NoticeRepository) -> None:
    when = datetime(2026, 11, 26, 10, 0, tzinfo=CHINA_TZ)
    workers, each = 8, 12
    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = list(pool.map(lambda _: _add(repository, when), range(workers * each)))
    assert len(set(numbers)) == workers * each
    # Not only unique but gapless: the database handed out 1..N exactly once each.
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, workers * each + 1))
    assert repository.count() == workers * each


def test_service_issues_and_reads_back_on_this_backend(
    repository: NoticeRepository, catalog: Catalog
) -> None:
    service = NoticeService(repository, "http://hall.example:8000/")
    request = NoticeCreate(
        matter_id="crj-passport-issue", answers=answers_for(catalog, "crj-passport-issue", 1)
    )
    notice = service.issue(catalog, request, now=datetime(2026, 11, 26, 8, 0, tzinfo=CHINA_TZ))
    assert notice.number == "CC-20261126-000001"
    assert notice.url == f"http://hall.example:8000/notices/{notice.id}"
    assert notice.issued_on_text == "2026年11月26日"
    again = service.get(notice.id)
    assert again == notice


def test_database_url_defaults_to_sqlite_under_data_dir(tmp_path: Path) -> None:
    assert database_url("", tmp_path / "var") == f"sqlite:///{(tmp_path / 'var' / 'notices.db').resolve()}"
    assert (tmp_path / "var").is_dir()
    assert database_url("postgresql://u:p@127.0.0.1/db", tmp_path) == "postgresql+psycopg://u:p@127.0.0.1/db"
    assert database_url("postgres://u@127.0.0.1/db", tmp_path) == "postgresql+psycopg://u@127.0.0.1/db"
