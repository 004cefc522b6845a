// Chunked training: the step is the chunks' sum in chunk order, whoever computes them.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/chunk_executor.hpp>
#include <papillon/train/trainer.hpp>

#include <cstring>
#include <memory>
#include <vector>

#include "support/catch.hpp"

using papillon::test::contains_substring;
namespace nn = papillon::nn;
namespace tr = papillon::train;
using papillon::index_t;

namespace {

tr::dataset data(Eigen::Index n, Eigen::Index in, Eigen::Index out) {
  nn::rng_type rng(11);
  tr::dataset d;
  d.inputs.resize(n, in);
  d.targets.resize(n, out);
  d.mask.resize(n, out);
  for (Eigen::Index i = 0; i < d.inputs.size(); ++i) d.inputs(i) = 2.0 * nn::uniform01(rng) - 1.0;
  for (Eigen::Index i = 0; i < d.targets.size(); ++i) d.targets(i) = nn::uniform01(rng);
  for (Eigen::Index i = 0; i < d.mask.size(); ++i) d.mask(i) = nn::uniform01(rng) < 0.3 ? 0 : 1;
  return d;
}

// Computes the chunks of one process in a scattered order (odd chunks first, then even, each
// with a fresh stream), as processes of a distributed run would: if anything depended on the
// order of computation, the parameters would differ from the serial executor's.
class scattered_executor final : public tr::chunk_executor {
 public:
  std::vector<std::vector<double>> run(index_t n, const chunk_function& compute) override {
    std::vector<std::vector<double>> out(n);
    for (index_t c = 1; c < n; c += 2) out[c] = compute(c);
    for (index_t c = n; c-- > 0;)
      if (c % 2 == 0) out[c] = compute(c);
    ++calls;
    return out;
  }
  index_t calls = 0;
};

nn::sequential classical(bool with_dropout) {
  nn::sequential m;
  m.emplace<nn::dense>(4, 8, nn::dense_options{.seed = 1});
  m.emplace<nn::tanh_activation>();
  if (with_dropout) m.emplace<nn::dropout>(0.2, 7);
  m.emplace<nn::dense>(8, 3, nn::dense_options{.seed = 2});
  return m;
}

nn::sequential hybrid(std::shared_ptr<papillon::backend> b) {
  nn::sequential m;
  m.emplace<nn::dense>(4, 4, nn::dense_options{.seed = 1});
  nn::quantum_layer_options q;
  q.qubits = 4;
  q.seed = 3;
  q.shots = 200;
  auto& layer = m.emplace<nn::quantum_orthogonal>(q);
  layer.set_backend(std::move(b));
  m.emplace<nn::dense>(4, 3, nn::dense_options{.seed = 2});
  return m;
}

Eigen::VectorXd train(nn::sequential& m, index_t chunk, std::shared_ptr<tr::chunk_executor> e,
                      const tr::dataset& d, index_t epochs = 3) {
  nn::adam opt;
  nn::masked_mse loss;
  tr::trainer_options o;
  o.batch_size = 10;
  o.seed = 5;
  o.epochs = epochs;
  o.chunk_size = chunk;
  o.executor = std::move(e);
  tr::trainer t(m, opt, loss, o);
  t.fit(d);
  return m.flat_parameters();
}

bool same_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("chunked trainer: any order of computing chunks gives the same bits", "[train][chunks]") {
  const auto d = data(37, 4, 3);  // batches of 10, the last of 7; chunks of 3
  SECTION("classical layers") {
    auto a = classical(false);
    auto b = classical(false);
    auto exec = std::make_shared<scattered_executor>();
    REQUIRE(same_bits(train(a, 3, nullptr, d), train(b, 3, exec, d)));
    REQUIRE(exec->calls == 3 * 4);  // one call per step
  }
  SECTION("dropout: masks come from (step, chunk) streams") {
    auto a = classical(true);
    auto b = classical(true);
    REQUIRE(
        same_bits(train(a, 3, nullptr, d), train(b, 3, std::make_shared<scattered_executor>(), d)));
  }
  SECTION("quantum layer on a sampling backend: shot seeds from (step, chunk), ledger summed") {
    auto sa = std::make_shared<papillon::simulator_backend>();
    auto sb = std::make_shared<papillon::simulator_backend>();
    auto a = hybrid(sa);
    auto b = hybrid(sb);
    REQUIRE(same_bits(train(a, 4, nullptr, d, 2),
                      train(b, 4, std::make_shared<scattered_executor>(), d, 2)));
    const auto& qa = dynamic_cast<const nn::quantum_orthogonal&>(a[1]);
    const auto& qb = dynamic_cast<const nn::quantum_orthogonal&>(b[1]);
    REQUIRE(qa.ledger() == qb.ledger());
    REQUIRE(qa.ledger().circuits > 0);
    REQUIRE(qa.ledger().shots == 200 * qa.ledger().circuits);
  }
}

TEST_CASE("chunked trainer: one chunk per batch is the unchunked step up to rounding",
          "[train][chunks]") {
  const auto d = data(40, 4, 3);
  auto a = classical(false);
  auto b = classical(false);
  const auto pa = train(a, 0, nullptr, d);
  const auto pb = train(b, 10, nullptr, d);  // chunk = batch: only the gradient scaling differs
  REQUIRE((pa - pb).norm() <= 1e-10 * pa.norm());
  // Smaller chunks change only the order of additions.
  auto c = classical(false);
  const auto pc = train(c, 2, nullptr, d);
  REQUIRE((pa - pc).norm() <= 1e-10 * pa.norm());
}

TEST_CASE("chunked trainer: an executor needs a positive chunk size", "[train][chunks]") {
  auto m = classical(false);
  nn::adam opt;
  nn::masked_mse loss;
  tr::trainer_options o;
  o.executor = std::make_shared<tr::serial_chunk_executor>();
  CHECK_THROWS_AS(tr::trainer(m, opt, loss, o), papillon::data_error);
  CHECK_THROWS_WITH(tr::trainer(m, opt, loss, o),
                    contains_substring("needs a positive chunk_size"));
}
