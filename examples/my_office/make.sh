#!/usr/bin/env sh
# Remake the example office's data (events, caseload, staff, and the snapshot of
# its last day) from office.yaml. Run from the repository's root.
set -eu
rm -rf /tmp/officeq-example
.venv/bin/officeq run examples/my_office/office.yaml --events --snapshot-at 180 --out /tmp/officeq-example
for f in events.parquet caseload.csv staff.csv; do cp /tmp/officeq-example/$f examples/my_office/; done
rm -rf examples/my_office/snapshot && cp -r /tmp/officeq-example/snapshot examples/my_office/
