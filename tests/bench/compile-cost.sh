#!/usr/bin/env bash
# Compile cost of papillon for a consumer: CPU seconds (user + sys) and peak memory of compiling
# each given source against an installed papillon package, as a downstream CMake project does
# (Release, the package's own usage requirements), with a bare program that includes
# <Eigen/Dense> and <nlohmann/json.hpp> as the reference. Each file is compiled REPEAT times
# (default 3); the median CPU time and the largest peak RSS are printed as a Markdown table.
#
#   tests/bench/compile-cost.sh PREFIX FILE.cpp...     (PREFIX: cmake --install ... --prefix PREFIX)
#
# Compilation runs with ccache off. Needs /usr/bin/time (Debian package 'time') and python3.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 PREFIX FILE.cpp..." >&2
  exit 2
fi
prefix=$(realpath "$1")
shift
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/bare.cpp" <<'EOF'
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

int main() {
  Eigen::MatrixXd m = Eigen::MatrixXd::Identity(3, 3);
  nlohmann::json j = {{"trace", m.trace()}};
  return j["trace"].get<double>() == 3.0 ? 0 : 1;
}
EOF

# A consumer project whose compile commands give the exact flags of each file.
{
  echo 'cmake_minimum_required(VERSION 3.21)'
  echo 'project(papillon_compile_cost LANGUAGES CXX)'
  echo 'find_package(papillon REQUIRED)'
  echo 'find_package(nlohmann_json REQUIRED)'
  echo 'add_executable(bare bare.cpp)'
  echo 'target_link_libraries(bare PRIVATE papillon::core nlohmann_json::nlohmann_json)'
  i=0
  for f in "$@"; do
    # Compiled where it stands, so its relative includes resolve as in its own build.
    echo "add_executable(prog_$i \"$(realpath "$f")\")"
    echo "target_link_libraries(prog_$i PRIVATE papillon::papillon)"
    i=$((i + 1))
  done
} >"$work/CMakeLists.txt"

cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_CXX_COMPILER_LAUNCHER= >/dev/null

# measure NAME SOURCE: median CPU seconds and max peak RSS (MB) over $repeat compiles.
measure() {
  local name=$1 src=$2 cmd
  cmd=$(python3 - "$work/build/compile_commands.json" "$src" <<'EOF'
import json, sys
for entry in json.load(open(sys.argv[1])):
    if entry["file"].endswith("/" + sys.argv[2]):
        print(entry["command"])
        break
EOF
)
  local times=() rss=0
  for _ in $(seq "$repeat"); do
    (cd "$work/build" && /usr/bin/time -f '%U %S %M' -o "$work/t" bash -c "$cmd -o /dev/null")
    read -r u s m <"$work/t"
    times+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((repeat + 1) / 2))p")
  printf '%s %s %s %s\n' "$name" "$median" "$((rss / 1024))" "$(printf '%s,' "${times[@]}")"
}

results=()
results+=("$(measure bare bare.cpp)")
i=0
for f in "$@"; do
  results+=("$(measure "$(basename "$f")" "$(basename "$f")")")
  i=$((i + 1))
done

bare=$(echo "${results[0]}" | awk '{print $2}')
echo "| program | CPU s (median of $repeat) | runs | peak MB | x bare |"
echo "|---|---|---|---|---|"
for r in "${results[@]}"; do
  read -r name cpu mb runs <<<"$r"
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$cpu" "${runs%,}" "$mb" \
    "$(awk -v c="$cpu" -v b="$bare" 'BEGIN { printf "%.2f", c / b }')"
done
