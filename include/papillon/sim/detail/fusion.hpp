#pragma once

/// @file
/// Gate fusion for full complex states, after qsim's and Qulacs' greedy fusers: walk the
/// circuit keeping at most one open block per qubit; a gate joins the blocks on its qubits when
/// their union stays within k qubits, and otherwise closes them. A closed block of one gate runs
/// on that gate's own kernel; a longer one runs as a dense 2^k x 2^k matrix. RBS/FBS never
/// join (their kernel moves half the amplitudes; an FBS also closes the blocks on the qubits
/// between its pair, whose parity sets its sign), and a diagonal gate only joins an open block,
/// never starts one, so runs of diagonal gates keep the diagonal kernels. Disjoint blocks
/// commute, and a block is closed before any later gate on its qubits runs, so the order of
/// the result equals the circuit's.

#include <papillon/circuit/operation.hpp>
#include <papillon/sim/detail/apply.hpp>
#include <papillon/sim/detail/dense_kernels.hpp>
#include <papillon/sim/detail/validated_circuit.hpp>
#include <papillon/sim/fusion_options.hpp>

#include <algorithm>
#include <array>
#include <complex>
#include <vector>

namespace papillon::detail {

/// Cost of one pass of each kernel relative to a two-qubit dense gate on a large state, read
/// from bm_dense (docs/benchmarks.md): 1..4-qubit dense blocks, a native gate, a diagonal one.
inline constexpr double fused_cost[5] = {0.0, 0.9, 1.0, 2.0, 4.0};
inline constexpr double native_cost = 1.0;
inline constexpr double native_diagonal_cost = 0.6;

template <class F>
struct fused_step {
  index_t op = 0;  // the operation to run natively (k == 0)
  index_t k = 0;   // qubits of a dense block
  std::array<index_t, 4> pos{};
  std::vector<std::complex<F>> matrix;  // 2^k x 2^k, row-major, sorted local order
};

/// The local matrix of a one- or two-qubit operation on its qubits in ascending order.
template <class F>
std::vector<std::complex<F>> sorted_operation_matrix(const operation& op, double theta) {
  if (traits(op.kind).arity == 1) {
    const bool ionq = op.kind == gate_kind::gpi || op.kind == gate_kind::gpi2;
    const auto m = one_qubit_matrix<F>(op.kind, ionq ? op.turns[0] : theta);
    return {m.begin(), m.end()};
  }
  const auto m = op.kind == gate_kind::ms
                     ? two_qubit_matrix<F>(op.kind, op.turns[2], op.turns[0], op.turns[1])
                     : two_qubit_matrix<F>(op.kind, theta);
  std::complex<F> raw[16];
  std::complex<F> sorted[16];
  std::copy(m.begin(), m.end(), raw);
  sorted_two_qubit_matrix(raw, op.qubits[0], op.qubits[1], sorted);
  return {sorted, sorted + 16};
}

/// A matrix on the ascending qubits `sub` widened to the ascending superset `all`.
template <class F>
std::vector<std::complex<F>> widen(const std::vector<std::complex<F>>& a,
                                   const std::vector<index_t>& sub,
                                   const std::vector<index_t>& all) {
  const std::size_t d = std::size_t{1} << all.size();
  std::vector<std::size_t> slot(sub.size());  // bit of `all` holding sub[j]
  std::size_t mask = 0;
  for (std::size_t j = 0; j < sub.size(); ++j) {
    slot[j] = static_cast<std::size_t>(std::find(all.begin(), all.end(), sub[j]) - all.begin());
    mask |= std::size_t{1} << slot[j];
  }
  const auto local = [&](std::size_t x) {
    std::size_t v = 0;
    for (std::size_t j = 0; j < sub.size(); ++j) v |= ((x >> slot[j]) & 1U) << j;
    return v;
  };
  const std::size_t ds = std::size_t{1} << sub.size();
  std::vector<std::complex<F>> out(d * d);
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t c = 0; c < d; ++c)
      if ((r & ~mask) == (c & ~mask)) out[r * d + c] = a[local(r) * ds + local(c)];
  return out;
}

template <class F>
std::vector<std::complex<F>> matmul(const std::vector<std::complex<F>>& a,
                                    const std::vector<std::complex<F>>& b, std::size_t d) {
  std::vector<std::complex<F>> out(d * d);
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t j = 0; j < d; ++j) {
      const auto x = a[r * d + j];
      if (x == std::complex<F>(0)) continue;
      for (std::size_t c = 0; c < d; ++c) out[r * d + c] += x * b[j * d + c];
    }
  return out;
}

