"""`python -m audit`: the same as the `citeaudit` command."""

from audit.cli import console

console()
