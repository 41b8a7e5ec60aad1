#!/usr/bin/env bash
# Makes what the Debian package installs beside the binary, with the binary itself (so they
# come from the same clap definitions as its --help): every command's manual page and the
# completion scripts. Usage: scripts/package-assets.sh [BINARY] [OUT_DIR]
set -euo pipefail
bin=${1:-target/release/collectmaxx}
out=${2:-target/assets}
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
"$bin" man --out-dir "$out/man"
"$bin" completions bash >"$out/completions/collectmaxx.bash"
"$bin" completions zsh >"$out/completions/_collectmaxx"
"$bin" completions fish >"$out/completions/collectmaxx.fish"
echo "$(ls "$out/man" | wc -l) manual pages and 3 completion scripts in $out"
