"""Static checks that nothing unsafe or shared between users creeps into the code.

Read from the source (the AST, not a text search, so comments and docstrings don't count):
no per-user state where every session shares it, no raw HTML built from user text, no
eval/exec/pickle, no file written from the server except the one Plotly.js copy, and the
upload size capped in the config and in the code. Each allowlisted exception says why.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from perceptron import pointsfile
from tests.browser_support import ROOT
from ui.chart import component_js

APP_SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])
CORE_SOURCES = sorted((ROOT / "perceptron").glob("*.py"))
ALL_SOURCES = APP_SOURCES + CORE_SOURCES
# Modules imported once per server and shared by every session (pages run anew each time).
SHARED_MODULES = [p for p in ALL_SOURCES if p.parent.name in ("ui", "perceptron")]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def calls(path: Path):
    """Every call in ``path`` with the name it is called by ("open", "st.html", "x.write_text")."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Call):
            yield node, dotted(node.func)


def dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return dotted(node.func) + "()"
    return "?"


def imported(node) -> list[str]:
    """The modules an import statement names ([] for any other node)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return []


def test_the_sources_are_found():
    names = {rel(p) for p in ALL_SOURCES}
    assert {"app.py", "ui/state.py", "ui/playground.py", "perceptron/scenario.py"} <= names
    assert any(n.startswith("pages/") for n in names)


# ---------------------------------------------------------------- per-user state


@pytest.mark.parametrize("path", APP_SOURCES, ids=rel)
def test_no_cache_resource(path):
    """st.cache_resource is one object for all sessions: never a place for a user's data."""
    used = [name for _, name in calls(path) if name.endswith("cache_resource")]
    used += [
        dotted(d)
        for node in ast.walk(tree(path))
        if isinstance(node, ast.FunctionDef)
        for d in node.decorator_list
        if "cache_resource" in dotted(d)
    ]
    assert not used


@pytest.mark.parametrize("path", APP_SOURCES, ids=rel)
def test_cached_functions_read_nothing_per_user(path):
    """A st.cache_data result is shared by all sessions: it must depend on its arguments only."""
    for node in ast.walk(tree(path)):
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any("cache_data" in dotted(d) for d in node.decorator_list):
            continue
        reads = {dotted(n) for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        assert not {r for r in reads if r.endswith(("session_state", "query_params"))}, node.name


MUTABLE_CALLS = {"list", "dict", "set", "bytearray", "defaultdict", "deque", "OrderedDict"}
MUTATORS = {
    "append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "add",
    "discard", "setdefault", "sort", "reverse", "__setitem__",
}  # fmt: skip


def _is_mutable(value) -> bool:
    if isinstance(value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp | ast.SetComp):
        return True
    return isinstance(value, ast.Call) and dotted(value.func).split(".")[-1] in MUTABLE_CALLS


def shared_state_problems(module: ast.Module) -> list[str]:
    """Module-level state that could carry one user's data to another.

    A mutable module-level container must be named as a constant (UPPER_CASE) and never be
    changed anywhere; no function may rebind a global.
    """
    problems, mutable = [], set()
    for node in module.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        if targets and _is_mutable(node.value):
            for name in map(dotted, targets):
                if not re.fullmatch(r"_?[A-Z][A-Z0-9_]*|__\w+__", name):
                    problems.append(f"mutable global {name} (line {node.lineno})")
                mutable.add(name)
    for node in ast.walk(module):
        if isinstance(node, ast.Global | ast.Nonlocal):
            problems.append(f"global/nonlocal at line {node.lineno}")
        called = node.func if isinstance(node, ast.Call) else None
        mutated = isinstance(called, ast.Attribute) and called.attr in MUTATORS
        if mutated and dotted(called.value) in mutable:
            problems.append(f"{dotted(called)}() at line {node.lineno}")
        targets = []
        inner_assign = isinstance(node, ast.Assign) and node not in module.body
        if isinstance(node, ast.Delete) or inner_assign:
            targets = node.targets
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for target in targets:
            base = target.value if isinstance(target, ast.Subscript) else target
            if dotted(base) in mutable:
                problems.append(f"{dotted(base)} changed at line {node.lineno}")
    return problems


@pytest.mark.parametrize("path", ALL_SOURCES, ids=rel)
def test_shared_modules_hold_no_mutable_state(path):
    """Module globals of ui/ and perceptron/ are shared by every session: only constants.

    Page scripts run anew for every run, but they follow the same rule, so that code moved
    from a page into ui/ cannot bring per-user state along.
    """
    assert shared_state_problems(tree(path)) == []


def test_the_shared_state_check_catches_per_user_globals():
    sample = ast.parse(
        "_sessions = {}\nCLICKS = []\nLIMITS = {'a': 1}\n"
        "def f(x):\n    CLICKS.append(x)\n    LIMITS['a'] = x\n    global n\n"
    )
    assert sorted(shared_state_problems(sample)) == [
        "CLICKS.append() at line 5",
        "LIMITS changed at line 6",
        "global/nonlocal at line 7",
        "mutable global _sessions (line 1)",
    ]


# A function-level cache in a shared module keeps one result for everyone; allowed where
# the result is the same for everyone and cannot be changed by whoever gets it.
FUNCTION_CACHES = {
    ("perceptron/scenario.py", "default_points"): "the default points, read-only arrays",
}


@pytest.mark.parametrize("path", SHARED_MODULES, ids=rel)
def test_function_caches_are_allowlisted(path):
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.FunctionDef) and any(
            dotted(d).split(".")[-1] in ("cache", "lru_cache") for d in node.decorator_list
        ):
            assert (rel(path), node.name) in FUNCTION_CACHES


