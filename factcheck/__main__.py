"""The ``factcheck`` command's entry point, also run by ``python -m factcheck``."""

import gc


def main() -> None:
    """Run the command line (``factcheck.cli``)."""
    # Importing the command and the stages it calls makes some twenty-five
    # thousand objects the collector tracks (modules, classes, functions),
    # and they live as long as the process: its passes over them find
    # nothing. They are frozen instead, never to be walked again.
    gc.disable()
    try:
        from factcheck import cli
    finally:
        gc.freeze()
        gc.enable()
    cli.main()


if __name__ == "__main__":
    main()
