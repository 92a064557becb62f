"""Errors of the API client, and the table that maps error codes to them."""


class ApiError(Exception):
    """Base class of every error the server reports."""

    code = 0


class NotFound(ApiError):
    code = 404


class Forbidden(ApiError):
    code = 403


class Conflict(ApiError):
    code = 409


class Unrelated(Exception):
    code = 999


_BY_CODE = {}
for _name, _obj in list(globals().items()):
    if isinstance(_obj, type) and issubclass(_obj, ApiError) and _obj is not ApiError:
        _BY_CODE[_obj.code] = _obj
del _name, _obj


def error_for(code):
    """The exception class for an HTTP status code."""
    return _BY_CODE.get(code, ApiError)


def raise_for(code, message):
    raise error_for(code)(message)


class Client:
    def __init__(self, base):
        self.base = base

    def check(self, status):
        if status >= 400:
            raise_for(status, self.base)
        return status

    def get(self, path):
        return self.base + path

    def post(self, path):
        return self.base + path
