#include <papillon/ionq/transpile.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <numbers>
#include <random>
#include <set>

#include "../../support/reference.hpp"

using namespace papillon;
using Catch::Matchers::Contains;

namespace {

// Distance between two unitaries up to a global phase.
double phase_distance(const test::dense& u, const test::dense& v) {
  Eigen::Index r = 0, c = 0;
  u.cwiseAbs().maxCoeff(&r, &c);
  const std::complex<double> ph = v(r, c) / u(r, c);
  return (v - (ph / std::abs(ph)) * u).norm();
}

// Distance of v from D u, D diagonal unitary (what dropping the final Z frame allows).
double diagonal_phase_distance(const test::dense& u, const test::dense& v) {
  const test::dense m = v * u.adjoint();
  double off = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      off += i == j ? std::abs(std::abs(m(i, j)) - 1.0) : std::abs(m(i, j));
  return off;
}

const ionq_gateset all_sets[] = {ionq_gateset::qis, ionq_gateset::native_ms,
                                 ionq_gateset::native_zz};

void check_program_shape(const ionq_program& p) {
  static const std::set<std::string> qis_names{"x",  "y",  "z",  "h",    "s",    "si", "t",  "ti",
                                               "rx", "ry", "rz", "cnot", "swap", "xx", "yy", "zz"};
  for (const auto& g : p.gates) {
    INFO("gate " << g.gate);
    switch (p.gateset) {
      case ionq_gateset::qis:
        CHECK(qis_names.count(g.gate) == 1);
        CHECK_FALSE(g.phase);
        CHECK(g.phases.empty());
        break;
      case ionq_gateset::native_ms:
      case ionq_gateset::native_zz: {
        const std::string two = p.gateset == ionq_gateset::native_ms ? "ms" : "zz";
        CHECK((g.gate == "gpi" || g.gate == "gpi2" || g.gate == two));
        CHECK(g.controls.empty());
        CHECK_FALSE(g.rotation);
        if (g.phase) CHECK((*g.phase >= 0 && *g.phase < 1));
        for (double ph : g.phases) CHECK((ph >= 0 && ph < 1));
        if (g.angle) CHECK((*g.angle > 0 && *g.angle <= 0.25 + 1e-12));
        break;
      }
    }
  }
}

}  // namespace

TEST_CASE("transpile: every pass preserves the unitary of random circuits",
          "[backend][transpile]") {
  std::mt19937_64 rng(20240611);
  const auto kinds = test::all_kinds();
  for (const index_t n : {2, 3, 4}) {
    for (int rep = 0; rep < 12; ++rep) {
      const circuit c = test::random_circuit(n, 14, kinds, rng);
      const test::dense u = test::circuit_matrix(c, {});
      for (const auto set : all_sets) {
        DYNAMIC_SECTION("n " << n << " rep " << rep << " " << ionq_gateset_name(set)) {
          transpile_options exact;
          exact.drop_final_z = false;
          const ionq_program p = transpile(c, {}, set, exact);
          check_program_shape(p);
          CHECK(phase_distance(u, test::circuit_matrix(to_circuit(p), {})) < 1e-9);
          // Default: the final Z frame is dropped, which only multiplies by a diagonal phase.
          const ionq_program q = transpile(c, {}, set);
          check_program_shape(q);
          CHECK(diagonal_phase_distance(u, test::circuit_matrix(to_circuit(q), {})) < 1e-9);
          CHECK(count_gates(q).total <= count_gates(p).total);
        }
      }
    }
  }
}

TEST_CASE("transpile: RBS over the whole angle range, parameters bound", "[backend][transpile]") {
  for (const double theta : {-3.1, -2.0, -1.5707963267948966, -0.7, 0.0, 0.3, 1.5707963267948966,
                             1.9, 3.14159265358979, 4.5, -7.0}) {
    circuit c(3);
    c.rbs(2, 0, param(0, 0.5)).fbs(0, 2, param(1));
    const std::vector<double> params{2 * theta, theta};
    const test::dense u = test::circuit_matrix(c, params);
    for (const auto set : all_sets) {
      transpile_options exact;
      exact.drop_final_z = false;
      const ionq_program p = transpile(c, params, set, exact);
      INFO("theta " << theta << " " << ionq_gateset_name(set));
      check_program_shape(p);
      CHECK(phase_distance(u, test::circuit_matrix(to_circuit(p), {})) < 1e-9);
    }
  }
}

