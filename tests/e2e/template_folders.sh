#!/bin/sh
# Every template, end to end: a complete folder made from `templates show
# --format json` passes check; removing any required file fails naming the
# material; staff materials name the missing person; init then check.
# (The work is in py/template_folders.py.)
. tests/e2e/lib.sh
LICPACK=$LICPACK LICPACK_WRAP=$LICPACK_WRAP MKFIXTURE=$MKFIXTURE python3 tests/e2e/py/template_folders.py
