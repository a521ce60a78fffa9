"""Getting a pinned version without running the pipeline: real DVC remotes, tags and readers.

A temp "site" holds a built, tagged repository (v0.1.0, then v0.2.0 built without the older
upstream snapshot), its default local remote beside it, and fresh clones. One test pushes to
and pulls from a real S3 endpoint (moto's server on 127.0.0.1). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
import yaml

import memwall
from memwall.tools.changelog import compare, to_long
from support import BIN, run

pytestmark = [pytest.mark.slow, pytest.mark.rebuilds]

GIT_ID = ["-c", "user.email=t@example.invalid", "-c", "user.name=t"]


def artifacts(repo: Path) -> dict[str, bytes]:
    """Bytes of every published file (the outs of the export and metadata stages)."""
    lock = yaml.safe_load((repo / "dvc.lock").read_text(encoding="utf-8"))
    paths = [o["path"] for s in ("export", "metadata") for o in lock["stages"][s]["outs"]]
    return {p: (repo / p).read_bytes() for p in sorted(paths)}


def commit_all(repo: Path, message: str) -> None:
    run(["git", *GIT_ID, "add", "-A"], repo)
    run(["git", *GIT_ID, "commit", "-qm", message, "--allow-empty"], repo)


def release(repo: Path) -> list[str]:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return run([sys.executable, "-m", "memwall.tools.release"], repo, env=env).stdout.split()


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_repo) -> Path:
    """site/repo: v0.1.0 and v0.2.0 built, tagged and pushed to site/memwall-dvc-remote.
    v0.1.0 is the session's build (copied), v0.2.0 a rebuild after a change of sources."""
    root = tmp_path_factory.mktemp("site")
    repo = root / "repo"
    shutil.copytree(built_repo, repo, symlinks=True)
    assert "up to date" in run(["dvc", "repro"], repo).stdout
    (repo / "releases.yaml").unlink()  # the copy's history lacks the recorded commits
    commit_all(repo, "build v0.1.0")
    declared = yaml.safe_load((repo / "dvc.yaml").read_text())["artifacts"]
    assert release(repo) == ["v0.1.0", *sorted(f"{name}@v0.1.0" for name in declared)]
    (root / "v0.1.0").mkdir()
    for path, data in artifacts(repo).items():
        (root / "v0.1.0" / Path(path).name).write_bytes(data)
    run(["dvc", "push"], repo)
    # v0.2.0: the same pipeline without upstream version 11 (models only it has disappear).
    sources = yaml.safe_load((repo / "raw/sources.yaml").read_text(encoding="utf-8"))
    # drop upstream versions 1-11: the models only they state (ResNet50...) leave the tables
    early = {f"upstream-v{n:02d}" for n in range(1, 12)}
    sources["sources"] = [s for s in sources["sources"] if s["id"] not in early]
    (repo / "raw/sources.yaml").write_text(yaml.safe_dump(sources, sort_keys=False))
    params = (repo / "params.yaml").read_text(encoding="utf-8")
    (repo / "params.yaml").write_text(params.replace("version: 0.1.0", "version: 0.2.0"))
    run(["dvc", "repro"], repo)
    commit_all(repo, "build v0.2.0")
    assert release(repo)[0] == "v0.2.0"
    run(["dvc", "push"], repo)
    return root


def fresh_clone(site: Path, name: str, rev: str = "main") -> Path:
    """A git clone beside the repo: no DVC cache, the default remote at ../memwall-dvc-remote."""
    dest = site / name
    run(["git", "clone", "-q", "--branch", rev, str(site / "repo"), str(dest)], site)
    assert not (dest / ".dvc" / "cache").exists()
    return dest


def test_default_remote_is_a_local_directory_needing_no_credentials(site):
    remotes = run(["dvc", "remote", "list"], site / "repo").stdout
    assert "(default)" in remotes
    assert (site / "memwall-dvc-remote" / "files" / "md5").is_dir()


def test_dvc_pull_into_a_fresh_clone_gives_the_built_bytes(site):
    clone = fresh_clone(site, "clone-pull", rev="v0.1.0")
    run(["dvc", "pull"], clone)
    built = {Path(p).name: (site / "v0.1.0" / Path(p).name).read_bytes() for p in artifacts(clone)}
    assert {Path(p).name: b for p, b in artifacts(clone).items()} == built


def test_dvc_get_of_one_artifact_at_a_tag(site, tmp_path):
    clone = fresh_clone(site, "clone-get")
    out = tmp_path / "models.parquet"
    cmd = ["dvc", "get", str(clone), "processed/models.parquet", "--rev", "v0.1.0", "-o", str(out)]
    run(cmd, tmp_path)
    assert out.read_bytes() == (site / "v0.1.0" / "models.parquet").read_bytes()


