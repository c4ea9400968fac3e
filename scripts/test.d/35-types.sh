# suite: TypeScript declarations (tsc --noEmit on a usage file against the installed package)
set -euo pipefail
root=$(pwd)
dir="$CLOUDBASE_FN_CONSUMER/types-check"
mkdir -p "$dir"
cp tests/types/usage.ts tests/types/tsconfig.json "$dir/"
ln -sfn "$CLOUDBASE_FN_CONSUMER/node_modules" "$dir/node_modules"
printf '{"type":"module"}\n' > "$dir/package.json"
"$root/node_modules/.bin/tsc" -p "$dir/tsconfig.json"
echo "types: 1 passed, 0 failed"
