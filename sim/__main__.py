"""`python -m sim` runs the command line."""

from sim.cli import main

if __name__ == "__main__":
    main()
