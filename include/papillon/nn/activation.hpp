#pragma once

/// @file
/// Element-wise activation layers: ReLU, tanh and GELU. They have no parameters and accept
/// any width.

#include <papillon/nn/layer.hpp>

#include <cmath>
#include <memory>

namespace papillon::detail {

/// Shared forward/backward of an element-wise function f with derivative df. Defined and
/// explicitly instantiated for the activations below in src/papillon/nn/activation.cpp.
template <class Derived>
class elementwise_layer : public nn::layer {
 public:
  using matrix = nn::matrix;

  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;

 private:
  [[nodiscard]] std::string where() const;
  matrix m_input;
};

}  // namespace papillon::detail

namespace papillon::nn {

/// ReLU: max(x, 0). The derivative at 0 is taken as 0.
class relu final : public detail::elementwise_layer<relu> {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "relu"; }
  static double value(double x) noexcept { return x > 0.0 ? x : 0.0; }
  static double derivative(double x) noexcept { return x > 0.0 ? 1.0 : 0.0; }
};

/// Hyperbolic tangent.
class tanh_activation final : public detail::elementwise_layer<tanh_activation> {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "tanh"; }
  static double value(double x) noexcept { return std::tanh(x); }
  static double derivative(double x) noexcept {
    const double t = std::tanh(x);
    return 1.0 - t * t;
  }
};

/// GELU, tanh approximation (Hendrycks & Gimpel; the form used by GPT-2 and PyTorch's
/// approximate="tanh"): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Its derivative is
/// the exact derivative of this approximation, not of the erf form.
class gelu final : public detail::elementwise_layer<gelu> {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "gelu"; }
  static constexpr double c = 0.7978845608028654;  // sqrt(2 / pi)
  static constexpr double a = 0.044715;
  static double value(double x) noexcept {
    return 0.5 * x * (1.0 + std::tanh(c * (x + a * x * x * x)));
  }
  static double derivative(double x) noexcept {
    const double t = std::tanh(c * (x + a * x * x * x));
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * c * (1.0 + 3.0 * a * x * x);
  }
};

}  // namespace papillon::nn

namespace papillon::detail {

extern template class elementwise_layer<nn::relu>;
extern template class elementwise_layer<nn::tanh_activation>;
extern template class elementwise_layer<nn::gelu>;

}  // namespace papillon::detail
