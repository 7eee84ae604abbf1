"""Command-line options made from the settings' declarations (`trnews.config`): each setting's
option is spelled, documented, constrained and shown with its `TRNEWS_*` variable and default as
its field says, and every command that takes settings receives them as one `Settings`.

An option's value is None unless the user gave it, on the command line or in its variable (which
click reads too, so that `--help` can show it and a bad value is refused naming it): `Settings`
supplies the defaults and validates everything once more.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar, Union, get_args, get_origin

import annotated_types
import typer
from pydantic import TypeAdapter

from trnews.config import Leaf, Settings, leaf, leaves, load_settings
from trnews.errors import TrnewsError

Result = TypeVar("Result")

InputsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Article files or folders (.txt, .md, .html, .jsonl, .warc.gz); none: only what the fetch from --sources brings.",
    show_default=False)]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Recompute everything, ignoring cached results.")]


def value_type(setting: Leaf) -> Any:
    """The setting's type without `None`: what a value given for it must be."""
    annotation = setting.field.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        [annotation] = [arg for arg in get_args(annotation) if arg is not type(None)]
    return annotation


def _bounds(setting: Leaf) -> dict[str, Any]:
    """The field's numeric constraints as the option's: closed bounds as typer's range (shown in
    --help), an open bound (`gt`, `lt`), which typer's ranges cannot say, as a parser that checks
    the field's own constraints."""
    constraints = [c for c in setting.field.metadata if isinstance(c, annotated_types.BaseMetadata)]
    if not all(isinstance(c, (annotated_types.Ge, annotated_types.Le)) for c in constraints):
        return {"parser": TypeAdapter(Annotated[value_type(setting), *constraints]).validate_python}
    bounds = {}
    for constraint in constraints:
        if isinstance(constraint, annotated_types.Ge):
            bounds["min"] = constraint.ge
        else:
            bounds["max"] = constraint.le
    return bounds


def setting_option(setting: Leaf, option_names: tuple[str, ...] = ()) -> Any:
    """The typer option of `setting`, spelled `option_names` when given, else as declared."""
    default = setting.field.default
    return typer.Option(*(option_names or setting.flag.option_names), help=setting.field.description,
                        envvar=setting.flag.env, show_envvar=True,
                        show_default=False if default is None else str(default), **_bounds(setting))


def _parameter(setting: Leaf, option_names: tuple[str, ...]) -> inspect.Parameter:
    return inspect.Parameter(setting.flag.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=Annotated[Optional[value_type(setting)], setting_option(setting, option_names)])


class NoInputs(TrnewsError):
    """Neither inputs nor a sources file to fetch from: nothing to run on."""

    exit_code = 2


def inputs_or_sources(inputs: list[Path] | None, settings: Settings) -> list[Path]:
    """The inputs given; `NoInputs` when there are none and no sources file to fetch from either."""
    if not inputs and settings.fetch.sources is None:
        raise NoInputs("give INPUTS (files or folders), or a sources file to fetch from (--sources FILE, "
                       "TRNEWS_SOURCES)")
    return list(inputs or [])


def settings_from(**given: object) -> Settings:
    """Defaults < TRNEWS_* environment < the options the user actually gave (flat names)."""
    return load_settings(**{name: value for name, value in given.items() if value is not None})


def takes_settings(*names: str, option_names: Mapping[str, tuple[str, ...]] | None = None,
                   ) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """A command that takes the settings `names` (every setting when none) as options, after its
    own parameters, and is called with them as `settings`. `option_names` respells some options
    where a command names them in its own terms (`cache prune --max-age-days`)."""
    chosen = [leaf(name) for name in names] if names else list(leaves())
    spellings = option_names or {}

    def decorate(command: Callable[..., Result]) -> Callable[..., Result]:
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "settings"]

        @functools.wraps(command)
        def with_settings(*args: Any, **kwargs: Any) -> Result:
            given = {setting.flag.name: kwargs.pop(setting.flag.name) for setting in chosen}
            return command(*args, settings=settings_from(**given), **kwargs)

        # typer reads a command's options from its signature.
        with_settings.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*own, *(_parameter(setting, spellings.get(setting.flag.name, ())) for setting in chosen)])
        return with_settings

    return decorate
