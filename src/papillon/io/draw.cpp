#include <papillon/io/draw.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace papillon {
namespace {

std::string number(double v, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(ch - ('a' <= ch && ch <= 'z' ? 'a' - 'A' : 0));
  return out;
}

std::string angle_label(const operation& op, int precision) {
  if (!op.param) return number(op.theta, precision);
  const std::string p = "p" + std::to_string(op.param->index);
  if (op.param->scale == 1.0) return p;
  if (op.param->scale == -1.0) return "-" + p;
  return number(op.param->scale, precision) + "*" + p;
}

/// The label of the gate on its first qubit.
std::string first_label(const operation& op, int precision) {
  const gate_traits& tr = traits(op.kind);
  switch (op.kind) {
    case gate_kind::cnot:
    case gate_kind::cz:
      return "@";
    case gate_kind::swap:
      return "x";
    case gate_kind::gpi:
    case gate_kind::gpi2:
      return upper(tr.name) + "(" + number(op.turns[0], precision) + ")";
    case gate_kind::ms:
      return "MS(" + number(op.turns[0], precision) + "," + number(op.turns[1], precision) + "," +
             number(op.turns[2], precision) + ")";
    default:
      if (tr.rotation) return upper(tr.name) + "(" + angle_label(op, precision) + ")";
      return upper(tr.name);
  }
}

/// The label of the gate on its second qubit.
std::string second_label(const operation& op) {
  switch (op.kind) {
    case gate_kind::cnot:
      return "X";
    case gate_kind::cz:
      return "@";
    case gate_kind::swap:
      return "x";
    default:
      return "*";
  }
}

struct cell {
  std::string text;      // empty: plain wire (or crossing, see `through`)
  bool through = false;  // a vertical connection passes this wire
  bool down = false;     // the connection continues below this wire
};

}  // namespace

std::string draw_circuit(const circuit& c, const draw_options& options) {
  const index_t n = c.num_qubits();
  std::vector<index_t> next_free(n, 0);
  std::vector<std::vector<cell>> grid;  // grid[moment][qubit]
  for (const auto& op : c.operations()) {
    const index_t a = op.qubits[0];
    const index_t b = op.arity() == 2 ? op.qubits[1] : a;
    const index_t lo = std::min(a, b);
    const index_t hi = std::max(a, b);
    index_t m = 0;
    for (index_t q = lo; q <= hi; ++q) m = std::max(m, next_free[q]);
    for (index_t q = lo; q <= hi; ++q) next_free[q] = m + 1;
    if (grid.size() <= m) grid.resize(m + 1, std::vector<cell>(n));
    auto& col = grid[m];
    col[a].text = first_label(op, options.precision);
    if (b != a) {
      col[b].text = second_label(op);
      for (index_t q = lo; q < hi; ++q) col[q].down = true;
      for (index_t q = lo + 1; q < hi; ++q) col[q].through = true;
    }
  }

  const std::string prefix_pad(std::to_string(n - 1).size() + 3, ' ');
  std::string out;
  for (index_t q = 0; q < n; ++q) {
    std::string name = "q" + std::to_string(q) + ":";
    name.resize(prefix_pad.size(), ' ');
    std::string wire = name + "-";
    std::string gap = prefix_pad + " ";
    for (const auto& col : grid) {
      std::size_t width = 1;
      for (const auto& cl : col) width = std::max(width, cl.text.size());
      // Labels are left-aligned, so a connection runs under the first character of each cell.
      const cell& cl = col[q];
      const std::string body = cl.text.empty() ? std::string(cl.through ? "+" : "-") : cl.text;
      wire += "-" + body + std::string(width - body.size(), '-') + "-";
      std::string g(width + 2, ' ');
      if (cl.down) g[1] = '|';
      gap += g;
    }
    out += wire + "-\n";
    if (q + 1 < n) {
      // Trailing blanks are trimmed so the drawing diffs cleanly.
      gap.erase(gap.find_last_not_of(' ') + 1);
      out += gap + "\n";
    }
  }
  return out;
}

}  // namespace papillon