/// Plans the fusion of `run` with blocks of at most `max_k` qubits. With `build` false only the
/// block shapes are found (for the cost); with it true every block's matrix is formed too.
template <class F>
std::vector<fused_step<F>> plan_fusion(const validated_circuit& run, index_t n, index_t max_k,
                                       bool build) {
  struct open_block {
    std::vector<index_t> qubits;  // ascending
    std::vector<std::complex<F>> matrix;
    index_t gates = 0;
    index_t first = 0;
    bool live = false;
  };
  std::vector<open_block> blocks;
  std::vector<int> owner(n, -1);
  std::vector<fused_step<F>> out;
  const auto close = [&](int b) {
    auto& blk = blocks[static_cast<std::size_t>(b)];
    for (auto q : blk.qubits) owner[q] = -1;
    blk.live = false;
    fused_step<F> s;
    if (blk.gates == 1) {
      s.op = blk.first;
    } else {
      s.k = static_cast<index_t>(blk.qubits.size());
      std::copy(blk.qubits.begin(), blk.qubits.end(), s.pos.begin());
      s.matrix = std::move(blk.matrix);
    }
    out.push_back(std::move(s));
  };
  for (index_t i = 0; i < run.ops.size(); ++i) {
    const operation& op = run.ops[i];
    const auto& tr = traits(op.kind);
    std::vector<index_t> qs(op.qubits.begin(), op.qubits.begin() + tr.arity);
    std::sort(qs.begin(), qs.end());
    std::vector<int> touching;
    // FBS signs read the parity of the qubits between its pair: it must not pass a block there.
    std::vector<index_t> reach = qs;
    if (op.kind == gate_kind::fbs)
      for (index_t q = qs[0] + 1; q < qs[1]; ++q) reach.push_back(q);
    for (auto q : reach)
      if (owner[q] >= 0 && std::find(touching.begin(), touching.end(), owner[q]) == touching.end())
        touching.push_back(owner[q]);
    std::sort(touching.begin(), touching.end());
    const bool fusable = op.kind != gate_kind::rbs && op.kind != gate_kind::fbs;
    std::vector<index_t> all = qs;
    for (int b : touching)
      for (auto q : blocks[static_cast<std::size_t>(b)].qubits) all.push_back(q);
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    if (fusable && all.size() <= max_k && (!touching.empty() || !tr.diagonal)) {
      open_block nb;
      nb.qubits = all;
      nb.live = true;
      nb.first = i;
      nb.gates = 1;
      if (build) nb.matrix = widen(sorted_operation_matrix<F>(op, op.angle(run.params)), qs, all);
      for (int b : touching) {
        auto& blk = blocks[static_cast<std::size_t>(b)];
        if (build)
          nb.matrix =
              matmul(nb.matrix, widen(blk.matrix, blk.qubits, all), std::size_t{1} << all.size());
        nb.gates += blk.gates;
        nb.first = blk.first;
        blk.live = false;
      }
      const int id = static_cast<int>(blocks.size());
      for (auto q : all) owner[q] = id;
      blocks.push_back(std::move(nb));
      continue;
    }
    for (int b : touching) close(b);
    if (fusable && !tr.diagonal) {
      open_block nb;
      nb.qubits = qs;
      nb.live = true;
      nb.first = i;
      nb.gates = 1;
      if (build) nb.matrix = sorted_operation_matrix<F>(op, op.angle(run.params));
      const int id = static_cast<int>(blocks.size());
      for (auto q : qs) owner[q] = id;
      blocks.push_back(std::move(nb));
    } else {
      fused_step<F> s;
      s.op = i;
      out.push_back(std::move(s));
    }
  }
  for (std::size_t b = 0; b < blocks.size(); ++b)
    if (blocks[b].live) close(static_cast<int>(b));
  return out;
}

/// The plan's cost in two-qubit dense passes.
template <class F>
double fusion_cost(const validated_circuit& run, const std::vector<fused_step<F>>& plan) {
  double cost = 0;
  for (const auto& s : plan)
    cost += s.k > 0                               ? fused_cost[s.k]
            : traits(run.ops[s.op].kind).diagonal ? native_diagonal_cost
                                                  : native_cost;
  return cost;
}

/// The block size the options ask for, or the cheapest of 2..4 for this circuit.
template <class F>
index_t choose_fusion_width(const validated_circuit& run, index_t n, const fusion_options& opt) {
  if (opt.max_qubits != 0) return std::clamp<index_t>(opt.max_qubits, 2, 4);
  index_t best = 2;
  double best_cost = 0;
  for (index_t k = 2; k <= 4 && k <= n; ++k) {
    const double c = fusion_cost<F>(run, plan_fusion<F>(run, n, k, false));
    if (k == 2 || c < best_cost) {
      best = k;
      best_cost = c;
    }
  }
  return best;
}

/// Applies a validated circuit to a complex state through the fused plan.
template <class F>
void apply_fused(std::complex<F>* a, index_t n, const validated_circuit& run,
                 const fusion_options& opt) {
  const index_t k = std::min(choose_fusion_width<F>(run, n, opt), n);
  for (const auto& s : plan_fusion<F>(run, n, k, true)) {
    switch (s.k) {
      case 0: {
        const operation& op = run.ops[s.op];
        apply_operation(a, n, op, op.angle(run.params));
        break;
      }
      case 1: {
        const index_t p[1] = {s.pos[0]};
        apply_dense<1>(a, n, p, s.matrix.data());
        break;
      }
      case 2: {
        const index_t p[2] = {s.pos[0], s.pos[1]};
        apply_dense<2>(a, n, p, s.matrix.data());
        break;
      }
      case 3: {
        const index_t p[3] = {s.pos[0], s.pos[1], s.pos[2]};
        apply_dense<3>(a, n, p, s.matrix.data());
        break;
      }
      default: {
        const index_t p[4] = {s.pos[0], s.pos[1], s.pos[2], s.pos[3]};
        apply_dense<4>(a, n, p, s.matrix.data());
        break;
      }
    }
  }
}

}  // namespace papillon::detail
