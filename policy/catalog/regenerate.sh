#!/bin/sh
# Regenerates policy/catalog/instance-types.json without npm/npx: plain node with ts-node's
# transpile-only hook from the repository's node_modules.
#   policy/catalog/regenerate.sh [describe-instance-types.json] [out.json]
# The default input is the shared moto-derived dump the committed file was made from.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
input=${1:-/work/shared/data/ec2-instance-types.json}
if [ "$#" -ge 2 ]; then
  exec node -r ts-node/register/transpile-only "$here/generate.ts" "$input" "$2"
fi
exec node -r ts-node/register/transpile-only "$here/generate.ts" "$input"