def test_the_cached_default_points_cannot_be_changed():
    from perceptron.scenario import default_points

    X, y = default_points()
    assert not X.flags.writeable and not y.flags.writeable


# ---------------------------------------------------------------- HTML, code, files

UNSAFE_CALLS = {
    "eval", "exec", "compile", "__import__", "importlib.import_module", "os.system",
    "os.popen", "os.exec", "pickle.load", "pickle.loads", "marshal.loads", "yaml.load",
    "np.load", "numpy.load", "pd.read_pickle", "pandas.read_pickle",
    "st.components.v1.html", "components.html",
}  # fmt: skip
UNSAFE_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "subprocess", "yaml"}


@pytest.mark.parametrize("path", ALL_SOURCES, ids=rel)
def test_no_eval_exec_pickle_or_shell(path):
    for node in ast.walk(tree(path)):
        assert not {m.split(".")[0] for m in imported(node)} & UNSAFE_MODULES, node.lineno
    assert not [name for _, name in calls(path) if name in UNSAFE_CALLS]


@pytest.mark.parametrize("path", APP_SOURCES, ids=rel)
def test_no_raw_html_from_user_text(path):
    """No unsafe_allow_html at all; st.html only with a constant of our own."""
    source = tree(path)
    for node in ast.walk(source):
        if isinstance(node, ast.keyword):
            assert node.arg != "unsafe_allow_html", f"line {node.value.lineno}"
    constants = {
        t.id
        for node in source.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id.isupper()
    }
    for node, name in calls(path):
        if name in ("st.html", "html"):
            (arg,) = node.args
            assert isinstance(arg, ast.Name) and arg.id in constants, f"line {node.lineno}"


# innerHTML in the chart component: only our own markup, never text from the data.
INNER_HTML = {
    "icon.innerHTML = (LEGEND_SHAPES[e.symbol] || LEGEND_SHAPES.circle)(e.color, outline);":
        "SVG shapes of our own; the colours come from ui.style (legend, THEMES)",
    'btn.innerHTML = `<svg viewBox="0 0 16 16" aria-hidden="true">${ICONS[icon]}</svg>`;':
        "the Play / Pause / Fit view icons, fixed SVG paths in ICONS; the label is set as text",
    "root.innerHTML = `": "the component's fixed skeleton, a template without placeholders",
}  # fmt: skip


