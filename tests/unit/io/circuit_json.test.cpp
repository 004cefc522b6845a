#include <papillon/io/circuit_json.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../../support/catch.hpp"

using namespace papillon;
using nlohmann::json;
using papillon::test::contains_substring;

namespace {

/// A random valid circuit using every gate kind, with awkward doubles (full-precision values,
/// tiny and huge magnitudes, negative zero) and parameter references with scales.
circuit random_json_circuit(index_t n, index_t length, std::mt19937_64& rng) {
  std::uniform_int_distribution<index_t> q(0, n - 1);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_int_distribution<int> coin(0, 3);
  const auto awkward = [&] {
    switch (coin(rng)) {
      case 0:
        return u(rng) * 1e-300;
      case 1:
        return u(rng) * 1e300;
      case 2:
        return -0.0;
      default:
        return std::nextafter(u(rng) * 3.14159, 10.0);
    }
  };
  circuit c(n);
  for (index_t i = 0; i < length; ++i) {
    const auto k = static_cast<gate_kind>(i % gate_kind_count);  // every kind, in turn
    const gate_traits& tr = traits(k);
    operation op = make_operation(k, q(rng), 0);
    if (tr.arity == 2) do
        op.qubits[1] = q(rng);
      while (op.qubits[1] == op.qubits[0]);
    if (tr.rotation) {
      if (coin(rng) < 2)
        op.param = param(q(rng) * 2, coin(rng) == 0 ? 1.0 : awkward());
      else
        op.theta = awkward();
    }
    if (k == gate_kind::gpi || k == gate_kind::gpi2) op.turns[0] = u(rng);
    if (k == gate_kind::ms) op.turns = {u(rng), awkward(), u(rng) / 4};
    c.append(op);
  }
  return c;
}

json example() {
  return json::parse(R"({
    "format": "papillon.circuit.v1",
    "qubits": 4,
    "parameters": 4,
    "gates": [
      {"gate": "x", "target": 0},
      {"gate": "rbs", "targets": [0, 2], "theta": 0.25},
      {"gate": "rbs", "targets": [0, 1], "param": 0},
      {"gate": "rbs", "targets": [2, 3], "param": 1, "scale": -1.0},
      {"gate": "cz", "targets": [1, 3]},
      {"gate": "ry", "target": 2, "theta": 0.5}
    ]
  })");
}

/// The error message of reading `doc`, with its exception type checked.
template <class Error>
std::string error_of(const json& doc) {
  try {
    (void)circuit_from_json(doc);
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("wrong exception type: " << e.what());
  }
  FAIL("no exception for " << doc.dump());
  return {};
}

}  // namespace

TEST_CASE("circuit json: the docs/interfaces.md example", "[io][json]") {
  const circuit c = circuit_from_json(example());
  circuit want(4);
  want.x(0).rbs(0, 2, 0.25).rbs(0, 1, param(0)).rbs(2, 3, param(1, -1.0)).cz(1, 3).ry(2, 0.5);
  want.set_num_parameters(4);
  REQUIRE(c == want);
  REQUIRE(c.num_parameters() == 4);
  // Written back: same keys and values, in the documented order.
  const json back = circuit_to_json(c);
  REQUIRE(back["format"] == "papillon.circuit.v1");
  REQUIRE(back["parameters"] == 4);
  REQUIRE(back["gates"][3] ==
          json::parse(R"({"gate":"rbs","targets":[2,3],"param":1,"scale":-1.0})"));
  REQUIRE(back["gates"][2].contains("scale") == false);
  REQUIRE(circuit_to_json_string(c, -1).rfind(R"({"format":"papillon.circuit.v1","qubits":4,)",
                                              0) == 0);
}

TEST_CASE("circuit json: parameters default to the largest index plus one", "[io][json]") {
  json doc = example();
  doc.erase("parameters");
  REQUIRE(circuit_from_json(doc).num_parameters() == 2);
  doc["parameters"] = 9;
  REQUIRE(circuit_from_json(doc).num_parameters() == 9);
}

