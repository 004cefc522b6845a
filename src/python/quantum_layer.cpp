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
#include <span>

#include "bindings.hpp"
#include "quantum_layer_kernel.hpp"

namespace papillon::python {

namespace {

// A batch (one sample per row) of float64 or float32. A C-order float64 array is used in place:
// its memory is the layer's transposed layout (one sample per column), which
// forward_transposed() and backward_transposed() take. Other dtypes and layouts are converted
// to one first.
struct batch_arg {
  double_array array;
  bool is_float = false;

  static batch_arg of(const py::array& a, std::string_view where) {
    if (a.ndim() != 2)
      throw py::value_error("papillon::" + std::string(where) + ": expected a 2-d array, got " +
                            std::to_string(a.ndim()) + " dimensions");
    const bool is_float = a.dtype().is(py::dtype::of<float>());
    if (!is_float && !a.dtype().is(py::dtype::of<double>()))
      throw py::type_error("papillon::" + std::string(where) + ": expected float64 or float32");
    double_array c = double_array::ensure(a);  // the same array when already C-order float64
    if (!c) throw py::error_already_set();
    return {std::move(c), is_float};
  }

  [[nodiscard]] Eigen::Map<const Eigen::MatrixXd> samples() const {
    return {array.data(), array.shape(1), array.shape(0)};
  }
};

// A C-order float64 array of the batch's shape, and the layer's view of it.
struct batch_result {
  double_array array;

  explicit batch_result(const batch_arg& like)
      : array({like.array.shape(0), like.array.shape(1)}) {}

  [[nodiscard]] Eigen::Map<Eigen::MatrixXd> samples() {
    return {array.mutable_data(), array.shape(1), array.shape(0)};
  }

  // As the input's dtype: float32 is converted once.
  [[nodiscard]] py::array as(bool as_float) && {
    if (!as_float) return std::move(array);
    py::array_t<float> out({array.shape(0), array.shape(1)});
    const auto size = static_cast<Eigen::Index>(array.size());
    const double* from = array.data();
    float* to = out.mutable_data();
    {
      py::gil_scoped_release nogil;
      Eigen::Map<Eigen::ArrayXf>(to, size) =
          Eigen::Map<const Eigen::ArrayXd>(from, size).cast<float>();
    }
    return out;
  }
};

class layer_handle {
 public:
  explicit layer_handle(const nn::quantum_layer_options& o)
      : m_layer(std::make_unique<nn::quantum_orthogonal>(o)) {}

  nn::quantum_orthogonal& layer() { return *m_layer; }

  // The two calls below take batches in the layer's transposed layout (one sample per column,
  // which is a row-major batch x n array) and run without the GIL.

  // Writes the outputs to `y` and returns the forward pass's token.
  std::uint64_t forward_batch(const Eigen::Ref<const Eigen::MatrixXd>& x,
                              Eigen::Ref<Eigen::MatrixXd> y, std::span<const double> theta) {
    check_theta(theta.size());
    const std::lock_guard lock(m_mutex);
    set_theta(theta);
    m_layer->forward_transposed(x, y, true);
    m_cached = ++m_forwards;
    return m_cached;
  }

  // Writes dL/dx to `gx` and, when `gtheta` is not null, dL/dtheta to it (num_parameters).
  void backward_batch(const Eigen::Ref<const Eigen::MatrixXd>& g,
                      const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> theta,
                      std::uint64_t token, Eigen::Ref<Eigen::MatrixXd> gx, double* gtheta) {
    check_theta(theta.size());
    const std::lock_guard lock(m_mutex);
    if (token != m_cached) {  // another forward ran since: redo this one
      set_theta(theta);
      Eigen::MatrixXd out(x.rows(), x.cols());
      m_layer->forward_transposed(x, out, true);
      m_cached = 0;
    }
    const bool want_theta = gtheta != nullptr;
    m_layer->set_trainable(want_theta);
    m_layer->zero_gradients();
    m_layer->backward_transposed(g, gx);
    m_layer->set_trainable(true);
    if (want_theta) std::copy(m_layer->gradients().begin(), m_layer->gradients().end(), gtheta);
  }

  // (output, token)
  py::tuple forward(const py::array& x, const double_array& theta) {
    const batch_arg in = batch_arg::of(x, "QuantumOrthogonal.forward");
    batch_result out(in);
    std::uint64_t token = 0;
    {
      py::gil_scoped_release nogil;
      token = forward_batch(in.samples(), out.samples(), as_span(theta));
    }
    return py::make_tuple(std::move(out).as(in.is_float), token);
  }

