"""Errors that Cartable reports to people as one line, without a traceback."""


class CartableError(Exception):
    """A problem with what the user asked for: bad input, a bad URL, an unreachable server.

    The command line prints the message alone and exits with code 2.
    """


class NotFoundError(CartableError):
    """The thing named (a dataset URN, a run) is not in the catalogue."""
