"""Every HTTP error as one JSON shape: ``{"error": {"code", "message", "field"}}``.

Domain errors become HTTP errors here and nowhere else.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nlp.errors import ModelLoadError
from router.incoming import InvalidPost


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def _respond(status: int, code: str, message: str, field: str | None = None,
             headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status, headers=headers)


_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 413: "too_large",
                 415: "unsupported_media_type", 422: "invalid", 503: "unavailable"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError):
        return _respond(error.status, error.code, error.message, error.field)

    @app.exception_handler(InvalidPost)
    async def _invalid_post(_: Request, error: InvalidPost):
        return _respond(422, "invalid_post", str(error), error.field)

    @app.exception_handler(ModelLoadError)
    async def _model_error(_: Request, error: ModelLoadError):
        return _respond(409, "model_not_loadable", str(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError):
        first = error.errors()[0]
        if first.get("type") == "json_invalid" or tuple(first.get("loc", ())) == ("body",):
            return _respond(400, "malformed_json", "the body is not valid JSON (or not UTF-8)")
        location = [str(part) for part in first.get("loc", ()) if part != "body"]
        return _respond(422, "invalid", first.get("msg", "invalid request"),
                        ".".join(location) or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException):
        code = _STATUS_CODES.get(error.status_code, "error")
        message = str(error.detail)
        if error.status_code == 400 and "parsing the body" in message:
            code, message = "malformed_json", "the body is not valid JSON (or not UTF-8)"
        return _respond(error.status_code, code, message, headers=error.headers)
