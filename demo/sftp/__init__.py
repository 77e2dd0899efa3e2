"""The embedded SFTP server that plays the partners on this machine (demo and tests only)."""
