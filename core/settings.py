"""Typed, frozen configuration, loaded once at start and passed down.

`load_settings` is the only place that reads the configuration YAML and the environment:
`run.py` calls it with `os.environ` and hands the resulting `Settings` to everything else.
A mistake stops the program with a `ConfigError` naming the file, the key and what was
expected, so nothing runs on a half-understood configuration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_FILE = PROJECT_ROOT / "config" / "defaults.yaml"


class ConfigError(Exception):
    """A configuration mistake; the message names file, key and what was expected."""


@dataclass(frozen=True)
class SftpSettings:
    host: str
    port: int
    username: str
    known_hosts: Path
    private_key: Path | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class PartnerSettings:
    id: str
    sftp: SftpSettings
    download_dir: str
    upload_dir: str
    archive_dir: str
    after_download: Literal["move", "delete", "keep"] = "move"
    name: str = ""  # the key under `partners:` ("bpjs", "bank"), filled in by the loader


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    session_secret: str | None = field(default=None, repr=False)
    idle_timeout_minutes: int = 30
    https: bool = False  # served behind HTTPS: Secure cookies and HSTS


@dataclass(frozen=True)
class EmbeddedSftpSettings:
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 2222
    root: Path = PROJECT_ROOT / "sftp_drops"
    simulate: bool = True


@dataclass(frozen=True)
class JobSettings:
    cron: str
    enabled: bool = True


@dataclass(frozen=True)
class JobDefaults:
    retries: int = 3
    retry_delay_seconds: float = 60.0
    misfire_grace_hours: float = 6.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 25
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "santunan@localhost"
    starttls: bool = False


@dataclass(frozen=True)
class AlertSettings:
    email_to: tuple[str, ...] = ()
    smtp: SmtpSettings = SmtpSettings()


@dataclass(frozen=True)
class RosterSettings:  # contract section 8
    required: bool = False  # true: a claim of a worker not on the roster needs review (check 4)


@dataclass(frozen=True)
class StatementSettings:  # contract section 10
    file_pattern: str = "MT940_*.txt"  # fetched from the bank's download_dir by bank_pull
    grace_working_days: int = 2  # a SUCCESS with no debit after this is an exception


@dataclass(frozen=True)
class Settings:
    timezone: str
    database: str
    work_dir: Path
    organisation_id: str
    source_account: str
    approval_threshold: int
    web: WebSettings
    embedded_sftp: EmbeddedSftpSettings
    partners: Mapping[str, PartnerSettings]
    jobs: Mapping[str, JobSettings]
    layouts_dir: Path
    reference_file: Path
    job_defaults: JobDefaults = JobDefaults()
    alerts: AlertSettings = AlertSettings()
    overdue_results_hours: float = 48.0
    programme_start: dt.date = dt.date(2025, 7, 21)  # accidents before it are not covered
    reference_wage: int = 1_000_000  # Rupiah: the wage benefits are computed on
    non_working_days: tuple[dt.date, ...] = ()  # local days off besides weekends and national holidays
    roster: RosterSettings = RosterSettings()
    statement: StatementSettings = StatementSettings()
    # rapidfuzz token_set_ratio (0-100) under which the account holder's and the beneficiary's
    # names "look unrelated" and the claim page warns (contract section 7, bank details)
    holder_name_similarity: int = 60
    demo_claims: int = 2000
    seed_demo_data: bool = True
    sources: tuple[str, ...] = ()  # the files merged, for the admin's configuration view

    def partner(self, name: str) -> PartnerSettings:
        return self.partners[name]

    @property
    def is_sqlite(self) -> bool:
        return self.database.startswith("sqlite")


def load_settings(
    override: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    defaults: Path = DEFAULTS_FILE,
    *,
    partners: Collection[str] | None = None,
    jobs: Collection[str] | None = None,
) -> Settings:
    """Merge the override file over the defaults and build `Settings`.

    `override` falls back to `SANTUNAN_CONFIG` in `environ`. Raises `ConfigError`.
    `partners` and `jobs` are the ids of the job registry, which the command line passes
    at start (core does not import jobs): when given, every partner must be configured and
    `jobs:` must name exactly the registry's jobs.
    """
    environ = dict(environ or {})
    data = _read_yaml(defaults)
    origin = _origins(data, str(defaults))
    sources = [str(defaults)]
    override = override or environ.get("SANTUNAN_CONFIG")
    if override:
        path = Path(override)
        extra = _read_yaml(path)
        _merge(data, extra, origin, str(path))
        sources.append(str(path))
    if environ.get("DATABASE_URL"):
        data["database"] = environ["DATABASE_URL"]
        origin["database"] = "DATABASE_URL"
    data["sources"] = sources
    loader = _Loader(environ, origin)
    settings = loader.build(Settings, data, "")
    _check_semantics(settings, origin, partners, jobs)
    return settings


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}:{where} not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except ValueError as exc:  # a date-shaped value that is no date (2026-02-30): YAML's own parser raises it
        raise ConfigError(f"{path}: not a valid date ({exc}); write dates as YYYY-MM-DD") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return data


def _origins(data: Any, source: str, prefix: str = "") -> dict[str, str]:
    """Which file each dotted key came from, so errors can name it."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            dotted = f"{prefix}{key}"
            out[dotted] = source
            out.update(_origins(value, source, dotted + "."))
    return out