def test_the_chart_component_writes_no_user_text_as_html():
    js = component_js()
    lines = [line.strip() for line in js.splitlines() if re.search(r"innerHTML|outerHTML", line)]
    assert sorted(lines) == sorted(INNER_HTML)
    assert "insertAdjacentHTML" not in js and "document.write" not in js and "eval(" not in js
    skeleton = js[js.index("root.innerHTML = `") :].split("`")[1]
    assert "${" not in skeleton
    # Text from the data (legend labels, the status line) is set as text, not as HTML.
    assert "label.textContent = e.label" in js


# Server-side writes: (file, function) -> why it is safe. Nothing a user sends names a file.
FILE_WRITES = {
    ("ui/plotly_asset.py", "ensure_plotly_js"): "copies the vendored plotly.js bundle "
    "(ui/vendor/) into static/, under fixed names",
}
WRITE_ATTRS = {
    "write_text", "write_bytes", "mkdir", "touch", "unlink", "rmdir", "rename", "symlink_to",
    "savetxt", "savez", "savez_compressed", "tofile", "to_pickle", "to_parquet", "to_excel",
    "to_feather", "to_hdf", "to_sql", "save", "write_json", "write_image", "write_html",
}  # fmt: skip
PATH_WRITERS = {"to_csv", "to_json"}  # a DataFrame's: they write a file when given a path
TEXT_ONLY = {"plotly.io.to_json", "pio.to_json"}  # return the JSON text, write nothing


def _writes(node: ast.Call, name: str) -> bool:
    last = name.split(".")[-1]
    if name.split(".")[0] in ("os", "shutil", "tempfile"):
        return True
    if last in WRITE_ATTRS:
        return True
    if last in PATH_WRITERS and name not in TEXT_ONLY:
        return bool(node.args) or any(k.arg in ("path_or_buf", "file") for k in node.keywords)
    if name == "open":
        mode = node.args[1] if len(node.args) > 1 else None
        mode = mode or next((k.value for k in node.keywords if k.arg == "mode"), None)
        text = "r" if mode is None else mode.value if isinstance(mode, ast.Constant) else "?"
        return not (isinstance(text, str) and set(text) <= set("rbt"))
    return False


