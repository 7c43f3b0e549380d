"""Warehouse settings: read from the environment once, secrets resolved, missing ones fail at once."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from pydantic import SecretStr

from shopware.warehouse.access import Team
from shopware.warehouse.settings import ConfigError, WarehouseSettings, load_config
from shopware.warehouse.sql import Dialect


def test_settings_come_from_shopware_warehouse_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_ENGINE", "redshift")
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_HOST", "cluster.example")
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_PASSWORD", "Admin-Secret1")
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_IAM_ROLE", "arn:aws:iam::123456789012:role/copy")
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_LOGINS", '{"ann": "finance"}')
    monkeypatch.setenv("SHOPWARE_WAREHOUSE_LOGIN_PASSWORDS", '{"ann": "Ann-Secret1"}')
    config = load_config()
    assert (config.engine, config.host, config.port) == (Dialect.REDSHIFT, "cluster.example", 5439)
    assert config.password.get_secret_value() == "Admin-Secret1"
    assert [(login.name, login.team) for login in config.logins] == [("ann", Team.FINANCE)]
    assert "Ann-Secret1" not in repr(config)


def test_missing_secrets_fail_fast_naming_all_of_them() -> None:
    settings = WarehouseSettings(engine=Dialect.REDSHIFT, logins={"ann": Team.SALES, "bob": Team.SUPPORT})
    with pytest.raises(ConfigError) as failure:
        load_config(settings)
    message = str(failure.value)
    assert "no admin password" in message
    assert "IAM_ROLE" in message
    assert "ann, bob" in message


@mock_aws
def test_passwords_can_come_from_secrets_manager() -> None:
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    admin = client.create_secret(
        Name="warehouse/admin", SecretString=json.dumps({"username": "admin", "password": "Admin-Secret1"})
    )["ARN"]
    logins = client.create_secret(Name="warehouse/logins", SecretString=json.dumps({"ann": "Ann-Secret1"}))[
        "ARN"
    ]
    settings = WarehouseSettings(
        password_secret_arn=admin, logins={"ann": Team.ANALYSTS}, login_passwords_secret_arn=logins
    )
    config = load_config(settings, secrets=client)
    assert config.password.get_secret_value() == "Admin-Secret1"
    assert config.logins[0].password.get_secret_value() == "Ann-Secret1"
    assert config.port == 5432


def test_a_password_is_given_one_way_only() -> None:
    settings = WarehouseSettings(password=SecretStr("x"), password_secret_arn="arn:aws:secretsmanager:x")
    with pytest.raises(ConfigError, match="not both"):
        load_config(settings, secrets=None)