def _merge(base: dict[str, Any], extra: dict[str, Any], origin: dict[str, str], source: str,
           prefix: str = "") -> None:
    for key, value in extra.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            origin[dotted] = source
            _merge(base[key], value, origin, source, dotted + ".")
        else:
            base[key] = value
            origin.update(_origins({key: value}, source, prefix))


class _Loader:
    def __init__(self, environ: Mapping[str, str], origin: Mapping[str, str]):
        self.environ = environ
        self.origin = origin

    def fail(self, key: str, message: str) -> ConfigError:
        source = self.origin.get(key) or self._nearest_origin(key)
        return ConfigError(f"{source}: {key}: {message}")

    def _nearest_origin(self, key: str) -> str:
        while "." in key:
            key = key.rsplit(".", 1)[0]
            if key in self.origin:
                return self.origin[key]
        return "configuration"

    def build(self, cls: type, data: Any, key: str) -> Any:
        if not isinstance(data, dict):
            raise self.fail(key or "(top level)", f"expected a mapping, got {show_value(data)}")
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = [k for k in data if k not in fields or (k == "name" and cls is PartnerSettings)]
        if unknown:
            bad = str(unknown[0])
            hint = difflib.get_close_matches(bad, list(fields), n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.fail(join_key(key, bad), f"unknown key{tip}")
        kwargs = {}
        for name, f in fields.items():
            sub = join_key(key, name)
            if name in data:
                kwargs[name] = self.value(hints[name], data[name], sub)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise self.fail(sub, "missing (this key is required)")
        if cls is Settings:
            kwargs["partners"] = types.MappingProxyType(
                {n: dataclasses.replace(p, name=n) for n, p in kwargs["partners"].items()})
        return cls(**kwargs)

    def value(self, hint: Any, raw: Any, key: str) -> Any:
        if isinstance(raw, str) and raw.startswith("env:"):
            name = raw[4:]
            if name not in self.environ:
                raise self.fail(key, f"environment variable {name} is not set")
            raw = self.environ[name]
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if raw is None and type(None) in args:
                return None
            (hint,) = [a for a in args if a is not type(None)]
            return self.value(hint, raw, key)
        if origin is Literal:
            if raw not in args:
                choices = ", ".join(str(a) for a in args)
                raise self.fail(key, f"expected one of {choices}, got {show_value(raw)}")
            return raw
        if origin in (Mapping, dict):
            if not isinstance(raw, dict):
                raise self.fail(key, f"expected a mapping, got {show_value(raw)}")
            return types.MappingProxyType(
                {str(k): self.value(args[1], v, join_key(key, str(k))) for k, v in raw.items()})
        if origin is tuple:
            if not isinstance(raw, list):
                raise self.fail(key, f"expected a list, got {show_value(raw)}")
            return tuple(self.value(args[0], v, f"{key}[{i}]") for i, v in enumerate(raw))
        if dataclasses.is_dataclass(hint):
            return self.build(hint, raw, key)
        return self.scalar(hint, raw, key)

    def scalar(self, hint: Any, raw: Any, key: str) -> Any:
        if hint is bool:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lower() in {"true", "false", "yes", "no", "1", "0"}:
                return raw.lower() in {"true", "yes", "1"}
            raise self.fail(key, f"expected true or false, got {show_value(raw)}")
        if hint is int:
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().isdigit():
                return int(raw)
            raise self.fail(key, f"expected an integer, got {show_value(raw)}")
        if hint is float:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                return float(raw)
            try:
                return float(raw)
            except (TypeError, ValueError):
                raise self.fail(key, f"expected a number, got {show_value(raw)}") from None
        if hint is str:
            if isinstance(raw, (str, int)) and not isinstance(raw, bool):
                return str(raw)
            raise self.fail(key, f"expected text, got {show_value(raw)}")
        if hint is dt.date:
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw
            try:
                return dt.date.fromisoformat(raw)
            except (TypeError, ValueError):
                raise self.fail(key, f"expected a date YYYY-MM-DD, got {show_value(raw)}") from None
        if hint is Path:
            if not isinstance(raw, str) or not raw:
                raise self.fail(key, f"expected a path, got {show_value(raw)}")
            path = Path(raw)
            return path if path.is_absolute() else PROJECT_ROOT / path
        raise TypeError(f"no loader for {hint!r}")  # a programming error, not a config one


def _check_semantics(s: Settings, origin: Mapping[str, str], partners: Collection[str] | None,
                     known_jobs: Collection[str] | None) -> None:
    def fail(key: str, message: str) -> ConfigError:
        return _Loader({}, origin).fail(key, message)

    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(s.timezone)
    except Exception:
        raise fail("timezone", f"unknown time zone {show_value(s.timezone)} (e.g. Asia/Makassar)") from None
    if not s.database.startswith(("sqlite://", "postgresql://", "postgres://")):
        raise fail("database", f"expected sqlite:///PATH or postgresql://..., got {show_value(s.database)}")
    if not s.source_account.isdigit() or not 6 <= len(s.source_account) <= 20:
        raise fail("source_account", f"expected 6 to 20 digits, got {show_value(s.source_account)}")
    if s.approval_threshold <= 0:
        raise fail("approval_threshold", "expected a positive amount in Rupiah")
    if s.reference_wage <= 0:
        raise fail("reference_wage", "expected a positive amount in Rupiah")
    for name in partners or ():
        if name not in s.partners:
            raise fail("partners", f"missing partner {name!r}")
    for key, port in [("web.port", s.web.port), ("embedded_sftp.port", s.embedded_sftp.port)] + [
        (f"partners.{n}.sftp.port", p.sftp.port) for n, p in s.partners.items()
    ]:
        if not 1 <= port <= 65535:
            raise fail(key, f"expected a port from 1 to 65535, got {port}")
    for name, p in s.partners.items():
        if p.sftp.private_key is None and p.sftp.password is None:
            raise fail(f"partners.{name}.sftp", "set private_key or password (env:NAME)")
    for name, job in s.jobs.items():
        if known_jobs is not None and name not in known_jobs:
            raise fail(f"jobs.{name}", f"unknown job (known: {', '.join(sorted(known_jobs))})")
        if len(job.cron.split()) != 5:
            raise fail(f"jobs.{name}.cron",
                       f"expected 5 cron fields like \"0 1 * * *\", got {show_value(job.cron)}")
    for name in known_jobs or ():
        if name not in s.jobs:
            raise fail("jobs", f"missing job {name!r}")


def join_key(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def show_value(value: Any) -> str:
    """A configuration value as an error message quotes it (also used by the layout checker)."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return str(value)