TEST_CASE("circuit json: lossless round trip of random circuits with every gate kind",
          "[io][json][property]") {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 20; ++trial) {
    const circuit c = random_json_circuit(2 + index_t(trial % 6), 3 * gate_kind_count, rng);
    // Through a JSON value, through text, and through ordered JSON.
    REQUIRE(circuit_from_json(json(circuit_to_json(c))) == c);
    REQUIRE(parse_circuit_json(circuit_to_json_string(c, trial % 2 == 0 ? 2 : -1)) == c);
    REQUIRE(circuit_from_json(circuit_to_json(c)) == c);
    // Bit-exact angles, not just ==: -0.0 keeps its sign.
    const circuit back = parse_circuit_json(circuit_to_json_string(c));
    for (index_t i = 0; i < c.size(); ++i)
      REQUIRE(std::signbit(back[i].theta) == std::signbit(c[i].theta));
  }
}

TEST_CASE("circuit json: files", "[io][json]") {
  const auto path = std::filesystem::temp_directory_path() / "papillon_circuit_json_test.json";
  std::mt19937_64 rng(1);
  const circuit c = random_json_circuit(5, 40, rng);
  write_circuit_file(path, c);
  REQUIRE(read_circuit_file(path) == c);
  std::filesystem::remove(path);
  REQUIRE_THROWS_AS(read_circuit_file(path), data_error);
  REQUIRE_THROWS_WITH(read_circuit_file(path), contains_substring("cannot open"));
  {
    std::FILE* f = std::fopen(path.string().c_str(), "w");
    std::fputs("{\"format\": \"papillon.circuit.v1\", \"qubits\": 2,", f);
    std::fclose(f);
  }
  REQUIRE_THROWS_WITH(read_circuit_file(path),
                      contains_substring("not valid JSON") && contains_substring(path.string()));
  {
    std::FILE* f = std::fopen(path.string().c_str(), "w");
    std::fputs(
        R"({"format": "papillon.circuit.v1", "qubits": 2, "gates": [{"gate": "h", "target": 2}]})",
        f);
    std::fclose(f);
  }
  REQUIRE_THROWS_WITH(read_circuit_file(path), contains_substring("gates[0] (h), field 'target'") &&
                                                   contains_substring("file " + path.string()));
  std::filesystem::remove(path);
  REQUIRE_THROWS_AS(parse_circuit_json("[1, 2"), data_error);
}

