"""The snapshot server ("zygote"): an interpreter that forks a fresh-looking one per request.

It runs as ``python -c SERVER_SCRIPT`` in the project's interpreter, with the environment of
a snapshot interpreter less ``PYTHONPATH``, in a neutral directory, and drops ``''`` from its
path before importing anything: it loads nothing of any project, only the standard modules
the snapshot script needs (doctest is not among them: the script loads it when a docstring
has examples). Like the snapshot script it stays compatible with old Pythons (3.8+) and
imports nothing of ours. ``snapshot_server`` starts it and speaks its protocol: one JSON
request a line on stdin (``script``, ``argv``, ``cwd``, ``pythonpath``, ``stderr``,
``project``), two JSON lines back on stdout (``{"pid"}`` once the child leads a session of its
own, ``{"status"}`` when it has ended), or one ``{"ready"}`` line at start.

Each child is what ``python -c script argv`` started with that ``PYTHONPATH`` in ``cwd``
would be: the same ``sys.path`` (``''``, the ``PYTHONPATH`` entries made absolute, then the
rest, without duplicates), ``sys.argv`` (and ``orig_argv``), ``os.environ['PYTHONPATH']``,
signal handlers, a ``__main__`` of its own, stdin and stdout on the null device, stderr to a
file; it waits for its threads and runs its ``atexit`` functions (none of the server's) before
it exits; nothing it does reaches the server or the next child. Where that cannot hold, the
child exits with ``UNFIT`` and the caller starts a fresh interpreter instead: when a module
the server had loaded (or ``sitecustomize``) would be found first in a ``PYTHONPATH`` entry,
which a fresh interpreter would import instead of the server's. A server that has loaded a
module from one of the ``project`` folders is a bug: the child exits with ``BROKEN``.
"""

UNFIT = 75  # a fresh interpreter must take this snapshot (EX_TEMPFAIL)
BROKEN = 70  # the server has loaded a module of the project (EX_SOFTWARE)

SERVER_SCRIPT = r"""
import os, sys
MAIN = dict((k, v) for k, v in globals().items() if k.startswith("__"))
CWD_FIRST = sys.path[:1] == [""]
if CWD_FIRST:  # the neutral folder we run in: nothing is imported from a working directory
    del sys.path[0]
STARTUP = set(sys.modules)
import signal
SIGNALS = dict((s, signal.getsignal(s)) for s in signal.valid_signals())
# what the snapshot script imports; doctest it loads only when a docstring has examples
import ast, atexit, gc, importlib, importlib.machinery, importlib.util, inspect, json, pkgutil
import re, time, typing, warnings
try:
    import _sha1
except ImportError:
    import hashlib
BASE_PATH = list(sys.path)
UNFIT, BROKEN = int(sys.argv[1]), int(sys.argv[2])
SUFFIXES = importlib.machinery.all_suffixes()
CODE = {}

def send(data):
    payload = (json.dumps(data) + "\n").encode("utf-8")
    while payload:
        payload = payload[os.write(1, payload):]

def requests():
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                return
            buffer += chunk
        line, _, buffer = buffer.partition(b"\n")
        yield json.loads(line.decode("utf-8"))

def exit_code(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)

def loaded_from(module_name, module):
    # the sys.path entry a module was imported from, or None
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        return None
    depth = module_name.count(".") + 1
    if os.path.basename(path).startswith("__init__."):
        depth += 1
    for _ in range(depth):
        path = os.path.dirname(path)
    return os.path.normcase(os.path.abspath(path))

def check_loaded(project):
    folders = set(os.path.normcase(os.path.abspath(p)) for p in project)
    for key, module in list(sys.modules.items()):
        if key not in STARTUP and loaded_from(key, module) in folders:
            sys.stderr.write("the snapshot server had imported %s from the project\n" % key)
            return False
    return True

def shadowed(entries):
    # a module the server holds that a fresh interpreter would import from these folders
    names = set(["sitecustomize", "usercustomize"])
    for key, module in list(sys.modules.items()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if "." not in key and key != "__main__" and origin not in ("built-in", "frozen"):
            names.add(key)
    for entry in entries:
        try:
            found = set(os.listdir(entry))
        except OSError:
            continue
        for name in names:
            if any(name + s in found for s in SUFFIXES):
                return name
            if name in found and any(
                os.path.exists(os.path.join(entry, name, "__init__" + s)) for s in SUFFIXES
            ):
                return name
    return None

def fresh_path(pythonpath):
    entries = [os.path.abspath(e) for e in pythonpath.split(os.pathsep)] if pythonpath else []
    paths, seen = [], set()
    for entry in entries + BASE_PATH:  # as site.removeduppaths leaves them
        key = os.path.normcase(entry)
        if key not in seen:
            seen.add(key)
            paths.append(entry)
    return entries, ([""] if CWD_FIRST else []) + paths

def redirect(stderr):
    null = os.open(os.devnull, os.O_RDWR)
    err = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(err, 2)
    os.close(null)
    os.close(err)

def finish(status):
    # what the interpreter does at exit: wait for threads, run atexit, flush
    threading = sys.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        try:
            threading._shutdown()
        except BaseException:
            pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    return status

def run(request):
    for signum, handler in SIGNALS.items():
        if handler is not None and signal.getsignal(signum) is not handler:
            signal.signal(signum, handler)
    redirect(request["stderr"])
    os.chdir(request["cwd"])
    if not check_loaded(request["project"]):
        return BROKEN
    entries, path = fresh_path(request["pythonpath"])
    if shadowed(([os.getcwd()] if CWD_FIRST else []) + entries):
        return UNFIT
    sys.path[:] = path
    os.environ["PYTHONPATH"] = request["pythonpath"]
    sys.argv[:] = ["-c"] + request["argv"]
    if hasattr(sys, "orig_argv"):  # 3.10+
        sys.orig_argv = sys.orig_argv[:2] + [request["script"]] + request["argv"]
    atexit._clear()
    main = type(sys)("__main__")
    main.__dict__.update(MAIN)
    sys.modules["__main__"] = main
    try:
        exec(CODE[request["script"]], main.__dict__)
    except SystemExit as exc:
        code = exc.code
        if code is None or isinstance(code, int):
            return finish((code or 0) & 0xFF)
        sys.stderr.write("%s\n" % (code,))
        return finish(1)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return finish(1)
    return finish(0)

def serve(request):
    if request["script"] not in CODE:
        CODE[request["script"]] = compile(request["script"], "<string>", "exec")
    ready, started = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(ready)
            os.setsid()  # a timeout stops the child's whole process group
            os.close(started)
            status = run(request)
        except BaseException:
            sys.excepthook(*sys.exc_info())
        finally:
            os._exit(status)
    os.close(started)
    os.read(ready, 1)  # end of file once the child has a session of its own
    os.close(ready)
    send({"pid": pid})
    send({"status": exit_code(os.waitpid(pid, 0)[1])})

if not hasattr(os, "fork") or not hasattr(os, "setsid"):
    sys.exit("no fork")
gc.collect()
gc.freeze()  # every child shares what is loaded: no collection there walks it
send({"ready": os.getpid()})
for request in requests():
    serve(request)
"""
