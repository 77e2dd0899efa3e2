"""Batch file layouts as configuration: one engine reads and writes every file type.

Layouts are YAML files (config/layouts/, described in docs/layouts.md). This package
parses and writes files only: no SFTP, no database.
"""

from core.files.layout.errors import BadValue, FileRejected, LayoutError, RecordError
from core.files.layout.model import FILE_TYPES, Layout, Layouts
from core.files.layout.reader import FileCheck, check_file, read_records
from core.files.layout.scanner import Record
from core.files.layout.spec import load_layout, load_layouts
from core.files.layout.writer import WrittenFile, write_file

__all__ = [
    "FILE_TYPES",
    "BadValue",
    "FileCheck",
    "FileRejected",
    "Layout",
    "LayoutError",
    "Layouts",
    "Record",
    "RecordError",
    "WrittenFile",
    "check_file",
    "load_layout",
    "load_layouts",
    "read_records",
    "write_file",
]
