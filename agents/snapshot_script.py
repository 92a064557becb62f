"""The script that describes a module's import surface, run inside the project's interpreter.

It stays compatible with old Pythons and imports nothing of ours. Besides each name's kind and
``__qualname__``, it records the value of simple constants (ints, strings, bytes, bools, None
and tuples of them) and the size of containers, so that a split which runs import-time code in
another order (a table filled later, a constant computed from a half-filled table) is caught.
Floats are left out on purpose: they are often times or measurements, different every run.

For each class the module defines, ``members`` describes what ``getattr(Class, name)`` is for
every name in ``dir(Class)``: the kind of object found in the class dictionaries (function,
property, classmethod...), with a routine's name and signature or a simple value's repr
(``classcheck.member_problems`` compares them; a class split must change none).
"""

SNAPSHOT_SCRIPT = r"""
import importlib, inspect, json, sys
out, name, probe = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
mod = importlib.import_module(name)
SIMPLE = (bool, int, str, bytes, type(None))

def simple(obj, depth=0):
    if isinstance(obj, SIMPLE):
        return True
    return depth < 3 and type(obj) is tuple and all(simple(x, depth + 1) for x in obj)

def describe(obj):
    if inspect.isclass(obj):
        kind = "class"
    elif inspect.isroutine(obj):
        kind = "function"
    elif inspect.ismodule(obj):
        return {"kind": "module", "qualname": getattr(obj, "__name__", None)}
    else:
        entry = {"kind": type(obj).__qualname__, "qualname": None}
        if simple(obj):
            entry["value"] = repr(obj)[:200]
        elif type(obj) in (list, dict, set, frozenset, tuple):
            entry["size"] = len(obj)
        return entry
    qual = getattr(obj, "__qualname__", None)
    return {"kind": kind, "qualname": qual if isinstance(qual, str) else None}

names = {}
for attr in sorted(set(dir(mod)) | set(probe)):
    try:
        names[attr] = describe(getattr(mod, attr))
    except AttributeError:
        pass
    except Exception as exc:
        names[attr] = {"kind": "error " + type(exc).__name__, "qualname": None}
import re

def member(cls, attr):
    try:
        obj = getattr(cls, attr)
    except Exception as exc:
        return "error " + type(exc).__name__
    raw = next((vars(k)[attr] for k in cls.__mro__ if attr in vars(k)), None)
    kind = type(raw).__name__ if raw is not None else "-"
    if inspect.isroutine(obj):
        try:
            sig = inspect.signature(obj)
            # annotations name classes by module, which a split changes (the fold check
            # compares them statically); parameters, kinds and defaults are what callers see
            sig = sig.replace(
                parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                return_annotation=sig.empty,
            )
            sig = re.sub(r" at 0x[0-9a-fA-F]+", "", str(sig))
        except (TypeError, ValueError):
            sig = "(?)"
        return "%s %s%s" % (kind, getattr(obj, "__name__", "?"), sig)
    if simple(obj):
        return "%s %s" % (kind, repr(obj)[:200])
    return "%s of %s" % (kind, type(obj).__qualname__)

members = {}
for attr, entry in names.items():
    obj = getattr(mod, attr, None)
    if entry["kind"] == "class" and (str(getattr(obj, "__module__", "")) + ".").startswith(name + "."):
        try:
            members[attr] = dict((a, member(obj, a)) for a in dir(obj))
        except Exception:
            pass
try:
    space = {}
    exec("from %s import *" % name, space)
    star = sorted(k for k in space if k != "__builtins__")
except Exception as exc:
    star = "error " + type(exc).__name__ + ": " + str(exc)
with open(out, "w") as handle:
    json.dump({"names": names, "star": star, "members": members}, handle)
"""
