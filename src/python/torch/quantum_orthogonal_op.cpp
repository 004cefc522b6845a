// papillon._torch: the quantum orthogonal layer as a torch operation whose autograd node is C++
// (docs/python.md). papillon.torch calls quantum_orthogonal(x, theta, kernel) once per forward;
// backward runs in the autograd engine without returning to Python. The Python
// autograd.Function this replaces cost 15 us per step of bookkeeping alone, more than the 10 %
// budget of a 16-qubit layer at batch 1024 (docs/benchmarks.md, "Python binding").
//
// Tensors are read and written in place: a C-order batch x n float64 tensor is the layer's
// transposed layout, which the kernel of papillon._papillon takes (quantum_layer_kernel.hpp).
// Other dtypes, layouts and devices are converted to that once and back.

#include <ATen/ATen.h>
#include <pybind11/pybind11.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/basic_ops.h>
#include <torch/csrc/autograd/functions/utils.h>
#include <torch/csrc/autograd/python_variable.h>
#include <torch/csrc/autograd/saved_variable.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "../quantum_layer_kernel.hpp"

namespace papillon::python {

namespace {

namespace py = pybind11;
namespace ag = torch::autograd;

// The tensor as C-order float64 on the CPU: the same tensor when it already is one.
at::Tensor as_layer_batch(const at::Tensor& t) {
  if (t.scalar_type() == at::kDouble && t.device().is_cpu() && t.is_contiguous()) return t;
  return t.to(at::kCPU, at::kDouble).contiguous();
}

// The layer's result in the dtype and on the device of `like`.
at::Tensor as_like(const at::Tensor& t, const at::Tensor& like) {
  if (t.scalar_type() == like.scalar_type() && t.device() == like.device()) return t;
  return t.to(like.device(), like.scalar_type());
}

struct quantum_orthogonal_backward final : ag::Node {
  quantum_layer_kernel kernel;
  std::uint64_t token = 0;
  ag::SavedVariable x, theta;  // unpacking refuses a backward after in-place changes

  std::string name() const override { return "papillon::QuantumOrthogonalBackward"; }

  void release_variables() override {
    x.reset_data();
    theta.reset_data();
  }

  ag::variable_list apply(ag::variable_list&& grads) override {
    const bool want_x = task_should_compute_output(0);
    const bool want_theta = task_should_compute_output(1);
    ag::variable_list out(2);
    if (!grads[0].defined() || !(want_x || want_theta)) return out;  // undefined: zero
    const at::Tensor x_in = x.unpack(), theta_in = theta.unpack();
    const bool differentiable = at::GradMode::is_enabled() && grads[0].requires_grad();
    {
      const at::NoGradGuard no_grad;
      const at::Tensor g = as_layer_batch(grads[0]);
      const at::Tensor xd = as_layer_batch(x_in), td = as_layer_batch(theta_in);
      at::Tensor gx = at::empty(g.sizes(), g.options());
      at::Tensor gtheta = want_theta ? at::empty(td.sizes(), td.options()) : at::Tensor();
      kernel.backward(kernel.layer, g.data_ptr<double>(), xd.data_ptr<double>(), g.size(1),
                      g.size(0), td.data_ptr<double>(), td.numel(), token, gx.data_ptr<double>(),
                      want_theta ? gtheta.data_ptr<double>() : nullptr);
      if (want_x) out[0] = as_like(gx, x_in);
      if (want_theta) out[1] = as_like(gtheta, theta_in);
    }
    if (differentiable) {
      // As torch.autograd.function.once_differentiable: differentiating these gradients again
      // raises, instead of silently giving zero.
      for (auto& t : out)
        if (t.defined()) t = t.detach().requires_grad_(true);
      out = ag::DelayedError(
                "papillon::QuantumOrthogonal: the quantum layer's backward is not "
                "differentiable (no second derivatives)",
                2)
                .apply(std::move(out));
    }
    return out;
  }
};

const at::Tensor& tensor_arg(py::handle h, const char* name) {
  if (!THPVariable_Check(h.ptr()))
    throw py::type_error(std::string("papillon::QuantumOrthogonal: ") + name +
                         " must be a torch.Tensor");
  return THPVariable_Unpack(h.ptr());
}

py::object quantum_orthogonal(py::handle x_arg, py::handle theta_arg, py::handle kernel_arg) {
  const at::Tensor& x = tensor_arg(x_arg, "x");
  const at::Tensor& theta = tensor_arg(theta_arg, "theta");
  const auto* kernel = static_cast<const quantum_layer_kernel*>(
      PyCapsule_GetPointer(kernel_arg.ptr(), quantum_layer_kernel::capsule_name));
  if (kernel == nullptr) throw py::error_already_set();
  if (x.dim() != 2)
    throw py::value_error("papillon::QuantumOrthogonal.forward: expected a 2-d batch, got " +
                          std::to_string(x.dim()) + " dimensions");
  for (const at::Tensor* t : {&x, &theta})
    if (t->scalar_type() != at::kDouble && t->scalar_type() != at::kFloat)
      throw py::type_error("papillon::QuantumOrthogonal.forward: expected float64 or float32");

  at::Tensor y;
  std::uint64_t token = 0;
  {
    const at::NoGradGuard no_grad;
    const at::Tensor xd = as_layer_batch(x), td = as_layer_batch(theta);
    at::Tensor yd = at::empty(xd.sizes(), xd.options());
    {
      const py::gil_scoped_release nogil;
      token = kernel->forward(kernel->layer, xd.data_ptr<double>(), xd.size(1), xd.size(0),
                              yd.data_ptr<double>(), td.data_ptr<double>(), td.numel());
    }
    y = as_like(yd, x);
  }
  if (ag::compute_requires_grad(x, theta)) {
    const std::shared_ptr<quantum_orthogonal_backward> node(new quantum_orthogonal_backward,
                                                            ag::deleteNode);
    node->set_next_edges(ag::collect_next_edges(x, theta));
    node->kernel = *kernel;
    node->token = token;
    node->x = ag::SavedVariable(x, false);
    node->theta = ag::SavedVariable(theta, false);
    ag::set_history(y, node);
  }
  return py::reinterpret_steal<py::object>(THPVariable_Wrap(std::move(y)));
}

}  // namespace

}  // namespace papillon::python

PYBIND11_MODULE(_torch, m) {
  m.doc() = "The quantum orthogonal layer as a torch operation with a C++ autograd node.";
  m.def("quantum_orthogonal", &papillon::python::quantum_orthogonal, pybind11::arg("x"),
        pybind11::arg("theta"), pybind11::arg("kernel"),
        "The layer on a 2-d batch under the angles theta; kernel is "
        "QuantumOrthogonalCore._kernel().");
}
