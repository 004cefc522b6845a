// The weight initialisers.

#include <papillon/nn/initializer.hpp>

#include <cmath>

namespace papillon::nn {

void initialize(std::span<double> values, initializer init, index_t fan_in, index_t fan_out,
                rng_type& rng) {
  const auto in = static_cast<double>(fan_in);
  const auto out = static_cast<double>(fan_out);
  switch (init) {
    case initializer::zeros:
      for (double& v : values) v = 0.0;
      return;
    case initializer::xavier_uniform:
    case initializer::he_uniform: {
      const double a =
          init == initializer::xavier_uniform ? std::sqrt(6.0 / (in + out)) : std::sqrt(6.0 / in);
      for (double& v : values) v = a * (2.0 * uniform01(rng) - 1.0);
      return;
    }
    case initializer::xavier_normal:
    case initializer::he_normal: {
      const double sd =
          init == initializer::xavier_normal ? std::sqrt(2.0 / (in + out)) : std::sqrt(2.0 / in);
      for (double& v : values) v = sd * standard_normal(rng);
      return;
    }
  }
}

}  // namespace papillon::nn