  // (dL/dx, dL/dtheta or None)
  py::tuple backward(const py::array& grad_out, const py::array& x, const double_array& theta,
                     std::uint64_t token, bool want_theta) {
    const batch_arg g = batch_arg::of(grad_out, "QuantumOrthogonal.backward");
    const batch_arg in = batch_arg::of(x, "QuantumOrthogonal.backward");
    batch_result gx(g);
    std::vector<double> gtheta(want_theta ? static_cast<std::size_t>(m_layer->num_parameters())
                                          : 0);
    {
      py::gil_scoped_release nogil;
      backward_batch(g.samples(), in.samples(), as_span(theta), token, gx.samples(),
                     want_theta ? gtheta.data() : nullptr);
    }
    py::object gt = py::none();
    if (want_theta) gt = to_numpy(std::move(gtheta));
    return py::make_tuple(std::move(gx).as(g.is_float), gt);
  }

  // Changes of the layer outside forward/backward: the cached forward pass no longer holds.
  template <class Fn>
  auto modify(Fn&& fn) {
    const std::lock_guard lock(m_mutex);
    m_cached = 0;
    return fn(*m_layer);
  }

  Eigen::MatrixXd unary_matrix(const double_array& theta) {
    check_theta(static_cast<std::size_t>(theta.size()));
    return modify([&](nn::quantum_orthogonal& l) {
      set_theta(as_span(theta));
      return l.unary_matrix();
    });
  }

 private:
  void check_theta(std::size_t size) const {
    if (static_cast<index_t>(size) != m_layer->num_parameters())
      throw dimension_error(
          "python::QuantumOrthogonal", "angle vector length differs from the layer's",
          std::to_string(size) + " angles, layer has " + std::to_string(m_layer->num_parameters()));
  }
  void set_theta(std::span<const double> theta) {
    std::copy(theta.begin(), theta.end(), m_layer->parameters().begin());
  }

  std::unique_ptr<nn::quantum_orthogonal> m_layer;
  std::mutex m_mutex;
  std::uint64_t m_forwards = 0;
  std::uint64_t m_cached = 0;  // token of the forward pass the layer holds (0: none)
};

// The kernel of a layer for papillon._torch: the two calls above on raw column-major memory.
quantum_layer_kernel make_kernel(const std::shared_ptr<layer_handle>& h) {
  quantum_layer_kernel k;
  k.owner = h;
  k.layer = h.get();
  k.qubits = static_cast<std::int64_t>(h->layer().options().qubits);
  k.num_parameters = static_cast<std::int64_t>(h->layer().num_parameters());
  k.forward = [](void* layer, const double* x, std::int64_t width, std::int64_t batch, double* y,
                 const double* theta, std::int64_t num_theta) {
    return static_cast<layer_handle*>(layer)->forward_batch(
        Eigen::Map<const Eigen::MatrixXd>(x, width, batch),
        Eigen::Map<Eigen::MatrixXd>(y, width, batch), {theta, static_cast<std::size_t>(num_theta)});
  };
  k.backward = [](void* layer, const double* g, const double* x, std::int64_t width,
                  std::int64_t batch, const double* theta, std::int64_t num_theta,
                  std::uint64_t token, double* gx, double* gtheta) {
    static_cast<layer_handle*>(layer)->backward_batch(
        Eigen::Map<const Eigen::MatrixXd>(g, width, batch),
        Eigen::Map<const Eigen::MatrixXd>(x, width, batch),
        {theta, static_cast<std::size_t>(num_theta)}, token,
        Eigen::Map<Eigen::MatrixXd>(gx, width, batch), gtheta);
  };
  return k;
}

}  // namespace

void bind_quantum_layer(py::module_& m) {
  py::class_<layer_handle, std::shared_ptr<layer_handle>>(
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
             return std::make_shared<layer_handle>(o);
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
      .def(
          "_kernel",
          [](const std::shared_ptr<layer_handle>& h) {
            auto* k = new quantum_layer_kernel(make_kernel(h));
            return py::capsule(k, quantum_layer_kernel::capsule_name, [](PyObject* c) {
              delete static_cast<quantum_layer_kernel*>(
                  PyCapsule_GetPointer(c, quantum_layer_kernel::capsule_name));
            });
          },
          "The layer's C++ entry points for papillon._torch (a capsule).")
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
