// The quantum orthogonal layer (papillon/nn/quantum_orthogonal.hpp) for papillon.torch: forward
// and backward run in C++ with the GIL released, on the layer's exact batched unary simulation
// and its adjoint, or on a backend with the shift rules and the ledger.
//
// The C++ layer caches its last forward pass for backward. PyTorch may run other forward passes
// before a backward (gradcheck, two calls in one graph), so every forward returns a token; a
// backward whose token is not the latest forward's first recomputes that forward from the saved
// input and angles.

#include <papillon/grad/gradient_options.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <mutex>

#include "bindings.hpp"

namespace papillon::python {

namespace {

// A 2-d float64 or float32 numpy array of any positive strides, copied into a column-major
// Eigen matrix (the layer's layout). Runs without the GIL: the caller holds the array.
struct input_view {
  const void* data = nullptr;
  bool is_float = false;
  Eigen::Index rows = 0, cols = 0, row_stride = 0, col_stride = 0;  // in elements

  static input_view of(const py::array& a, std::string_view where) {
    if (a.ndim() != 2)
      throw py::value_error("papillon::" + std::string(where) + ": expected a 2-d array, got " +
                            std::to_string(a.ndim()) + " dimensions");
    input_view v;
    v.is_float = a.dtype().is(py::dtype::of<float>());
    if (!v.is_float && !a.dtype().is(py::dtype::of<double>()))
      throw py::type_error("papillon::" + std::string(where) + ": expected float64 or float32");
    const auto item = static_cast<py::ssize_t>(v.is_float ? sizeof(float) : sizeof(double));
    if (a.strides(0) < 0 || a.strides(1) < 0 || a.strides(0) % item || a.strides(1) % item)
      throw py::value_error("papillon::" + std::string(where) + ": negative or unaligned strides");
    v.data = a.data();
    v.rows = a.shape(0);
    v.cols = a.shape(1);
    v.row_stride = a.strides(0) / item;
    v.col_stride = a.strides(1) / item;
    return v;
  }

  template <class T>
  [[nodiscard]] Eigen::MatrixXd copy_as() const {
    using matrix_t = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
    using rows_t = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto* p = static_cast<const T*>(data);
    // The contiguous layouts with compile-time inner strides, which Eigen copies fastest.
    if (col_stride == 1 && row_stride == cols)
      return Eigen::Map<const rows_t>(p, rows, cols).template cast<double>();
    if (row_stride == 1 && col_stride == rows)
      return Eigen::Map<const matrix_t>(p, rows, cols).template cast<double>();
    using stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
    return Eigen::Map<const matrix_t, 0, stride>(p, rows, cols, stride(col_stride, row_stride))
        .template cast<double>();
  }

  [[nodiscard]] Eigen::MatrixXd copy() const {
    return is_float ? copy_as<float>() : copy_as<double>();
  }
};

// A result as a numpy array of the input's dtype: float64 keeps the matrix's own buffer
// (column-major, no copy); float32 is converted once.
py::array result(Eigen::MatrixXd&& m, bool as_float) {
  if (!as_float) return to_numpy(std::move(m));
  py::array_t<float> out({m.rows(), m.cols()});
  auto* p = out.mutable_data();
  {
    py::gil_scoped_release nogil;
    Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        p, m.rows(), m.cols()) = m.cast<float>();
  }
  return out;
}

class layer_handle {
 public:
  explicit layer_handle(const nn::quantum_layer_options& o)
      : m_layer(std::make_unique<nn::quantum_orthogonal>(o)) {}

  nn::quantum_orthogonal& layer() { return *m_layer; }

  // (output, token)
  py::tuple forward(const py::array& x, const double_array& theta) {
    const input_view in = input_view::of(x, "QuantumOrthogonal.forward");
    check_theta(theta);
    Eigen::MatrixXd out;
    std::uint64_t token = 0;
    {
      py::gil_scoped_release nogil;
      const std::lock_guard lock(m_mutex);
      set_theta(theta);
      out = m_layer->forward(in.copy(), true);
      token = ++m_forwards;
      m_cached = token;
    }
    return py::make_tuple(result(std::move(out), in.is_float), token);
  }

  // (dL/dx, dL/dtheta or None)
  py::tuple backward(const py::array& grad_out, const py::array& x, const double_array& theta,
                     std::uint64_t token, bool want_theta) {
    const input_view g = input_view::of(grad_out, "QuantumOrthogonal.backward");
    const input_view in = input_view::of(x, "QuantumOrthogonal.backward");
    check_theta(theta);
    Eigen::MatrixXd gx;
    std::vector<double> gtheta;
    {
      py::gil_scoped_release nogil;
      const std::lock_guard lock(m_mutex);
      if (token != m_cached) {  // another forward ran since: redo this one
        set_theta(theta);
        (void)m_layer->forward(in.copy(), true);
        m_cached = 0;
      }
      m_layer->set_trainable(want_theta);
      m_layer->zero_gradients();
      gx = m_layer->backward(g.copy());
      m_layer->set_trainable(true);
      if (want_theta) gtheta.assign(m_layer->gradients().begin(), m_layer->gradients().end());
    }
    py::object gt = py::none();
    if (want_theta) gt = to_numpy(std::move(gtheta));
    return py::make_tuple(result(std::move(gx), g.is_float), gt);
  }