def test_dvc_artifacts_get_finds_the_release_tags(site, tmp_path):
    out = tmp_path / "memory.parquet"
    cmd = ["dvc", "artifacts", "get", str(site / "repo"), "memory", "--rev", "v0.1.0"]
    run([*cmd, "-o", str(out)], tmp_path)
    assert out.read_bytes() == (site / "v0.1.0" / "memory.parquet").read_bytes()


def test_dvc_api_reads_each_version_at_its_tag(site):
    import dvc.api

    clone = str(fresh_clone(site, "clone-api"))
    for version in ("0.1.0", "0.2.0"):
        text = dvc.api.read("processed/datapackage.json", repo=clone, rev=f"v{version}")
        assert json.loads(text)["version"] == version
    with dvc.api.open("processed/models.parquet", repo=clone, rev="v0.1.0", mode="rb") as fh:
        assert fh.read() == (site / "v0.1.0" / "models.parquet").read_bytes()


def test_load_at_a_version_returns_that_versions_table(site):
    clone = str(fresh_clone(site, "clone-load"))
    v1 = memwall.load("models", version="v0.1.0", repo=clone)
    v2 = memwall.load("models", version="v0.2.0", repo=clone)
    assert v1.equals(pl.read_parquet(site / "v0.1.0" / "models.parquet"))
    assert "resnet50" in set(v1["model_id"]) and "resnet50" not in set(v2["model_id"])


def test_provenance_at_a_version_points_at_the_raw_line_upstream(site):
    row = memwall.provenance("resnet50", "top1_accuracy", version="v0.1.0", repo=str(site / "repo"))
    assert (row["value"], row["raw"], row["source_id"]) == ("76.5", "76.50", "upstream-v11")
    assert row["url"].endswith(f"/README.md#L{row['line']}")


def test_missing_tag_is_a_short_error_naming_the_revision(site):
    with pytest.raises(memwall.DatasetError, match=r"v9\.9\.9.*releases\.yaml"):
        memwall.load("models", version="v9.9.9", repo=str(site / "repo"))


def test_changelog_between_two_tags_lists_the_removed_models(site):
    repo = str(site / "repo")
    tables = {
        v: to_long({t: memwall.load(t, v, repo) for t in ("models", "memory")})
        for v in ("v0.1.0", "v0.2.0")
    }
    changes = compare(tables["v0.1.0"], tables["v0.2.0"])
    assert "resnet50" in set(changes.removed["model_id"])
    assert changes.added.is_empty()
    out = run(
        [sys.executable, "-m", "memwall.tools.changelog", "--old", "v0.1.0", "--new", "v0.2.0"],
        site / "repo",
    ).stdout
    assert out.startswith("## v0.2.0\n") and "`resnet50` (ResNet50)" in out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_endpoint(tmp_path):
    """A moto S3 server on 127.0.0.1 with an empty bucket; yields (endpoint, env)."""
    import boto3

    port = free_port()
    log = (tmp_path / "moto.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"moto_server did not start: {proc.poll()}") from None
                time.sleep(0.1)
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        s3.create_bucket(Bucket="memwall-mirror")
        yield endpoint, env, s3
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def add_s3_remote(repo: Path, endpoint: str) -> None:
    """The README's S3 mirror set-up, kept in the clone's untracked config.local."""
    run(["dvc", "remote", "add", "--local", "mirror", "s3://memwall-mirror/dvc"], repo)
    run(["dvc", "remote", "modify", "--local", "mirror", "endpointurl", endpoint], repo)


def test_push_to_s3_then_pull_into_a_fresh_clone_gives_identical_bytes(site, s3_endpoint, tmp_path):
    endpoint, env, s3 = s3_endpoint
    publisher = fresh_clone(site, "clone-s3-publisher", rev="v0.1.0")
    run(["dvc", "pull"], publisher)
    add_s3_remote(publisher, endpoint)
    run(["dvc", "push", "-r", "mirror"], publisher, env=env)
    assert s3.list_objects_v2(Bucket="memwall-mirror")["KeyCount"] >= len(artifacts(publisher))
    # A user far away: no sibling local remote, only the S3 mirror.
    user = tmp_path / "elsewhere" / "memwall"
    run(["git", "clone", "-q", "--branch", "v0.1.0", str(site / "repo"), str(user)], tmp_path)
    add_s3_remote(user, endpoint)
    run(["dvc", "pull", "-r", "mirror"], user, env=env)
    assert artifacts(user) == artifacts(publisher)
    assert (
        artifacts(user)["processed/models.parquet"] == (site / "v0.1.0/models.parquet").read_bytes()
    )
