"""Catalog status: what is loaded, and checking a new sheet (publishing stays a deliberate step)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from catalog.import_report import read_report
from knowledge.api.deps import CatalogDep
from knowledge.console.auth import Staff
from knowledge.console.catalog_check import MAX_SHEET_BYTES, SHEET_SUFFIXES, check_sheet, last_report, record
from knowledge.console.web import DbDep, FormDep, page, require

router = APIRouter(prefix="/catalog")
EditorDep = Annotated[Staff, require("catalog")]


def _status_page(request: Request, staff: Staff, db: DbDep, catalog: CatalogDep, status: int = 200,
                 error: str = "") -> Response:
    return page(request, "catalog.html", staff, status=status, catalog=catalog, last=last_report(db), error=error,
                last_import=read_report(catalog.source_dir))


@router.get("")
def show_catalog(request: Request, staff: EditorDep, db: DbDep, catalog: CatalogDep) -> Response:
    """The loaded catalog's hash and counts, and the latest sheet check."""
    return _status_page(request, staff, db, catalog)


@router.post("/check")
async def check_uploaded_sheet(request: Request, staff: EditorDep, db: DbDep, catalog: CatalogDep,
                               form: FormDep) -> Response:
    """Validate an uploaded matter sheet against the loaded catalog; nothing is published."""
    upload = (await request.form()).get("sheet")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _status_page(request, staff, db, catalog, 400, "请选择要校验的表格文件（.xlsx 或 .csv）。")
    name = Path(upload.filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        return _status_page(request, staff, db, catalog, 400, "只能校验 .xlsx 或 .csv 表格。")
    body = await upload.read(MAX_SHEET_BYTES + 1)
    if len(body) > MAX_SHEET_BYTES:
        return _status_page(request, staff, db, catalog, 413, "表格超过10MB，请拆分后再校验。")
    with tempfile.TemporaryDirectory(prefix="sheet-") as scratch:
        sheet = Path(scratch) / f"upload{suffix}"
        sheet.write_bytes(body)
        report = check_sheet(sheet, name, catalog)
    record(db, report, staff.username)
    return _status_page(request, staff, db, catalog, 200 if report.ok else 422)
