"""The script that describes a module's import surface, run inside the project's interpreter.

It stays compatible with old Pythons and imports nothing of ours. For each name it records
the kind and ``__qualname__``; the value of simple constants (ints, strings, bytes, bools,
None and tuples of them); for containers, their size and a digest of their items in order
(sets: of their sorted items) when every item is a simple value, a class or a function (by
qualified name); for the module's own classes and functions, whether their source is found
(``inspect.getsource`` but for the block's end, see ``source_found``) and whether
``typing.get_type_hints`` succeeds. Then it runs the doctest examples of the module and of
its submodules and records each one's outcome (doctest, which loads pdb, unittest and difflib,
is imported only when a docstring it would read has an example). Floats are left out on
purpose: they are often times or measurements, different every run.

The original and the split are each imported in a fresh fork of a clean interpreter, the
snapshot server (``snapshot_server_script``), which has loaded the script's own standard
modules (inspect, json, re, typing...) and nothing of the project; where there is no fork, in
a fresh interpreter. The module is imported first, before anything else of the project.
Given two output files, the script forks first and takes the second snapshot in the child:
the original's two imports (taken only when the split differs from one import of it), from
which ``verify.stable_snapshot`` tells the values that differ at each import, cost one fork.
The fork shares the hash seed (fixed for every snapshot, the split's too) and, but for a heap
of its own that the child takes, the memory layout: addresses fixed before the fork (the main
thread's ident, the id of ``None``) do not differ between the two, where two interpreters'
may: a value built from one is compared, and refuses the split.

For each class the module defines, ``members`` describes what ``getattr(Class, name)`` is for
every name in ``dir(Class)``: the kind of object found in the class dictionaries (function,
property, classmethod...), with a routine's name and signature or a simple value's repr
(``classcheck.member_problems`` compares them; a class split must change none).
"""

