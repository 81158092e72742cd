"""User-facing input errors: one clear message naming the file, the field and what is allowed."""

from __future__ import annotations

import errno


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


# errno values that are the machine's state rather than the user's input: exit code 1, not 2
_ENVIRONMENT = {"ENOSPC": "the disk is full: free some space, or write to another folder with --out",
                "EDQUOT": "the disk quota is used up: free some space, or write to another folder with --out",
                "EIO": "the disk reported an input/output error: check it, or write to another folder with --out",
                "ENOMEM": "out of memory: make the job smaller or close other programs"}
_INPUT = {"EACCES": "permission denied: choose a folder you can write (--out)",
          "EPERM": "not permitted: choose a folder you can write (--out)",
          "EROFS": "on a read-only file system: choose another folder (--out)",
          "ENOTDIR": "a part of this path is a file, not a folder: choose another path (--out)",
          "EISDIR": "is a folder where a file was expected",
          "ENAMETOOLONG": "the name is too long: choose a shorter path",
          "ENOENT": "not found, or cannot be created there: check the path (--out)",
          "EEXIST": "already exists"}


def describe_os_error(err: OSError) -> tuple[str, int]:
    """One line for a failed file operation (naming the file and what to do) and the exit code: 1 for the
    machine's state (a full disk), 2 for a path the user gave."""
    name = errno.errorcode.get(err.errno or 0, "")
    hint = _ENVIRONMENT.get(name) or _INPUT.get(name) or (err.strerror or str(err))
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{hint}", 1 if name in _ENVIRONMENT else 2
