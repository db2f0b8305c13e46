# shellcheck shell=bash
# Finds a JDK whose feature version is at least $1 (default 25) and prints its home.
# Sourced by ./mvnw and ./gpuemu. Search order: JAVA_HOME, /usr/lib/jvm, /opt/java,
# ~/.sdkman/candidates/java, ~/.jdks. A JDK qualifies when its `release` file says
# JAVA_VERSION="N..." with N >= the wanted version and it has bin/java.
gpuemu_jdk_feature() {
  local rel="$1/release" v
  [ -r "$rel" ] && [ -x "$1/bin/java" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  [ -n "$v" ] && printf '%s\n' "$v"
}
gpuemu_find_jdk() {
  local want="${1:-25}" c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v=$(gpuemu_jdk_feature "$c") || continue
    if [ "$v" -ge "$want" ]; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}
