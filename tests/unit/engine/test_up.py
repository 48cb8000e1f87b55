"""dkr up's core (dkr.engine.up): a container that does not start is up's failure (exit 1), not run's 125-127,
and the error raised is a copy: run's own error keeps docker's code; the image it built is pruned."""

from __future__ import annotations

from typing import Any

import pytest

from dkr.engine import up as core
from dkr.errors import CommandNotFound, ExitCode, PortInUse, RunFailure
from dkr.models.build import BuildResult
from dkr.models.run import ImageInfo
from dkr.options.up import up_request


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(PortInUse("127.0.0.1:8080", by_container=True), id="port-125"),
        pytest.param(CommandNotFound("httpd", in_path=True), id="command-127"),
    ],
)
def test_a_container_that_does_not_start_is_ups_failure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, failure: RunFailure
) -> None:
    docker_code = failure.exit_code

    def run_detached(*_a: Any, **_kw: Any) -> Any:
        raise failure

    monkeypatch.setattr(core, "_holder", lambda *_a: None)
    monkeypatch.setattr(core, "build", lambda *_a: BuildResult("sha256:" + "1" * 64, (), (), 1, 0.1))
    monkeypatch.setattr(core, "ensure_image", lambda *_a: ImageInfo("sha256:" + "1" * 64, "app"))
    monkeypatch.setattr(core, "run_detached", run_detached)
    pruned: list[str] = []
    monkeypatch.setattr(core, "_prune", lambda _engine, image: pruned.append(image))
    request = up_request(str(tmp_path), cwd=str(tmp_path), environ={}, name="app")
    with pytest.raises(RunFailure) as info:
        core.up(
            None,  # type: ignore[arg-type]  # every Engine call is replaced above
            request,
            on_event=lambda _e: None,
            on_built=lambda _b: None,
            notify=lambda _l: None,
            on_killed=lambda _n, _t: None,
        )
    assert type(info.value) is type(failure)
    assert info.value.exit_code == ExitCode.FAILURE
    assert failure.exit_code == docker_code  # run's error itself is unchanged
    assert str(info.value) == str(failure)
    # the image this up built will not run: it goes if nothing else names it (a lost race leaves none)
    assert pruned == ["sha256:" + "1" * 64]
