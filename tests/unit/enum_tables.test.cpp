// Every enum name table of the library: names round-trip, are unique, and cover the enum.

#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/gate.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/eval/cross_validation.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/ionq/http_transport.hpp>
#include <papillon/ionq/ionq_client.hpp>
#include <papillon/ionq/transpile.hpp>
#include <papillon/nn/initializer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/sim/simulator.hpp>
#include <papillon/train/hybrid_schedules.hpp>

#include <set>
#include <string>

#include "support/catch.hpp"

using namespace papillon;

namespace {
template <class E, std::size_t N>
void check_table(const enum_table<E, N>& t) {
  INFO(std::string(t.what));
  std::set<std::string> seen;
  for (std::size_t i = 0; i < N; ++i) {
    const auto& e = t.entries[i];
    CHECK(static_cast<std::size_t>(e.value) == i);  // one entry per value, in enum order
    CHECK(name_of(e.value) == e.name);
    CHECK(parse_enum<E>(e.name) == e.value);
    CHECK(seen.insert(std::string(e.name)).second);
    for (const auto a : e.aliases)
      if (!a.empty()) {
        CHECK(parse_enum<E>(a) == e.value);
        CHECK(seen.insert(std::string(a)).second);
      }
  }
  CHECK_THROWS_AS(parse_enum<E>("no such name"), data_error);
}
}  // namespace

TEST_CASE("enum tables: every table round-trips its names and aliases", "[core][enum]") {
  check_table(gate_names);
  check_table(loader_names);
  check_table(butterfly_order_names);
  check_table(gradient_method_names);
  check_table(rbs_shift_rule_names);
  check_table(simulation_mode_names);
  check_table(nn::initializer_names);
  check_table(nn::quantum_readout_names);
  check_table(nn::quantum_init_names);
  check_table(nn::zero_row_policy_names);
  check_table(train::hybrid_schedule_names);
  check_table(eval::downstream_classifier_names);
  check_table(ionq_gateset_names);
  check_table(http_method_names);
  check_table(ionq::job_status_names);
}

TEST_CASE("enum tables: the converters keep their spellings", "[core][enum]") {
  CHECK(gate_name(gate_kind::gpi2) == "gpi2");
  CHECK(gate_from_name("fbs") == gate_kind::fbs);
  CHECK_FALSE(gate_from_name("FBS").has_value());
  CHECK(loader_from_name("semi_diagonal") == loader_kind::semi_diagonal);
  CHECK(name_of(simulation_mode::automatic) == "auto");
  CHECK(parse_enum<simulation_mode>("automatic") == simulation_mode::automatic);
  CHECK(parse_ionq_gateset("native-ms") == ionq_gateset::native_ms);
  CHECK(ionq_target_name(ionq_gateset::native_zz) == "ionq-native-zz");
  CHECK(ionq::to_string(ionq::job_status::running) == "started");
  CHECK(ionq::parse_job_status("running") == ionq::job_status::running);
  CHECK(ionq::parse_job_status("cancelled") == ionq::job_status::canceled);
  CHECK(ionq::parse_job_status("something new") == ionq::job_status::running);
  CHECK(http_method_name(http_method::del) == "DELETE");
  CHECK(nn::to_string(nn::initializer::he_normal) == "he_normal");
}