TEST_CASE("transpile: gate counts of one RBS", "[backend][transpile]") {
  circuit c(2);
  c.rbs(0, 1, 0.4);
  const auto qis = count_gates(transpile(c, {}, ionq_gateset::qis));
  CHECK(qis.total == 4);
  CHECK(qis.by_gate.at("xx") == 1);
  CHECK(qis.by_gate.at("yy") == 1);
  CHECK(qis.by_gate.at("rz") == 2);
  for (const double theta : {0.4, -0.4, 2.0, -2.5}) {
    circuit one(2);
    one.rbs(0, 1, theta);
    const auto ms = count_gates(transpile(one, {}, ionq_gateset::native_ms));
    CHECK(ms.by_gate.at("ms") == 2);
    // The MS phases absorb the basis changes; beyond pi/2 the corrections multiply to Z (x) Z,
    // which is virtual.
    CHECK(ms.total == 2);
  }
  const auto zz = count_gates(transpile(c, {}, ionq_gateset::native_zz));
  CHECK(zz.two_qubit == 2);
  CHECK(zz.by_gate.at("zz") == 2);
  CHECK(zz.total <= 10);
}

TEST_CASE("transpile: the MS form of RBS is the one of docs/ionq-api.md section 7",
          "[backend][transpile]") {
  circuit c(2);
  c.rbs(0, 1, 0.6);
  const ionq_program p = transpile(c, {}, ionq_gateset::native_ms);
  REQUIRE(p.gates.size() == 2);
  const double a = 0.6 / (2 * std::numbers::pi);
  CHECK(p.gates[0].gate == "ms");
  CHECK(p.gates[0].phases == std::vector<double>{0.0, 0.25});
  CHECK_THAT(*p.gates[0].angle, Catch::Matchers::WithinAbs(a, 1e-15));
  CHECK(p.gates[1].phases == std::vector<double>{0.25, 0.5});  // = exp(+i pi a Y X)
  CHECK_THAT(*p.gates[1].angle, Catch::Matchers::WithinAbs(a, 1e-15));
}

TEST_CASE("transpile: IonQ input JSON", "[backend][transpile]") {
  circuit c(3);
  c.x(0).cnot(0, 1).rbs(1, 2, param(0));
  const std::vector<double> params{0.5};
  SECTION("qis uses radians, target/targets and control") {
    const auto j = nlohmann::json::parse(ionq_input_json(transpile(c, params, ionq_gateset::qis)));
    CHECK(j.at("qubits") == 3);
    CHECK(j.at("gateset") == "qis");
    const auto& g = j.at("circuit");
    REQUIRE(g.size() == 6);
    CHECK(g[0] == nlohmann::json{{"gate", "x"}, {"target", 0}});
    CHECK(g[1] == nlohmann::json{{"gate", "cnot"}, {"control", 0}, {"target", 1}});
    CHECK(g[2].at("gate") == "rz");
    CHECK(g[2].at("target") == 2);
    CHECK(g[3].at("gate") == "xx");
    CHECK(g[3].at("targets") == nlohmann::json{1, 2});
    CHECK(g[3].at("rotation") == 0.5);
  }
  SECTION("native uses phase, phases and angle in turns") {
    const auto ms =
        nlohmann::json::parse(ionq_input_json(transpile(c, params, ionq_gateset::native_ms)));
    CHECK(ms.at("gateset") == "native");
    bool saw_ms = false;
    for (const auto& g : ms.at("circuit")) {
      CHECK_FALSE(g.contains("rotation"));
      if (g.at("gate") == "ms") {
        saw_ms = true;
        CHECK(g.at("phases").size() == 2);
        CHECK(g.contains("angle"));
        CHECK(g.at("targets").size() == 2);
      } else {
        CHECK(g.contains("phase"));
        CHECK(g.contains("target"));
      }
    }
    CHECK(saw_ms);
    const auto zz =
        nlohmann::json::parse(ionq_input_json(transpile(c, params, ionq_gateset::native_zz)));
    for (const auto& g : zz.at("circuit"))
      if (g.at("gate") == "zz") {
        CHECK(g.contains("angle"));
        CHECK_FALSE(g.contains("phases"));
      }
  }
}

TEST_CASE("transpile: bad inputs", "[backend][transpile]") {
  circuit c(2);
  c.rbs(0, 1, param(1));
  CHECK_THROWS_MATCHES(
      transpile(c, std::vector<double>{0.1}, ionq_gateset::qis), dimension_error,
      Catch::Matchers::Message("papillon::transpile: parameter vector too short (got 1, circuit "
                               "needs 2)"));
  CHECK_THROWS_WITH(parse_ionq_gateset("ionq-native"),
                    Contains("unknown IonQ gate set 'ionq-native'") &&
                        Contains("ionq-qis, ionq-native-ms, ionq-native-zz"));
  CHECK(parse_ionq_gateset("ionq-native-zz") == ionq_gateset::native_zz);
  CHECK(parse_ionq_gateset("qis") == ionq_gateset::qis);
}
