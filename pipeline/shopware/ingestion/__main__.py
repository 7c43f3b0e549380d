"""`python -m shopware.ingestion ...`: the ingestion commands without the rest of the pipeline CLI."""

import typer

from shopware.ingestion.cli import register

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Shopware ingestion services.")


@app.callback()
def _main() -> None:
    """Shopware ingestion services (the same commands as `shopware-pipeline`)."""


register(app)

if __name__ == "__main__":
    app()