TEST_CASE("circuit json: malformed documents name the problem and the place",
          "[io][json][errors]") {
  SECTION("document shape") {
    REQUIRE_THAT(error_of<data_error>(json::array()), contains_substring("not a JSON object"));
    json d = example();
    d.erase("format");
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("missing field 'format'"));
    d = example();
    d["format"] = "papillon.circuit.v2";
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("unsupported format") &&
                                              contains_substring("papillon.circuit.v2"));
    d["format"] = 1;
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'format' is not a string"));
    d = example();
    d.erase("qubits");
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("missing field 'qubits'"));
    for (const json& bad : {json(0), json(-3), json(2.5), json("4"), json(4.0)}) {
      d["qubits"] = bad;
      REQUIRE_THAT(error_of<data_error>(d),
                   contains_substring("'qubits' is not a positive integer"));
    }
    d["qubits"] = 5000;
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("exceeds 4096"));
    d = example();
    d["parameters"] = -1;
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'parameters'"));
    d = example();
    d["gates"] = json::object();
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'gates' is not an array"));
    d.erase("gates");
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("missing field 'gates'"));
  }
  SECTION("gate names and arity") {
    json d = example();
    d["gates"][2] = 7;
    REQUIRE_THAT(error_of<data_error>(d),
                 contains_substring("gates[2]") && contains_substring("not a JSON object"));
    d["gates"][2] = json::parse(R"({"targets": [0, 1]})");
    REQUIRE_THAT(error_of<data_error>(d),
                 contains_substring("missing field 'gate'") && contains_substring("gates[2]"));
    d["gates"][2] = json::parse(R"({"gate": "rbz", "targets": [0, 1], "theta": 1})");
    REQUIRE_THAT(error_of<circuit_error>(d), contains_substring("unknown gate \"rbz\"") &&
                                                 contains_substring("gates[2], field 'gate'"));
    d["gates"][2] = json::parse(R"({"gate": "rbs", "targets": [0, 1, 2], "theta": 1})");
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("wrong arity") && contains_substring("gates[2] (rbs)"));
    d["gates"][2] = json::parse(R"({"gate": "rbs", "target": 0, "theta": 1})");
    REQUIRE_THAT(error_of<circuit_error>(d), contains_substring("wrong arity"));
    d["gates"][2] = json::parse(R"({"gate": "h", "targets": [0, 1]})");
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("wrong arity") && contains_substring("gates[2] (h)"));
    d["gates"][2] = json::parse(R"({"gate": "cnot", "targets": [0, 1]})");
    REQUIRE_THAT(error_of<circuit_error>(d), contains_substring("'control' and 'target'"));
    d["gates"][2] = json::parse(R"({"gate": "cnot", "control": 1, "target": 1})");
    REQUIRE_THAT(error_of<circuit_error>(d), contains_substring("control equals target"));
  }
  SECTION("qubits") {
    json d = example();
    d["gates"][1]["targets"] = {0, 4};
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("qubit 4 out of range for 4 qubits") &&
                     contains_substring("gates[1] (rbs), field 'targets'"));
    d["gates"][1]["targets"] = {2, 2};
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("repeated target qubit 2") && contains_substring("gates[1]"));
    d["gates"][1]["targets"] = {0, -1};
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("not a non-negative integer"));
    d["gates"][1]["targets"] = {0, 1.5};
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("not a non-negative integer"));
    d["gates"][1]["targets"] = "0,1";
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'targets' is not an array"));
    d = example();
    d["gates"][5]["target"] = "2";
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("gates[5] (ry), field 'target'"));
  }
  SECTION("angles and parameters") {
    json d = example();
    d["gates"][2]["theta"] = 0.5;  // has param already
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("both 'theta' and 'param'") && contains_substring("gates[2]"));
    d = example();
    d["gates"][1].erase("theta");
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("missing angle") && contains_substring("gates[1] (rbs)"));
    d = example();
    d["gates"][3]["param"] = 4;  // "parameters": 4
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("parameter index 4 out of range of 'parameters' = 4") &&
                     contains_substring("gates[3] (rbs), field 'param'"));
    d["gates"][3]["param"] = -2;
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("field 'param'"));
    d = example();
    d["gates"][1]["theta"] = std::numeric_limits<double>::infinity();
    REQUIRE_THAT(error_of<circuit_error>(d),
                 contains_substring("non-finite angle") &&
                     contains_substring("gates[1] (rbs), field 'theta'"));
    d["gates"][1]["theta"] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THAT(error_of<circuit_error>(d), contains_substring("non-finite angle"));
    d["gates"][1]["theta"] = "0.25";
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'theta' is not a number"));
    d = example();
    d["gates"][3]["scale"] = "minus one";
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'scale' is not a number"));
    d = example();
    d["gates"][1]["scale"] = 2.0;  // with theta
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'scale' needs 'param'"));
    d = example();
    d["gates"][4]["theta"] = 1.0;  // cz takes no angle
    REQUIRE_THAT(error_of<data_error>(d),
                 contains_substring("field 'theta' does not apply to gate cz") &&
                     contains_substring("gates[4]"));
    d = example();
    d["gates"][5]["scael"] = 1.0;
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("field 'scael'"));
  }
  SECTION("IonQ native gates") {
    json d = example();
    d["gates"][0] = json::parse(R"({"gate": "gpi2", "target": 1})");
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("missing field 'phase'"));
    d["gates"][0] = json::parse(R"({"gate": "ms", "targets": [0, 1], "phases": [0.1]})");
    REQUIRE_THAT(error_of<data_error>(d), contains_substring("'phases' is not an array of two"));
    d["gates"][0] = json::parse(R"({"gate": "ms", "targets": [0, 1], "phases": [0.1, 0.2]})");
    const circuit c = circuit_from_json(d);
    REQUIRE(c[0].turns == std::array<double, 3>{0.1, 0.2, 0.25});  // angle defaults to 0.25
  }
}