def calls_by_function(module: ast.Module) -> list[tuple[ast.Call, str]]:
    """Every call with the name of the function it is in ("<module>" at the top level)."""
    found = []

    def visit(node, owner: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                found.append((child, owner))
            inner = child.name if isinstance(child, ast.FunctionDef) else owner
            visit(child, inner)

    visit(module, "<module>")
    return found


@pytest.mark.parametrize("path", ALL_SOURCES, ids=rel)
def test_no_file_is_written_from_user_input(path):
    found = [
        (owner, dotted(node.func), node.lineno)
        for node, owner in calls_by_function(tree(path))
        if _writes(node, dotted(node.func)) and (rel(path), owner) not in FILE_WRITES
    ]
    assert found == []


def test_the_write_check_catches_writes():
    sample = ast.parse(
        "open(p, 'w'); Path(p).write_text(s); df.to_csv('x.csv'); shutil.copy(a, b)\n"
        "open(p); open(p, 'rb'); df.to_csv(index=False)"
    )
    flagged = [
        (dotted(n.func), n.lineno)
        for n in ast.walk(sample)
        if isinstance(n, ast.Call) and _writes(n, dotted(n.func))
    ]
    assert sorted(flagged) == sorted(
        [("open", 1), ("Path().write_text", 1), ("df.to_csv", 1), ("shutil.copy", 1)]
    )


# ---------------------------------------------------------------- uploads and the server


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_uploads_are_capped_in_the_config_and_in_the_code():
    from ui import points_files

    limit_mb = config()["server"]["maxUploadSize"]
    assert 0 < limit_mb <= 1
    # The reader refuses more than MAX_FILE_BYTES whatever the server accepted.
    assert limit_mb * 1024 * 1024 >= pointsfile.MAX_FILE_BYTES
    assert 0 < points_files.MAX_FILE_MB <= limit_mb
    uploaders = [
        node for path in APP_SOURCES for node, name in calls(path) if name.endswith("file_uploader")
    ]
    assert uploaders  # the Data page's
    for node in uploaders:
        assert "max_upload_size" in {k.arg for k in node.keywords}


def test_the_reader_stops_at_the_size_limit():
    asked = []

    class Endless:
        """A file that never ends: reading it all would fill the memory."""

        def read(self, size=-1):
            asked.append(size)
            return b"x1,x2,y\n" + b"1,2,0\n" * (max(size, 0) // 6)

    with pytest.raises(pointsfile.PointsFileError, match="larger than 1 MB"):
        pointsfile.read_points_csv(Endless())
    assert asked == [pointsfile.MAX_FILE_BYTES + 1]


def test_the_server_keeps_its_protections():
    server = config().get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert "maxMessageSize" not in server or server["maxMessageSize"] <= 200


@pytest.mark.parametrize("path", CORE_SOURCES, ids=rel)
def test_the_core_never_imports_streamlit(path):
    for node in ast.walk(tree(path)):
        assert not any(m.startswith("streamlit") for m in imported(node))


# The pages' own imports, run at once by threads of a fresh interpreter: what the script
# threads of a fresh server do when its first visitors arrive together.
CONCURRENT_IMPORTS = """
import sys, threading, traceback
import streamlit  # as on a server: streamlit is loaded before any script thread starts
errors = []
def load(source):
    try:
        exec(source, {})
    except Exception:
        errors.append(traceback.format_exc())
sources = [open(path, encoding="utf-8").read() for path in sys.argv[1:]]
imports = ["\\n".join(l for l in s.splitlines() if l.startswith(("from ui", "import ui")))
           for s in sources]
threads = [threading.Thread(target=load, args=(i,)) for i in imports * 8]
[t.start() for t in threads]
[t.join() for t in threads]
print("".join(errors) or "ok")
"""


def test_pages_imported_at_once_by_fresh_threads_never_deadlock():
    """Regression: script threads of a fresh server entering perceptron and ui from two
    pages at once deadlocked on import locks ("cannot import name 'Scenario' from
    partially initialized module"); each page's first import is now the ui package."""
    import subprocess
    import sys

    pages = [str(ROOT / "app.py"), *map(str, sorted((ROOT / "pages").glob("*.py")))]
    for page_source in pages:
        lines = Path(page_source).read_text(encoding="utf-8").splitlines()
        first = next(line for line in lines if line.startswith(("from ui", "import ui")))
        assert first.startswith(("from ui import", "import ui")), (page_source, first)
    for _ in range(4):
        run = subprocess.run(
            [sys.executable, "-c", CONCURRENT_IMPORTS, *pages],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert run.stdout.strip() == "ok", run.stdout[-2000:]


def test_what_the_imports_leave_alive_is_not_walked_by_every_runs_garbage_collection():
    """Streamlit collects garbage after every script run (runner.postScriptGC). A full
    collection walked the ~120,000 objects the imports leave alive, twice per click: most of
    the server's CPU per click. ui freezes them, so the collection walks only what runs make."""
    import subprocess
    import sys

    probe = "import gc, ui; print(gc.get_freeze_count(), len(gc.get_objects()))"
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    frozen, walked = map(int, run.stdout.split())
    assert frozen > 50_000 and walked < frozen / 20, (frozen, walked)


KEY_BY_STRING = re.compile(
    r"""(session_state(\[|\.get\(|\.setdefault\(|\.pop\()|\bkey=)\s*f?["']"""
)


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: p.name)
def test_session_state_keys_are_named_only_in_ui_keys(path):
    """Every session-state and widget key is declared once, in ui/keys.py, with what it
    holds; the modules use its names, so a key cannot be misspelt in one place."""
    if path.name == "keys.py":
        return
    found = [line.strip() for line in path.read_text().splitlines() if KEY_BY_STRING.search(line)]
    assert not found, found


def test_the_key_check_catches_a_key_by_string():
    assert KEY_BY_STRING.search('st.session_state["scenario"]')
    assert KEY_BY_STRING.search('st.button("Go", key="go")')
    assert KEY_BY_STRING.search("st.session_state.get('tool', '0')")
    assert not KEY_BY_STRING.search("st.session_state[SCENARIO]")
