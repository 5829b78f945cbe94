#!/bin/sh
# Writes a placeholder source file for every build target that ./Cargo.toml
# names (the library, binaries, tests, benches, examples), so that the
# Dockerfile can compile all dependencies in a layer of their own before the
# real sources are copied in. Cargo refuses a manifest whose targets are
# missing, hence placeholders for the targets that are not built there too.
set -eu

awk '
function emit() {
    if (kind == "") return
    if (path == "") {
        if (kind == "lib") path = "src/lib.rs"
        else if (kind == "bin") path = "src/bin/" name ".rs"
        else if (kind == "test") path = "tests/" name ".rs"
        else if (kind == "bench") path = "benches/" name ".rs"
        else path = "examples/" name ".rs"
    }
    print kind, path
}
/^[ \t]*\[/ {
    emit()
    kind = ""; name = ""; path = ""
    if (match($0, /^[ \t]*\[\[?(lib|bin|test|bench|example)\]\]?[ \t]*$/)) {
        kind = $0
        gsub(/[][ \t]/, "", kind)
    }
    next
}
kind != "" && /^[ \t]*name[ \t]*=/ { split($0, quoted, "\""); name = quoted[2] }
kind != "" && /^[ \t]*path[ \t]*=/ { split($0, quoted, "\""); path = quoted[2] }
END { emit() }
' Cargo.toml | while read -r kind path; do
    mkdir -p "$(dirname "$path")"
    if [ "$kind" = lib ]; then
        : > "$path"
    else
        echo 'fn main() {}' > "$path"
    fi
done
