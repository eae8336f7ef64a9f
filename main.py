"""secmodel: `python main.py [group=option ...]`. See README.md; `python main.py --help` lists the groups."""

from secmodel.cli import hydra_main

if __name__ == "__main__":
    hydra_main()