TEST_CASE("circuit json: hostile text gives short, bounded errors", "[io][json][errors]") {
  const auto message_of = [](std::string_view text) {
    try {
      static_cast<void>(parse_circuit_json(text));
    } catch (const error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  SECTION("deep nesting is refused, closed or not") {
    for (const std::size_t n : {std::size_t{65}, std::size_t{100'000}}) {
      const std::string open(n, '[');
      const std::string closed = open + std::string(n, ']');
      for (const auto& text : {open, closed}) {
        const std::string m = message_of(text);
        CHECK_THAT(m, contains_substring("JSON nested too deeply"));
        CHECK(m.size() < 400);
      }
    }
    std::string objects;
    for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
    CHECK_THAT(message_of(objects), contains_substring("nested too deeply"));
    // 64 levels are fine as far as nesting goes (the document is then refused as not an object).
    CHECK_THAT(message_of(std::string(64, '[') + std::string(64, ']')),
               contains_substring("not a JSON object (got array of 1 entries)"));
  }
  SECTION("a number out of range names its place") {
    const std::string m = message_of(
        R"({"format": "papillon.circuit.v1", "qubits": 1, "gates": [{"gate": "ry", "target": 0, "theta": 1e999}]})");
    CHECK_THAT(m, contains_substring("number out of range") &&
                      contains_substring("gates[0].theta") && contains_substring("1e999"));
  }
  SECTION("long or binary text is quoted bounded and escaped") {
    const std::string big(1'000'000, 'x');
    std::string m = message_of(R"({"format": ")" + big + R"(", "qubits": 1, "gates": []})");
    CHECK_THAT(m, contains_substring("unsupported format"));
    CHECK(m.size() < 400);
    m = message_of(
        R"({"format": "papillon.circuit.v1", "qubits": 1, "gates": [{"gate": "h\u0000\u001b[2J"}]})");
    CHECK_THAT(m, contains_substring("unknown gate \"h\\0\\x1b[2J\""));
    m = message_of("[\"" + big + "\x01");
    CHECK_THAT(m, contains_substring("not valid JSON"));
    CHECK(m.size() < 400);
    CHECK(m.find('\x01') == std::string::npos);
    // A whole document as a field value is described, not dumped.
    m = message_of(R"({"format": "papillon.circuit.v1", "qubits": [)" + std::string(50, '[') +
                   std::string(50, ']') + "]}");
    CHECK_THAT(m, contains_substring("got array of 1 entries"));
  }
}

TEST_CASE("circuit json: a directory or hostile file names the file", "[io][json][errors]") {
  const auto dir = std::filesystem::temp_directory_path() / "papillon_circuit_json_dir";
  std::filesystem::create_directories(dir);
  REQUIRE_THROWS_AS(read_circuit_file(dir), data_error);
  REQUIRE_THROWS_WITH(read_circuit_file(dir),
                      contains_substring("is a directory") && contains_substring(dir.string()));
  const auto path = dir / "nested.json";
  {
    std::FILE* f = std::fopen(path.string().c_str(), "w");
    std::fputs(std::string(100'000, '[').c_str(), f);
    std::fclose(f);
  }
  REQUIRE_THROWS_WITH(read_circuit_file(path),
                      contains_substring("nested too deeply") && contains_substring(path.string()));
  {
    std::FILE* f = std::fopen(path.string().c_str(), "w");
    std::fputs(R"({"format": "papillon.circuit.v1", "qubits": 1e999, "gates": []})", f);
    std::fclose(f);
  }
  REQUIRE_THROWS_WITH(read_circuit_file(path), contains_substring("number out of range") &&
                                                   contains_substring("qubits") &&
                                                   contains_substring(path.string()));
  std::filesystem::remove_all(dir);
}