SNAPSHOT_SCRIPT = r"""
import os, sys
name, outs, held = sys.argv[1], sys.argv[3:], []
first, child = True, 0
if len(outs) > 1:
    # this process and a fork each import the module, which sees the same clean state in
    # both: values that differ between two imports (a uuid, the pid) differ between the two
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    first = child != 0
    if not first:
        # a fork would place new objects where its parent does: with a heap of its own, ids
        # and reprs with addresses differ between the two as between two interpreters
        held = [bytearray(size) for size in range(1, 1100, 8) for _ in range(3)]
out = outs[0] if first else outs[1]
__import__(name)
mod = sys.modules[name]
# after the module: in a fresh interpreter (no server), it sees only what startup loaded
import importlib, inspect, json, re, time
try:
    from _sha1 import sha1  # hashlib's, without loading OpenSSL
except ImportError:
    from hashlib import sha1
probe = json.loads(sys.argv[2])
SIMPLE = (bool, int, str, bytes, type(None))
DOCTEST_SECONDS = 20.0

def simple(obj, depth=0):
    if isinstance(obj, SIMPLE):
        return True
    return depth < 3 and type(obj) is tuple and all(simple(x, depth + 1) for x in obj)

def item(obj):
    if simple(obj):
        return repr(obj)[:200]
    if inspect.isclass(obj) or inspect.isroutine(obj):
        qual = getattr(obj, "__qualname__", None)
        if isinstance(qual, str):
            return "<%s>" % qual
    raise ValueError("not comparable")

def items(obj):
    if isinstance(obj, dict):
        found = ["%s: %s" % (item(k), item(v)) for k, v in obj.items()]
    else:
        found = [item(x) for x in obj]
    return sorted(found) if isinstance(obj, (set, frozenset)) else found

def own(obj):
    home = getattr(obj, "__module__", None)
    return isinstance(home, str) and (home == name or home.startswith(name + "."))

def works(check, obj):
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(obj)
    except Exception:
        return False
    return True

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
            try:
                found = items(obj)
            except Exception:
                return entry
            text = json.dumps(found)
            entry["items"] = sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
            entry["preview"] = found[:4]
        return entry
    qual = getattr(obj, "__qualname__", None)
    entry = {"kind": kind, "qualname": qual if isinstance(qual, str) else None}
    # the second snapshot only tells which values are unstable: introspection is not compared
    if first and own(obj) and (kind == "class" or inspect.isfunction(obj)):
        import typing
        entry["getsource"] = works(source_found, obj)
        entry["get_type_hints"] = works(typing.get_type_hints, obj)
        if kind == "class" and obj.__module__ == name and defined_below(obj):
            entry["rehomed"] = True
    return entry

def source_found(obj):
    # getsource less getblock, which tokenizes from the start of a statement of a file that
    # compiles (brackets and strings close; a dedent's error it catches): it cannot fail.
    # A lambda's line may start inside brackets or a string: there, all of getsource.
    if getattr(obj, "__name__", None) == "<lambda>":
        return inspect.getsource(obj)
    return inspect.findsource(inspect.unwrap(obj))

def defined_below(obj):
    # a class defined in a submodule whose __module__ a compatibility layer set to the package
    prefix = name + "."
    return any(
        vars(m).get(obj.__name__) is obj
        for key, m in list(sys.modules.items())
        if key.startswith(prefix) and m is not None
    )

def index_classes():
    # inspect.getsource(a class) parses and walks the class's whole file (Python 3.9 to
    # 3.12): minutes for a module of thousands of classes. Here each file is parsed once and
    # walked once, with inspect's answer (the first class of that qualified name, pre-order).
    import ast
    finder, found = getattr(inspect, "_ClassFinder", None), getattr(inspect, "ClassFoundException", None)
    if finder is None or found is None:
        return
    cache = {}
    BODIES = ("body", "handlers", "orelse", "finalbody", "cases")

    class CachedParse(object):
        def __getattr__(self, attr):
            return getattr(ast, attr)

        def parse(self, source, *args, **kwargs):
            if args or kwargs or not isinstance(source, str):
                return ast.parse(source, *args, **kwargs)
            if cache.get("source") != source:
                cache.clear()
                cache["source"], cache["tree"] = source, ast.parse(source)
            return cache["tree"]

    def class_lines(tree):
        # classes are statements: only statement bodies are walked (an except clause's and a
        # match case's are reached through their lists), fields in the order of _fields
        lines, todo = {}, [(tree, ())]
        while todo:  # depth first, children in order: the order of ast.NodeVisitor
            node, stack = todo.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                stack += (node.name, "<locals>")
            elif isinstance(node, ast.ClassDef):
                stack += (node.name,)
                first = node.decorator_list[0] if node.decorator_list else node
                lines.setdefault(".".join(stack), first.lineno - 1)
            children = []
            for field in node._fields:
                if field in BODIES:
                    children.extend(getattr(node, field))
            todo.extend((child, stack) for child in reversed(children))
        return lines

    class IndexedFinder(object):
        def __init__(self, qualname):
            self.qualname = qualname

        def visit(self, tree):
            if cache.get("indexed") is not tree:
                cache["indexed"], cache["lines"] = tree, class_lines(tree)
            if self.qualname in cache["lines"]:
                raise found(cache["lines"][self.qualname])

    inspect.ast, inspect._ClassFinder = CachedParse(), IndexedFinder

index_classes()
names = {}
for attr in sorted(set(dir(mod)) | set(probe)):
    try:
        names[attr] = describe(getattr(mod, attr))
    except AttributeError:
        pass
    except Exception as exc:
        names[attr] = {"kind": "error " + type(exc).__name__, "qualname": None}

# object's __eq__...: built-ins in every class; their text signature shown as inspect would,
# "($self, x, /)" as "(self, x, /)", without compiling it (a fifth of a snapshot's CPU)
BUILT_IN = (type(object.__init__), type(object.__format__), type(object.__new__))

def built_in_signature(obj):
    text, bound = getattr(obj, "__text_signature__", None) or "(?)", getattr(obj, "__self__", None)
    if bound is None or inspect.ismodule(bound) or not text.startswith("($"):
        return text.replace("($", "(", 1)
    rest = text[2:].partition(",")[2].strip()
    rest = rest[2:].strip() if rest.startswith("/,") else rest
    return "()" if rest in ("", ")", "/)") else "(" + rest

def signature(obj):
    if type(obj) in BUILT_IN:
        return built_in_signature(obj)
    try:
        sig = inspect.signature(obj)
        # annotations name classes by module, which a split changes (the fold check
        # compares them statically); parameters, kinds and defaults are what callers see
        plain = [p.replace(annotation=p.empty) for p in sig.parameters.values()]
        sig = sig.replace(parameters=plain, return_annotation=sig.empty)
        return re.sub(r" at 0x[0-9a-fA-F]+", "", str(sig))
    except (TypeError, ValueError):
        return "(?)"

def member(cls, attr):
    try:
        obj = getattr(cls, attr)
    except Exception as exc:
        return "error " + type(exc).__name__
    raw = next((vars(k)[attr] for k in cls.__mro__ if attr in vars(k)), None)
    kind = type(raw).__name__ if raw is not None else "-"
    if inspect.isroutine(obj):
        return "%s %s%s" % (kind, getattr(obj, "__name__", "?"), signature(obj))
    if simple(obj):
        # a dataclass's generated __doc__ names classes by module, which a split changes on
        # purpose (the report says so): the new modules are written as the old one's
        text = re.sub(r"\b%s\.[A-Za-z_]\w*\.(?=[A-Za-z_])" % re.escape(name), name + ".", repr(obj))
        return "%s %s" % (kind, text[:200])
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

def visited(module, obj):
    # what DocTestFinder looks into, or more: it leaves out what another loaded module defines
    try:
        owner = sys.modules.get(obj.__module__) if hasattr(obj, "__module__") else None
    except Exception:
        return True
    return owner is None or owner is module

def contents(module, obj):
    # the objects DocTestFinder looks into after ``obj`` (a superset where it unwraps)
    if obj is module:
        found = []
        for value in list(vars(obj).values()):
            try:
                wrapped = inspect.unwrap(value)
            except Exception:
                wrapped = value
            if inspect.isroutine(value) or inspect.isroutine(wrapped) or inspect.isclass(value):
                found.append(value)
    elif inspect.isclass(obj):
        found = []
        for value in list(vars(obj).values()):
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isroutine(value) or inspect.isclass(value) or isinstance(value, property):
                found.append(value)
    else:
        return []
    return [v for v in found if visited(module, v)]

def has_examples(module):
    # no docstring DocTestFinder reads has an example: spares importing doctest (and pdb,
    # unittest, difflib with it) for most modules
    if getattr(module, "__test__", None) is not None:
        return True
    seen, todo = set(), [module]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        try:
            doc = obj.__doc__
        except (TypeError, AttributeError):
            doc = None
        if doc is not None and (not isinstance(doc, str) or ">>>" in doc):
            return True
        todo += contents(module, obj)
    return False

def doctests():
    # as pytest --doctest-modules collects them: the module, and each submodule of a package
    modules, found = [mod], []
    if getattr(mod, "__path__", None):
        import pkgutil
        for info in pkgutil.iter_modules(mod.__path__):
            try:
                modules.append(importlib.import_module(name + "." + info.name))
            except BaseException:
                failed = {"module": name + "." + info.name, "test": "", "outcome": "no import"}
                found.append(failed)
    try:
        if not any(has_examples(module) for module in modules):
            return found
    except Exception:
        pass
    import doctest

    class Finder(doctest.DocTestFinder):
        def _find_lineno(self, obj, source_lines):
            # a class's line is found by scanning its whole file, for each class; where a
            # docstring without examples is does not matter (it is never run)
            doc = obj if isinstance(obj, str) else getattr(obj, "__doc__", None)
            if isinstance(doc, str) and ">>>" not in doc:
                return None
            return doctest.DocTestFinder._find_lineno(self, obj, source_lines)

    tests = []
    for module in modules:
        try:
            for test in Finder().find(module):
                if test.examples:  # a docstring without examples tests nothing
                    tests.append((test.name[len(module.__name__):].lstrip("."), module, test))
        except Exception as exc:
            found.append({"module": module.__name__, "test": "", "outcome": "not collected"})
    deadline = time.time() + DOCTEST_SECONDS
    runner = doctest.DocTestRunner(verbose=False)
    for key, module, test in sorted(tests, key=lambda t: (t[0], t[1].__name__)):
        if time.time() > deadline:
            outcome = "not run"
        else:
            try:
                result = runner.run(test, out=lambda text: None)
                outcome = "%d of %d failed" % (result[0], result[1])
            except BaseException as exc:
                outcome = "error " + type(exc).__name__
        found.append({"module": module.__name__, "test": key, "outcome": outcome})
    return found

def save(data):  # whole or not at all: a timeout may stop the doctests half-way
    with open(out + ".part", "w") as handle:
        json.dump(data, handle)
    os.replace(out + ".part", out)

save({"names": names, "star": star, "members": members})
try:
    tests = doctests()
except BaseException as exc:
    tests = [{"module": name, "test": "", "outcome": "error " + type(exc).__name__}]
save({"names": names, "star": star, "members": members, "doctests": tests})
import gc
if hasattr(gc, "freeze"):  # all is written: exit without collecting every object once more
    gc.freeze()
if child:
    os.waitpid(child, 0)
"""

# The names ``from TARGET import *`` binds, for each target (relative to a package): as the
# import system computes them, ``__all__`` else every name not starting with an underscore.
STAR_SCRIPT = r"""
import importlib, importlib.util, json, sys
out, package, targets = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
found = {}
for target in targets:
    try:
        space = {}
        if target.startswith("."):
            absolute = importlib.util.resolve_name(target, package) if package else target
        else:
            absolute = target
        exec("from %s import *" % absolute, space)
        found[target] = sorted(k for k in space if k != "__builtins__")
    except Exception as exc:
        found[target] = "error " + type(exc).__name__ + ": " + str(exc)
with open(out, "w") as handle:
    json.dump(found, handle)
"""
