// The quantum orthogonal layer (nn/quantum_orthogonal.hpp): exact simulation, backend circuits,
// gradients and its JSON form, compiled once in papillon::learning.

#include <papillon/backend/run_in_parts.hpp>
#include <papillon/circuit/sign_readout.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/grad/parameter_shift.hpp>
#include <papillon/io/result_json.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/readout/unary_readout.hpp>

#include <nlohmann/json.hpp>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

namespace papillon::nn {

quantum_orthogonal::quantum_orthogonal(const quantum_layer_options& options)
    : layer(is_power_of_two(options.qubits) && options.qubits >= 2
                ? butterfly_num_parameters(options.qubits)
                : 0),
      m_opt(options) {
  if (!is_power_of_two(options.qubits) || options.qubits < 2)
    throw circuit_error(
        "nn::quantum_orthogonal",
        "qubit count must be a power of two >= 2 (pad the input as in docs/method.md "
        "2.3.2, or use a dense layer to reach a power of two)",
        "qubits = " + std::to_string(options.qubits));
  butterfly_options bo;
  bo.order = options.order;
  m_butterfly = butterfly(options.qubits, bo);
  m_active = m_butterfly.depth();
  m_active_body = m_butterfly.body;
  set_group("quantum");
  init_parameters();
}

void quantum_orthogonal::set_active_layers(index_t k) {
  if (k > m_butterfly.depth())
    throw data_error("nn::quantum_orthogonal::set_active_layers",
                     "more active layers than the Butterfly has",
                     "layer '" + name() + "', " + std::to_string(k) + " > " +
                         std::to_string(m_butterfly.depth()));
  if (k == m_active) return;
  const index_t ops =
      k == m_butterfly.depth() ? m_butterfly.body.size() : m_butterfly.layers[k].first_operation;
  circuit body(m_opt.qubits);
  for (index_t i = 0; i < ops; ++i) body.append(m_butterfly.body[i]);
  body.set_num_parameters(m_butterfly.num_parameters());
  m_active_body = std::move(body);
  m_active = k;
  m_cached = false;  // a cached forward pass used other gates
}

void quantum_orthogonal::init_parameters() {
  rng_type rng(derive_seed(m_opt.seed, 0x517A11ULL));
  const double half = m_opt.init == quantum_init::uniform ? std::numbers::pi : 0.1;
  std::uniform_real_distribution<double> u(-half, half);
  for (auto& v : m_params) v = u(rng);
  if (m_opt.init == quantum_init::zero_coupling)
    for (const auto& l : m_butterfly.layers)
      if (l.pairs.front().second - l.pairs.front().first == m_opt.qubits / 2)
        for (index_t p : l.parameters) m_params[static_cast<Eigen::Index>(p)] = 0.0;
}

unary_program quantum_orthogonal::program() const {
  return unary_program(m_active_body, theta(), {.caller = "nn::quantum_orthogonal"});
}

index_t quantum_orthogonal::output_size(index_t input_size) const {
  if (input_size != m_opt.qubits)
    throw dimension_error(
        "nn::quantum_orthogonal::output_size", "input width must equal the qubit count",
        "width " + std::to_string(input_size) + ", qubits " + std::to_string(m_opt.qubits));
  return m_opt.qubits;
}

std::vector<parameter_block> quantum_orthogonal::parameter_blocks() const {
  std::vector<parameter_block> out;
  for (const auto& l : m_butterfly.layers) {
    const index_t stride = l.pairs.front().second - l.pairs.front().first;
    out.push_back(
        {stride == m_opt.qubits / 2 ? std::string("coupling") : "stride_" + std::to_string(stride),
         l.parameters.front(), l.parameters.size()});
  }
  return out;
}

Eigen::MatrixXd quantum_orthogonal::unary_matrix() const {
  return papillon::unary_matrix(m_active_body, theta());
}

circuit quantum_orthogonal::sample_circuit(std::span<const double> row) const {
  if (m_opt.readout == quantum_readout::amplitudes) {
    sign_readout_options so;
    so.loader = m_opt.loader;
    return sign_readout_circuit(row, m_active_body, so);
  }
  circuit c = unary_loader(m_opt.loader, row);
  c.append(m_active_body);
  return c;
}

std::vector<double> quantum_orthogonal::readout_row(const run_result& r, index_t qubits) const {
  return m_opt.readout == quantum_readout::amplitudes ? signed_amplitudes(r, qubits).values
                                                      : unary_probabilities(r, qubits).values;
}

std::vector<circuit> quantum_orthogonal::sample_circuits() const {
  std::vector<circuit> circuits;
  circuits.reserve(static_cast<std::size_t>(m_xhat.rows()));
  for (Eigen::Index r = 0; r < m_xhat.rows(); ++r) {
    const Eigen::RowVectorXd row = m_xhat.row(r);
    circuits.push_back(sample_circuit(std::span<const double>(row.data(), row.size())));
  }
  return circuits;
}

namespace {

// to = from^T, with `to` rows x cols and both column-major (inner stride 1), by square tiles so
// that both sides of a tile stay in L1. An element-by-element transposed assignment strides
// through the whole batch once per qubit and measured 3 to 4 times slower at batch 1024.
// `stream`: `to` is the caller's fresh output, which this call only writes; non-temporal
// stores then skip reading its lines into the cache first.
void transpose_into(const Eigen::Ref<const Eigen::MatrixXd>& from, Eigen::Ref<Eigen::MatrixXd> to,
                    bool stream = false) {
  constexpr Eigen::Index tile = 16;
  const Eigen::Index rows = to.rows(), cols = to.cols();
  const double* src = from.data();
  double* dst = to.data();
  const Eigen::Index lds = from.outerStride(), ldd = to.outerStride();
#if defined(__SSE2__)
  // Non-temporal stores need 16-byte aligned addresses: every one is when dst and ldd are.
  stream = stream && reinterpret_cast<std::uintptr_t>(dst) % 16 == 0 && ldd % 2 == 0;
#endif
  for (Eigen::Index i0 = 0; i0 < rows; i0 += tile)
    for (Eigen::Index j0 = 0; j0 < cols; j0 += tile) {
      const Eigen::Index ie = std::min(i0 + tile, rows), je = std::min(j0 + tile, cols);
      Eigen::Index jv = j0;
#if defined(__SSE2__)
      // Full tiles as 2 x 2 blocks in registers: half the time of the scalar loop.
      if (ie - i0 == tile)
        for (; jv + 2 <= je; jv += 2)
          for (Eigen::Index i = i0; i < ie; i += 2) {
            const __m128d a = _mm_loadu_pd(src + jv + i * lds);
            const __m128d b = _mm_loadu_pd(src + jv + (i + 1) * lds);
            if (stream) {
              _mm_stream_pd(dst + i + jv * ldd, _mm_unpacklo_pd(a, b));
              _mm_stream_pd(dst + i + (jv + 1) * ldd, _mm_unpackhi_pd(a, b));
            } else {
              _mm_storeu_pd(dst + i + jv * ldd, _mm_unpacklo_pd(a, b));
              _mm_storeu_pd(dst + i + (jv + 1) * ldd, _mm_unpackhi_pd(a, b));
            }
          }
#endif
      for (Eigen::Index j = jv; j < je; ++j)
        for (Eigen::Index i = i0; i < ie; ++i) dst[i + j * ldd] = src[j + i * lds];
    }
#if defined(__SSE2__)
  if (stream) _mm_sfence();  // orders the non-temporal stores before what follows
#endif
}

// Samples per block of the transposed entry points: about 64 KiB of coefficients per block
// matrix, so that a block's transposes, element-wise steps and gate sweep all run in cache.
Eigen::Index transposed_block(index_t qubits) {
  return std::max<Eigen::Index>(32, 8192 / static_cast<Eigen::Index>(qubits));
}

}  // namespace

void quantum_orthogonal::forward_exact(const Eigen::Ref<const Eigen::MatrixXd>& input,
                                       bool transposed, std::string_view where) {
  m_cached = false;  // the cache is overwritten from here on
  if (transposed) {
    m_xhat.resize(input.cols(), input.rows());
    transpose_into(input, m_xhat);
  } else {
    m_xhat = input;
  }
  // Whole-matrix passes: a row of a column-major batch is strided, its columns are not.
  m_norms = m_xhat.rowwise().norm();
  if (!m_xhat.allFinite() || !(m_norms.array() > 0).all())
    for (Eigen::Index r = 0; r < m_xhat.rows(); ++r) {  // name the first bad row
      if (!m_xhat.row(r).allFinite())
        throw data_error(where, "input is not finite", "row " + std::to_string(r));
      if (!(m_norms[r] > 0)) {
        if (m_opt.zero_rows == zero_row_policy::zero_output && !m_backend) {
          m_norms[r] = 1.0;  // x-hat = 0, so y = 0 and the output row is 0
          continue;
        }
        throw data_error(where, "input row is the zero vector, which a unary loader cannot encode",
                         "row " + std::to_string(r));
      }
    }
  m_xhat.array().colwise() /= m_norms.array();
  m_y = m_xhat;
  program().apply(m_y);
  m_cached = true;
}

matrix quantum_orthogonal::backend_outputs() {
  // Task r is sample r's circuit, sent part by part as the gradient engine sends its circuits
  // (seeded as the whole call, ledger filled).
  const std::vector<circuit> circuits = sample_circuits();
  const std::vector<double> params(theta().begin(), theta().end());
  matrix out(m_xhat.rows(), static_cast<Eigen::Index>(m_opt.qubits));
  run_in_parts(
      *m_backend, circuits.size(),
      [&](std::size_t t) {
        return run_task{&circuits[t], params};
      },
      [&](std::size_t t, run_result&& r) {
        const auto v = readout_row(r, m_opt.qubits);
        out.row(static_cast<Eigen::Index>(t)) =
            Eigen::Map<const Eigen::RowVectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
      },
      batch_options{m_opt.shots, next_seed(), m_opt.max_batch_circuits}, m_ledger);
  if (m_opt.readout == quantum_readout::amplitudes) out = m_norms.asDiagonal() * out;
  return out;
}

matrix quantum_orthogonal::forward(const matrix& input, bool /*training*/) {
  constexpr std::string_view where = "nn::quantum_orthogonal::forward";
  check_width(input, m_opt.qubits, where);
  forward_exact(input, false, where);
  if (m_backend) return backend_outputs();
  if (m_opt.readout == quantum_readout::amplitudes) return m_norms.asDiagonal() * m_y;
  return m_y.cwiseAbs2();
}

void quantum_orthogonal::forward_transposed(const Eigen::Ref<const Eigen::MatrixXd>& input,
                                            Eigen::Ref<Eigen::MatrixXd> output, bool /*training*/) {
  constexpr std::string_view where = "nn::quantum_orthogonal::forward_transposed";
  if (static_cast<index_t>(input.rows()) != m_opt.qubits)
    throw dimension_error(
        where, "input has the wrong number of features (one sample per column)",
        "expected " + std::to_string(m_opt.qubits) + ", got " + std::to_string(input.rows()));
  if (output.rows() != input.rows() || output.cols() != input.cols())
    throw dimension_error(where, "output shape differs from the input's",
                          std::to_string(output.rows()) + "x" + std::to_string(output.cols()) +
                              " for " + std::to_string(input.rows()) + "x" +
                              std::to_string(input.cols()));
  if (m_backend) {
    forward_exact(input, true, where);
    m_ywork = backend_outputs();
    transpose_into(m_ywork, output);
    return;
  }
  // forward_exact() and the readout, block of samples by block: each block is transposed in,
  // normalised, swept and read out while it is in cache, so the layout costs no whole-batch
  // pass (whole-batch transposes made these calls 25 % slower than forward() at 64 qubits).
  m_cached = false;
  const Eigen::Index batch = input.cols(), n = input.rows();
  const Eigen::Index block = transposed_block(m_opt.qubits);
  m_xhat.resize(batch, n);
  m_norms.resize(batch);
  m_y.resize(batch, n);
  m_ywork.resize(std::min(block, batch), n);
  const unary_program w = program();
  for (Eigen::Index s0 = 0; s0 < batch; s0 += block) {
    const Eigen::Index count = std::min(block, batch - s0);
    auto x = m_xhat.middleRows(s0, count);
    auto norms = m_norms.segment(s0, count);
    transpose_into(input.middleCols(s0, count), x);
    norms = x.rowwise().norm();
    if (!x.allFinite() || !(norms.array() > 0).all())
      for (Eigen::Index r = 0; r < count; ++r) {  // name the first bad row
        if (!x.row(r).allFinite())
          throw data_error(where, "input is not finite", "row " + std::to_string(s0 + r));
        if (!(norms[r] > 0)) {
          if (m_opt.zero_rows == zero_row_policy::zero_output) {
            norms[r] = 1.0;  // x-hat = 0, so y = 0 and the output row is 0
            continue;
          }
          throw data_error(where,
                           "input row is the zero vector, which a unary loader cannot encode",
                           "row " + std::to_string(s0 + r));
        }
      }
    x.array().colwise() /= norms.array();
    auto y = m_y.middleRows(s0, count);
    y = x;
    w.apply(y);
    auto out = m_ywork.topRows(count);
    if (m_opt.readout == quantum_readout::amplitudes)
      out = norms.asDiagonal() * y;
    else
      out = y.cwiseAbs2();
    transpose_into(out, output.middleCols(s0, count), true);
  }
  m_cached = true;
}

void quantum_orthogonal::backward_exact(const Eigen::Ref<const Eigen::MatrixXd>& grad_output,
                                        bool transposed) {
  const bool amp = m_opt.readout == quantum_readout::amplitudes;
  // dL/dy for the ideal model.
  if (transposed) {
    m_gy.resize(m_y.rows(), m_y.cols());
    transpose_into(grad_output, m_gy);
    if (amp)
      m_gy.array().colwise() *= m_norms.array();
    else
      m_gy.array() *= 2.0 * m_y.array();
  } else if (amp) {
    m_gy = m_norms.asDiagonal() * grad_output;
  } else {
    m_gy = 2.0 * m_y.cwiseProduct(grad_output);
  }
  // Through xhat = x / r: dL/dx = (g - xhat (xhat . g)) / r with g = dL/dxhat; the amplitude
  // readout (output r y) adds xhat dL/dr, dL/dr = sum_i G_i y_i = (r G . y) / r.
  if (amp)
    m_coef = -(m_gy.array() * m_y.array()).rowwise().sum();
  else
    m_coef.setZero(m_y.rows());
  const unary_program w = program();
  if (!m_backend && any_trainable()) {
    // Reverse sweep: undo each rotation on y and on gy, collecting dL/dtheta on the way.
    m_ywork = m_y;
    w.backward(m_ywork, m_gy, {m_grads.data(), static_cast<std::size_t>(m_grads.size())},
               {.wanted = trainable_mask()});
  } else {
    w.apply_transpose(m_gy);  // dL/dxhat = W^T dL/dy
  }
  m_coef.array() += (m_xhat.array() * m_gy.array()).rowwise().sum();
}

matrix quantum_orthogonal::backward(const matrix& grad_output) {
  constexpr std::string_view where = "nn::quantum_orthogonal::backward";
  check_grad_shape(grad_output, m_cached ? m_y.rows() : 0, m_cached ? m_y.cols() : 0, where);
  backward_exact(grad_output, false);
  matrix gx =
      (m_gy.array() - m_xhat.array().colwise() * m_coef.array()).colwise() / m_norms.array();
  if (m_backend && any_trainable()) backward_backend_params(grad_output);
  return gx;
}

void quantum_orthogonal::backward_transposed(const Eigen::Ref<const Eigen::MatrixXd>& grad_output,
                                             Eigen::Ref<Eigen::MatrixXd> grad_input) {
  constexpr std::string_view where = "nn::quantum_orthogonal::backward_transposed";
  if (!m_cached) throw dimension_error(where, "backward called before forward");
  if (grad_output.rows() != m_y.cols() || grad_output.cols() != m_y.rows())
    throw dimension_error(
        where, "gradient shape differs from the last output (one sample per column)",
        "expected " + std::to_string(m_y.cols()) + "x" + std::to_string(m_y.rows()) + ", got " +
            std::to_string(grad_output.rows()) + "x" + std::to_string(grad_output.cols()));
  if (grad_input.rows() != grad_output.rows() || grad_input.cols() != grad_output.cols())
    throw dimension_error(
        where, "input gradient shape differs from the output gradient's",
        std::to_string(grad_input.rows()) + "x" + std::to_string(grad_input.cols()));
  if (m_backend) {
    backward_exact(grad_output, true);
    m_ywork =
        (m_gy.array() - m_xhat.array().colwise() * m_coef.array()).colwise() / m_norms.array();
    transpose_into(m_ywork, grad_input);
    if (any_trainable()) backward_backend_params(matrix(grad_output.transpose()));
    return;
  }
  // backward_exact() and dL/dx block by block, as forward_transposed(): the same steps on each
  // block of samples while it is in cache; dL/dtheta is summed block after block.
  const bool amp = m_opt.readout == quantum_readout::amplitudes;
  const bool sweep = any_trainable();
  const Eigen::Index batch = m_y.rows(), n = m_y.cols();
  const Eigen::Index block = transposed_block(m_opt.qubits);
  m_gy.resize(std::min(block, batch), n);
  m_ywork.resize(std::min(block, batch), n);
  m_coef.resize(std::min(block, batch));
  const unary_program w = program();
  const std::span<double> grads(m_grads.data(), static_cast<std::size_t>(m_grads.size()));
  const std::span<const std::uint8_t> wanted = trainable_mask();
  for (Eigen::Index s0 = 0; s0 < batch; s0 += block) {
    const Eigen::Index count = std::min(block, batch - s0);
    const auto x = m_xhat.middleRows(s0, count);
    const auto y = m_y.middleRows(s0, count);
    const auto norms = m_norms.segment(s0, count);
    auto g = m_gy.topRows(count);
    auto coef = m_coef.head(count);
    transpose_into(grad_output.middleCols(s0, count), g);
    // dL/dy for the ideal model, then through the circuit and xhat = x / r (backward_exact()).
    if (amp)
      g.array().colwise() *= norms.array();
    else
      g.array() *= 2.0 * y.array();
    if (amp)
      coef = -(g.array() * y.array()).rowwise().sum();
    else
      coef.setZero();
    if (sweep) {
      auto y_undone = m_ywork.topRows(count);
      y_undone = y;
      w.backward(y_undone, g, grads, {.wanted = wanted});
    } else {
      w.apply_transpose(g);
    }
    coef.array() += (x.array() * g.array()).rowwise().sum();
    g = ((g.array() - x.array().colwise() * coef.array()).colwise() / norms.array()).matrix();
    transpose_into(g, grad_input.middleCols(s0, count), true);
  }
}

void quantum_orthogonal::backward_backend_params(const matrix& g_out) {
  // Parameters of inactive layers are read by no gate: their gradient is 0, without circuits.
  std::vector<index_t> trainable;
  for (index_t l = 0; l < m_active; ++l)
    for (index_t p : m_butterfly.layers[l].parameters)
      if (is_trainable(p)) trainable.push_back(p);
  if (trainable.empty()) return;
  std::sort(trainable.begin(), trainable.end());
  batch_shift_options o;
  o.wrt = std::move(trainable);
  o.parallel_rbs_rule = m_opt.shift_rule;
  // The serial fallback keeps the general rule: 4 circuits per sample and angle.
  o.serial_rbs_rule = rbs_shift_rule::four_term;
  o.batch = {m_opt.shots, next_seed(), m_opt.max_batch_circuits};
  // dL/d(readout): the amplitude output is ||x|| times the decoded amplitudes.
  const bool amp = m_opt.readout == quantum_readout::amplitudes;
  const matrix cotangents = amp ? matrix(m_norms.asDiagonal() * g_out) : g_out;
  const std::vector<circuit> circuits = sample_circuits();
  const gradient_result r = batch_shift_vjp(
      *m_backend, circuits, theta(), cotangents,
      [&](std::size_t, run_result&& res) { return readout_row(res, m_opt.qubits); }, o, m_ledger);
  // Added only now: a failing call (a backend error, nothing left after post-selection) leaves
  // the layer's gradients as they were.
  for (std::size_t i = 0; i < r.parameters.size(); ++i)
    m_grads[static_cast<Eigen::Index>(r.parameters[i])] += r.gradient[i];
}

nlohmann::json quantum_orthogonal::config() const {
  return {{"qubits", m_opt.qubits},
          {"order", std::string(name_of(m_opt.order))},
          {"loader", std::string(name_of(m_opt.loader))},
          {"readout", std::string(name_of(m_opt.readout))},
          {"init", std::string(name_of(m_opt.init))},
          {"seed", m_opt.seed},
          {"shots", m_opt.shots},
          {"shift_rule", std::string(name_of(m_opt.shift_rule))},
          {"max_batch_circuits", m_opt.max_batch_circuits},
          {"zero_rows", std::string(name_of(m_opt.zero_rows))}};
}

void quantum_orthogonal::set_counters(std::span<const std::uint64_t> values) {
  if (values.size() != 3)
    throw dimension_error("nn::quantum_orthogonal::set_counters",
                          "expected 3 counters (circuits, shots, batches)",
                          std::to_string(values.size()) + " values");
  m_ledger = {values[0], values[1], values[2]};
}

nlohmann::json quantum_orthogonal::runtime_state() const {
  return {{"calls", m_calls}, {"active_layers", m_active}, {"ledger", m_ledger}};
}

void quantum_orthogonal::set_runtime_state(const nlohmann::json& state) {
  if (state.is_null()) return;
  try {
    // Files written before active layers existed used the whole Butterfly.
    const auto active = state.value("active_layers", m_butterfly.depth());
    if (active > m_butterfly.depth())
      throw data_error("nn::quantum_orthogonal::set_runtime_state",
                       "more active layers than the Butterfly has",
                       std::to_string(active) + " > " + std::to_string(m_butterfly.depth()));
    const auto calls = state.at("calls").get<std::uint64_t>();
    const auto ledger = state.at("ledger").get<evaluation_ledger>();
    set_active_layers(active);
    m_calls = calls;
    m_ledger = ledger;
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::quantum_orthogonal::set_runtime_state", "malformed state", e.what());
  }
}

std::unique_ptr<layer> quantum_orthogonal::from_config(const nlohmann::json& config) {
  quantum_layer_options o;
  try {
    o.qubits = config.at("qubits").get<index_t>();
    constexpr std::string_view where = "nn::quantum_orthogonal::from_config";
    o.order =
        parse_enum<butterfly_order>(config.value("order", std::string("coupling-last")), where);
    o.loader = parse_enum<loader_kind>(config.value("loader", std::string("parallel")), where);
    o.readout =
        parse_enum<quantum_readout>(config.value("readout", std::string("probabilities")), where);
    o.init = parse_enum<quantum_init>(config.value("init", std::string("uniform")), where);
    o.seed = config.value("seed", std::uint64_t{0});
    o.shots = config.value("shots", std::uint64_t{1000});
    o.shift_rule =
        parse_enum<rbs_shift_rule>(config.value("shift_rule", std::string("four-term")), where);
    o.max_batch_circuits = config.value("max_batch_circuits", std::uint64_t{0});
    o.zero_rows =
        parse_enum<zero_row_policy>(config.value("zero_rows", std::string("refuse")), where);
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::quantum_orthogonal::from_config", "malformed config", e.what());
  }
  return std::make_unique<quantum_orthogonal>(o);
}

}  // namespace papillon::nn
