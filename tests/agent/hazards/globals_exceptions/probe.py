import pkg.big as big
print(sorted((k, v.__name__) for k, v in big._BY_CODE.items()), big.error_for(404).__name__, big.error_for(1).__name__)
try:
    big.Client("x").check(409)
except big.ApiError as exc:
    print(type(exc).__name__, exc)
