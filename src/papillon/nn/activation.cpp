// The element-wise activations, instantiated once here for relu, tanh and gelu.

#include <papillon/nn/activation.hpp>

#include <string>

namespace papillon::detail {

template <class Derived>
nn::matrix elementwise_layer<Derived>::forward(const matrix& input, bool /*training*/) {
  m_input = input;
  return input.unaryExpr([](double x) { return Derived::value(x); });
}

template <class Derived>
nn::matrix elementwise_layer<Derived>::backward(const matrix& grad_output) {
  check_grad_shape(grad_output, m_input.rows(), m_input.cols(), where());
  return grad_output.cwiseProduct(
      m_input.unaryExpr([](double x) { return Derived::derivative(x); }));
}

template <class Derived>
std::string elementwise_layer<Derived>::where() const {
  return "nn::" + std::string(this->kind()) + "::backward";
}

template class elementwise_layer<nn::relu>;
template class elementwise_layer<nn::tanh_activation>;
template class elementwise_layer<nn::gelu>;

}  // namespace papillon::detail
