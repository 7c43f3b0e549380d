"""Who reads what: one group per team, granted read access to its own mart only.

Analysts and operations also read the cleaned (silver) tables; finance is read by the finance team
alone (kpis.md, "Access"). Groups own no data and cannot log in: people and services log in as
*logins*, each a member of exactly one team group, created by `create_login` with a password that
comes from settings or Secrets Manager, never from code.

The statements are the same on both engines (PostgreSQL accepts `CREATE GROUP`, `TO GROUP`,
`IN GROUP` and the `pg_group`/`pg_user` views), so only the SQL text generation lives here.
"""

from __future__ import annotations

from enum import StrEnum

from shopware.warehouse.catalog import TEAM_MARTS, Mart
from shopware.warehouse.sql import ident, literal


class Team(StrEnum):
    """The reader groups."""

    SALES = "sales"
    MARKETING = "marketing"
    OPERATIONS = "operations"
    SUPPORT = "support"
    FINANCE = "finance"
    ANALYSTS = "analysts"


READS: dict[Team, tuple[Mart, ...]] = {
    Team.SALES: (Mart.SALES,),
    Team.MARKETING: (Mart.MARKETING,),
    Team.OPERATIONS: (Mart.OPERATIONS, Mart.SILVER),
    Team.SUPPORT: (Mart.SUPPORT,),
    Team.FINANCE: (Mart.FINANCE,),
    Team.ANALYSTS: (Mart.SILVER,),
}
"""The marts each team's group may read; nothing else is granted to anyone."""


def group_name(team: Team) -> str:
    """The team's group (a NOLOGIN role on PostgreSQL), prefixed so it never clashes with a login."""
    return f"team_{team.value}"


GROUP_EXISTS_SQL = "SELECT 1 FROM pg_group WHERE groname = %s"
LOGIN_EXISTS_SQL = "SELECT 1 FROM pg_user WHERE usename = %s"


def create_group_sql(team: Team) -> str:
    """Create the team's group (there is no IF NOT EXISTS: check `GROUP_EXISTS_SQL` first)."""
    return f"CREATE GROUP {ident(group_name(team))}"


def lock_schema_sql(mart: Mart) -> str:
    """Take whatever default access PUBLIC has to a mart: only explicit grants count."""
    return f"REVOKE ALL ON SCHEMA {ident(mart.value)} FROM PUBLIC"


def grant_sql(team: Team) -> list[str]:
    """Read access for the team's group to its marts: existing tables and tables created later."""
    group = ident(group_name(team))
    statements: list[str] = []
    for mart in READS[team]:
        schema = ident(mart.value)
        statements += [
            f"GRANT USAGE ON SCHEMA {schema} TO GROUP {group}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO GROUP {group}",
            # Tables the admin creates in this schema later are readable without another grant.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO GROUP {group}",
        ]
    return statements


def access_sql() -> list[str]:
    """Every statement of the access model, after the groups exist; safe to run again."""
    statements = [lock_schema_sql(mart) for mart in (*TEAM_MARTS, Mart.SILVER)]
    for team in Team:
        statements += grant_sql(team)
    return statements


def create_login_sql(login: str, team: Team, password: str) -> str:
    """A new login, member of the team's group. Contains the password: never log it."""
    return f"CREATE USER {ident(login)} PASSWORD {literal(password)} IN GROUP {ident(group_name(team))}"


def update_login_sql(login: str, team: Team, password: str) -> list[str]:
    """Reset an existing login's password and make sure it is in the team's group."""
    return [
        f"ALTER USER {ident(login)} PASSWORD {literal(password)}",
        f"ALTER GROUP {ident(group_name(team))} ADD USER {ident(login)}",
    ]
