"""User-facing input errors: one clear message naming the file, the field and what is allowed."""

from __future__ import annotations


class UserInputError(Exception):
    """Bad input from the user. The CLI prints `str(err)` and exits with code 2, no traceback."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.file, self.field, self.message = file, field, message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.file, self.field) if p)
        return f"{where}: {self.message}" if where else self.message

    def within(self, file: str, field: str) -> UserInputError:
        """The same error reported inside `file` at `field`; an error about another file (a scenario an
        override names) keeps that file's name in the message."""
        if self.field:
            return UserInputError(self.message, file=file, field=f"{field}: {self.field}")
        other = f"{self.file}: " if self.file and self.file != file else ""
        return UserInputError(other + self.message, file=file, field=field)
