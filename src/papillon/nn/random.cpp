// Text form of the random engine state, for checkpoints.

#include <papillon/nn/random.hpp>

#include <sstream>
#include <string>

namespace papillon::nn {

std::string rng_state(const rng_type& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

void set_rng_state(rng_type& rng, const std::string& state) {
  std::istringstream in(state);
  rng_type restored;
  in >> restored;
  if (in.fail()) throw data_error("nn::set_rng_state", "malformed random engine state");
  rng = restored;
}

}  // namespace papillon::nn
