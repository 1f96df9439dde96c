"""The test provider's harness: without Node.js its tests skip locally, but in CI that is a failure."""
import pytest

from tests import oidc


def test_without_node_the_provider_tests_skip_locally_and_fail_in_ci(monkeypatch):
    monkeypatch.setattr(oidc.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"Node\.js is not installed"):
        next(oidc.run_provider())
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        next(oidc.run_provider())


def test_without_its_packages_the_provider_tests_fail_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(oidc, "NODE_DIR", tmp_path)  # no node_modules there
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm ci --prefix tests/oidc_provider"):
        next(oidc.run_provider())
