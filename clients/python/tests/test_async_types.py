"""The asyncio client's types (letta_identity_client/_async_types.py) are what
tools/async_types.py generates from the resources: every method, with the same parameters."""

import inspect
import subprocess
import sys
import typing
from pathlib import Path

from letta_identity_client import _async_types, resources

CLIENT = Path(__file__).resolve().parents[1]


def test_the_async_types_are_generated_from_the_resources() -> None:
    generated = subprocess.run([sys.executable, str(CLIENT / "tools" / "async_types.py")],
                               capture_output=True, text=True, check=True).stdout
    assert generated == (CLIENT / "letta_identity_client" / "_async_types.py").read_text(), \
        "run: python tools/async_types.py > letta_identity_client/_async_types.py"


def test_each_async_method_mirrors_its_sync_one() -> None:
    for name, sync in vars(resources).items():
        if not (inspect.isclass(sync) and issubclass(sync, resources._Resource)) or name.startswith("_"):
            continue
        twin = getattr(_async_types, f"Async{name}")
        for method in (m for m in dir(sync) if not m.startswith("_")):
            mirrored = getattr(twin, method)
            assert inspect.iscoroutinefunction(mirrored)
            assert list(inspect.signature(mirrored).parameters) == list(inspect.signature(getattr(sync, method)).parameters)
            typing.get_type_hints(mirrored, vars(_async_types))  # every name it uses resolves
