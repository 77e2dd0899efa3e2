"""The SFTP fixtures, until tests/conftest.py registers tests.fixtures.sftp as a plugin."""

from tests.fixtures.sftp import embedded_sftp, openssh_sftp  # noqa: F401
