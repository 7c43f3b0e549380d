"""Warehouse settings, from `SHOPWARE_WAREHOUSE_*` environment variables, read once, secrets resolved.

`load_config()` is called once at start-up: it reads the environment, fetches the Secrets Manager
secrets it names, and fails at once, naming every missing item, rather than at the first query.
Passwords stay `SecretStr` throughout, so they never show in a repr, a log line or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopware.warehouse.access import Team
from shopware.warehouse.sql import Dialect

DEFAULT_PORTS = {Dialect.REDSHIFT: 5439, Dialect.POSTGRES: 5432}


class ConfigError(RuntimeError):
    """The warehouse settings are incomplete or inconsistent."""


class SecretsClient(Protocol):
    """The one Secrets Manager call used here (a boto3 `secretsmanager` client has it)."""

    def get_secret_value(self, *, SecretId: str) -> Mapping[str, Any]: ...


class WarehouseSettings(BaseSettings):
    """Where the warehouse is, who the loader connects as, and which team logins to provision."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_WAREHOUSE_", extra="ignore")

    engine: Dialect = Field(default=Dialect.POSTGRES, description="`redshift` or `postgres`.")
    host: str = Field(default="127.0.0.1")
    port: int | None = Field(default=None, description="Defaults to 5439 on Redshift, 5432 on PostgreSQL.")
    database: str = Field(default="shopware")
    user: str = Field(default="shopware_admin", description="The admin/loader login.")
    password: SecretStr | None = Field(default=None, description="The admin password, or ...")
    password_secret_arn: str | None = Field(
        default=None, description="... a Secrets Manager secret: plain text or JSON with `password`."
    )
    iam_role: str | None = Field(default=None, description="IAM role ARN for COPY from S3 (Redshift).")
    aws_region: str | None = Field(default=None, description="Region of Secrets Manager; boto3's default.")
    connect_timeout_s: int = Field(default=10, ge=1)
    logins: dict[str, Team] = Field(
        default_factory=dict, description='Team logins to provision, JSON: {"alice": "sales"}.'
    )
    login_passwords: dict[str, SecretStr] = Field(
        default_factory=dict, description='Their passwords, JSON: {"alice": "..."}, or ...'
    )
    login_passwords_secret_arn: str | None = Field(
        default=None, description="... a Secrets Manager secret holding that JSON object."
    )


@dataclass(frozen=True)
class Login:
    """A team login with its resolved password."""

    name: str
    team: Team
    password: SecretStr


@dataclass(frozen=True)
class WarehouseConfig:
    """Resolved settings: everything needed to connect, load and provision, secrets included."""

    engine: Dialect
    host: str
    port: int
    database: str
    user: str
    password: SecretStr
    iam_role: str | None
    connect_timeout_s: int
    logins: tuple[Login, ...] = field(default=())


def _secret_string(client: SecretsClient, arn: str) -> str:
    return str(client.get_secret_value(SecretId=arn)["SecretString"])


def _admin_password(settings: WarehouseSettings, secrets: SecretsClient | None) -> SecretStr | None:
    if settings.password_secret_arn is None or secrets is None:
        return settings.password
    text = _secret_string(secrets, settings.password_secret_arn)
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return SecretStr(text)
    # Secrets that AWS manages for Redshift and RDS are JSON objects with a `password` key.
    if isinstance(document, dict) and isinstance(document.get("password"), str):
        return SecretStr(document["password"])
    return SecretStr(text)


def _login_passwords(settings: WarehouseSettings, secrets: SecretsClient | None) -> dict[str, SecretStr]:
    passwords = dict(settings.login_passwords)
    if settings.login_passwords_secret_arn is not None and secrets is not None:
        document = json.loads(_secret_string(secrets, settings.login_passwords_secret_arn))
        if not isinstance(document, dict):
            raise ConfigError("the login passwords secret must be a JSON object {login: password}")
        passwords.update({str(k): SecretStr(str(v)) for k, v in document.items()})
    return passwords


def _default_secrets_client(region: str | None) -> SecretsClient:
    import boto3

    client: SecretsClient = boto3.client("secretsmanager", region_name=region)
    return client


def load_config(
    settings: WarehouseSettings | None = None, secrets: SecretsClient | None = None
) -> WarehouseConfig:
    """Read the settings (from the environment unless given), resolve secrets, check completeness."""
    settings = settings if settings is not None else WarehouseSettings()
    if settings.password is not None and settings.password_secret_arn is not None:
        raise ConfigError(
            "set SHOPWARE_WAREHOUSE_PASSWORD or SHOPWARE_WAREHOUSE_PASSWORD_SECRET_ARN, not both"
        )
    problems = []
    needs_secrets = (
        settings.password_secret_arn is not None or settings.login_passwords_secret_arn is not None
    )
    if secrets is None and needs_secrets:
        secrets = _default_secrets_client(settings.aws_region)
    password = _admin_password(settings, secrets)
    if password is None:
        problems.append("no admin password: set SHOPWARE_WAREHOUSE_PASSWORD or ..._PASSWORD_SECRET_ARN")
    if settings.engine is Dialect.REDSHIFT and not settings.iam_role:
        problems.append("Redshift loads need SHOPWARE_WAREHOUSE_IAM_ROLE (the role COPY reads S3 with)")
    passwords = _login_passwords(settings, secrets)
    missing = sorted(set(settings.logins) - set(passwords))
    if missing:
        problems.append(f"no password for team logins: {', '.join(missing)}")
    if problems or password is None:
        raise ConfigError("warehouse settings: " + "; ".join(problems))
    return WarehouseConfig(
        engine=settings.engine,
        host=settings.host,
        port=settings.port if settings.port is not None else DEFAULT_PORTS[settings.engine],
        database=settings.database,
        user=settings.user,
        password=password,
        iam_role=settings.iam_role,
        connect_timeout_s=settings.connect_timeout_s,
        logins=tuple(Login(name, team, passwords[name]) for name, team in sorted(settings.logins.items())),
    )
