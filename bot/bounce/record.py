"""Plain records for the bounce parser: dataclass-like, without importing `dataclasses`.

`dataclasses` pulls in `inspect` (and `ast`, `dis`, `tokenize` …) and generates code for every
class: together about 8 ms of every `smtpbot parse` run, a tenth of a batch of 100 messages.
A record declares its fields as annotated class attributes with their defaults, in order, as
a dataclass would; `Factory(list)` gives each instance a fresh mutable default.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any, ClassVar


_REQUIRED = object()


class Factory:
    """A default made fresh for every instance (like `field(default_factory=…)`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class Record:
    """Keyword or positional construction, equality, repr, `to_dict` and `replace`."""

    _fields: ClassVar[tuple[tuple[str, Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = []
        # Not inspect.get_annotations: importing inspect is the cost this module avoids.
        for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063
            if not name.startswith("_"):
                fields.append((name, cls.__dict__.get(name, _REQUIRED)))
        cls._fields = tuple(fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes at most {len(fields)} arguments")
        for index, (name, default) in enumerate(fields):
            if index < len(args):
                value = args[index]
            elif name in kwargs:
                value = kwargs.pop(name)
            elif default is _REQUIRED:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
            elif isinstance(default, Factory):
                value = default.make()
            else:
                value = default
            self.__dict__[name] = value
        if kwargs:
            raise TypeError(f"{type(self).__name__} has no field {sorted(kwargs)[0]!r}")

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict; records, lists and tuples inside are converted too."""
        return {name: _plain(self.__dict__[name]) for name, _ in self._fields}

    def replace(self, **changes: Any) -> Any:
        values = {name: self.__dict__[name] for name, _ in self._fields}
        values.update(changes)
        return type(self)(**values)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(self.__dict__[n] == other.__dict__[n] for n, _ in self._fields)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a non-frozen dataclass

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={self.__dict__[n]!r}" for n, _ in self._fields)
        return f"{type(self).__name__}({inner})"


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