  // Changes of the layer outside forward/backward: the cached forward pass no longer holds.
  template <class Fn>
  auto modify(Fn&& fn) {
    const std::lock_guard lock(m_mutex);
    m_cached = 0;
    return fn(*m_layer);
  }

  Eigen::MatrixXd unary_matrix(const double_array& theta) {
    check_theta(theta);
    return modify([&](nn::quantum_orthogonal& l) {
      set_theta(theta);
      return l.unary_matrix();
    });
  }

 private:
  void check_theta(const double_array& theta) const {
    if (static_cast<index_t>(theta.size()) != m_layer->num_parameters())
      throw dimension_error("python::QuantumOrthogonal",
                            "angle vector length differs from the layer's",
                            std::to_string(theta.size()) + " angles, layer has " +
                                std::to_string(m_layer->num_parameters()));
  }
  void set_theta(const double_array& theta) {
    const auto s = as_span(theta);
    std::copy(s.begin(), s.end(), m_layer->parameters().begin());
  }

  std::unique_ptr<nn::quantum_orthogonal> m_layer;
  std::mutex m_mutex;
  std::uint64_t m_forwards = 0;
  std::uint64_t m_cached = 0;  // token of the forward pass the layer holds (0: none)
};

}  // namespace

void bind_quantum_layer(py::module_& m) {
  py::class_<layer_handle>(
      m, "QuantumOrthogonalCore",
      "The C++ quantum orthogonal layer behind papillon.torch.QuantumOrthogonal.")
      .def(py::init([](index_t qubits, std::string_view order, std::string_view loader,
                       std::string_view readout, std::string_view init, std::uint64_t seed,
                       std::uint64_t shots, std::string_view shift_rule,
                       std::uint64_t max_batch_circuits) {
             constexpr std::string_view where = "nn::quantum_orthogonal";
             nn::quantum_layer_options o;
             o.qubits = qubits;
             o.order = enum_from<butterfly_order>(order, where);
             o.loader = enum_from<loader_kind>(loader, where);
             o.readout = enum_from<nn::quantum_readout>(readout, where);
             o.init = enum_from<nn::quantum_init>(init, where);
             o.seed = seed;
             o.shots = shots;
             o.shift_rule = enum_from<rbs_shift_rule>(shift_rule, where);
             o.max_batch_circuits = max_batch_circuits;
             return std::make_unique<layer_handle>(o);
           }),
           py::arg("qubits"), py::arg("order") = "coupling-last", py::arg("loader") = "parallel",
           py::arg("readout") = "probabilities", py::arg("init") = "uniform", py::arg("seed") = 0,
           py::arg("shots") = 1000, py::arg("shift_rule") = "four-term",
           py::arg("max_batch_circuits") = 0)
      .def("forward", &layer_handle::forward, py::arg("x"), py::arg("theta"),
           "(output, token): the layer on a batch (one sample per row) under the angles theta.")
      .def("backward", &layer_handle::backward, py::arg("grad_output"), py::arg("x"),
           py::arg("theta"), py::arg("token"), py::arg("want_theta") = true,
           "(dL/dx, dL/dtheta or None).")
      .def_property_readonly("num_parameters",
                             [](layer_handle& h) { return h.layer().num_parameters(); })
      .def_property_readonly("num_layers", [](layer_handle& h) { return h.layer().num_layers(); })
      .def_property_readonly(
          "initial_parameters",
          [](layer_handle& h) {
            const auto p = h.layer().parameters();
            return to_numpy(std::vector<double>(p.begin(), p.end()));
          },
          "The angles the layer was initialised with (from its init and seed).")
      .def_property(
          "active_layers", [](layer_handle& h) { return h.layer().active_layers(); },
          [](layer_handle& h, index_t k) {
            h.modify([k](nn::quantum_orthogonal& l) { l.set_active_layers(k); });
          },
          "How many Butterfly layers, from the first, are in use (the rest act as the identity).")
      .def(
          "set_backend",
          [](layer_handle& h, std::shared_ptr<backend> b) {
            h.modify([&](nn::quantum_orthogonal& l) { l.set_backend(std::move(b)); });
          },
          py::arg("backend"),
          "Runs circuits on a backend from now on; None returns to exact simulation.")
      .def_property_readonly("backend", [](layer_handle& h) { return h.layer().current_backend(); })
      .def_property_readonly(
          "ledger", [](layer_handle& h) { return h.layer().ledger(); },
          "Circuits, shots and batches this layer sent to backends.")
      .def(
          "unary_matrix",
          [](layer_handle& h, const double_array& theta) {
            return to_numpy(h.unary_matrix(theta));
          },
          py::arg("theta"), "W(theta): the n x n orthogonal matrix of the active layers.")
      .def_property_readonly(
          "config", [](layer_handle& h) { return h.layer().config().dump(); },
          "The layer's config as JSON text (the model-file form).")
      .def_property_readonly("circuit", [](layer_handle& h) { return h.layer().active_circuit(); });
}

}  // namespace papillon::python
