#!/usr/bin/env bash
# suite: packaging: the package packed once, installed into a fresh app per toolchain (tests/packaging/<tool>, tools pinned by its lock file), built with the real tool and run for real
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
out=$PWD/target/packaging
rm -rf "$out" && mkdir -p "$out"
npm pack --silent --pack-destination "$out" "$PWD/pkg" > /dev/null
tarball=$(ls "$out"/cloudbase-fn-*.tgz)
export CLOUDBASE_FN_TARBALL=$tarball

# One `npm ci` per app (the lock file pins every tool), then the tarball as a user installs it
# (not saved: the committed package.json and lock file stay the tools' only). Three at a time:
# npm's cache is safe to share, and the machine has two cores.
apps=(miniprogram uniapp next taro parcel wrangler node webpack vite rollup esbuild) # the longest installs first
install_app() {
  local app=$1 dir=tests/packaging/$1
  local t0=$SECONDS ci=ci
  # @tarojs/binding 4.2.1 names optional platform packages that were never published (darwin,
  # win32, linux-arm64), so its lock file cannot list them and `npm ci` refuses it; `npm install`
  # follows the same lock file and skips them, as it does for Taro's users.
  [ "$app" = taro ] && ci=install
  if ! (cd "$dir" && npm $ci --no-audit --no-fund --prefer-offline --loglevel=error \
      && npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error "$CLOUDBASE_FN_TARBALL") > "$out/install-$app.log" 2>&1; then
    echo "packaging: installing tests/packaging/$app failed:" >&2
    tail -30 "$out/install-$app.log" >&2
    return 1
  fi
  echo "packaging: installed $app in $((SECONDS - t0)) s"
}
export -f install_app
export out
printf '%s\n' "${apps[@]}" | xargs -P 3 -I{} bash -c 'install_app {}'
echo "packaging: apps installed in $((SECONDS - started)) s"

node --test --test-concurrency=2 tests/packaging/
echo "packaging: suite took $((SECONDS - started)) s"
