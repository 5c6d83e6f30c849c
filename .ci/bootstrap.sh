#!/bin/sh
# Runs a command with Node >= 22.12 and the pinned pnpm on PATH, installing either into
# .tools/ (inside the project, never the system) when missing, and the workspace's packages
# when node_modules is missing or older than the lockfile. Usage: sh .ci/bootstrap.sh CMD [ARGS]
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"

# npm reads its global config from <prefix>/etc/npmrc, so installing with --prefix would drop the
# machine's settings (a CA file, a registry mirror); keep the machine's global config explicitly.
npm_globalconfig=$(npm config get globalconfig 2>/dev/null || true)
npm_install() {
  npm install --global ${npm_globalconfig:+--globalconfig "$npm_globalconfig"} --no-fund --no-audit --loglevel=error "$@" >&2
}

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  if [ ! -x "$tools/node/bin/node" ]; then
    echo "waymark: Node $(node --version 2>/dev/null || echo '(none)') is older than 22.12; fetching Node 24 into .tools/node (once)" >&2
    npm_install --prefix "$tools/node" node@24
  fi
  PATH="$tools/node/bin:$PATH"
  export PATH
fi

pnpm_version=$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$root/package.json")
if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  if [ "$("$tools/pnpm/bin/pnpm" --version 2>/dev/null)" != "$pnpm_version" ]; then
    echo "waymark: fetching pnpm $pnpm_version into .tools/pnpm (once)" >&2
    npm_install --prefix "$tools/pnpm" "pnpm@$pnpm_version"
  fi
  PATH="$tools/pnpm/bin:$PATH"
  export PATH
fi

cd "$root"
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  echo "waymark: installing packages" >&2
  pnpm install --frozen-lockfile >&2
fi
PATH="$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
