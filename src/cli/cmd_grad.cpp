// `papillon grad`: differentiate f(params) = sum_x w_x p_x with the adjoint, serial shift,
// parallel layer shift or finite differences, and print the gradient with its evaluation
// ledger (docs/cli.md).

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/io/circuit_json.hpp>
#include <papillon/io/result_json.hpp>
#include <papillon/sim/simulator.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/distributed.hpp"

namespace papillon::cli {
namespace {

struct grad_cli_options {
  std::string circuit_path;
  std::string params;
  std::string weights;
  std::string method{method_name(gradient_method::adjoint)};
  std::string wrt;
  std::uint64_t shots = 0;
  std::uint64_t seed = 0;
  bool allow_approximate = false;
  std::uint64_t max_batch = 0;
  std::string output;
};

// A decimal basis key. Keys beyond 64 bits are accepted when they are a unary state 2^i of the
// circuit (as `papillon run` prints them for more than 64 qubits).
void add_weight(diagonal_observable& obs, const std::string& key, double w, index_t qubits,
                std::size_t entry) {
  const std::string where = "--weights, entry " + std::to_string(entry);
  if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos)
    throw data_error("grad", "basis state " + quote_input(key) + " is not a decimal integer",
                     where);
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(key.c_str(), &end, 10);
  if (errno != ERANGE) {
    obs.weights[static_cast<basis_state>(v)] += w;
    return;
  }
  for (index_t i = 64; i < qubits; ++i)
    if (basis_key::unary(i).decimal_label() == key) {
      if (obs.unary.size() <= i) obs.unary.resize(i + 1, 0.0);
      obs.unary[i] += w;
      return;
    }
  throw data_error(
      "grad", "basis state " + quote_input(key) + " does not fit 64 bits and is not a unary state",
      where);
}

diagonal_observable parse_weights(const std::string& text, index_t qubits) {
  diagonal_observable obs;
  const auto items = split_list(text);
  if (items.empty()) throw data_error("grad", "no weights given", "--weights \"<basis>:w,...\"");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto colon = items[i].find(':');
    if (colon == std::string::npos)
      throw data_error("grad", "weight " + quote_input(items[i]) + " is not <basis>:<weight>",
                       "--weights, entry " + std::to_string(i));
    const double w = parse_double("--weights", items[i].substr(colon + 1), i);
    std::string key = items[i].substr(0, colon);
    const auto b = key.find_first_not_of(" \t");
    const auto e = key.find_last_not_of(" \t");
    key = b == std::string::npos ? std::string() : key.substr(b, e - b + 1);
    add_weight(obs, key, w, qubits, i);
  }
  return obs;
}

// The --wrt list, checked against the circuit by the library's own resolve_wrt (range and
// repeats), the message naming --wrt.
std::vector<index_t> parse_wrt(const std::string& text, const circuit& c) {
  std::vector<index_t> out;
  const auto items = split_list(text);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& s = items[i];
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      throw data_error("grad", quote_input(s) + " is not a parameter index",
                       "--wrt, entry " + std::to_string(i));
    out.push_back(static_cast<index_t>(v));
  }
  if (!text.empty() && out.empty()) throw data_error("grad", "no parameter index given", "--wrt");
  about_option("--wrt " + text, [&] { return resolve_wrt(c, out, "grad"); });
  return out;
}

command_runner make_grad(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "grad", "Gradient of f = sum_x w_x p_x: adjoint, serial shift, parallel shift or finite");
  auto o = std::make_shared<grad_cli_options>();
  sub->add_option("circuit", o->circuit_path, "Circuit JSON file (papillon.circuit.v1)")
      ->required();
  sub->add_option("--params", o->params, "Parameter values \"p0,p1,...\"");
  sub->add_option("--weights", o->weights, "Observable weights \"<basis>:w,<basis>:w,...\"")
      ->required();
  sub->add_option("--method", o->method,
                  gradient_method_names.names_text(", ", " or ") + " (default " + o->method + ")")
      ->check(one_of_enum<gradient_method>());
  sub->add_option("--wrt", o->wrt, "Parameters to differentiate \"i,j,k\" (default: all)");
  add_bounded(sub, "--shots", o->shots, "Shots per circuit (0: exact probabilities)",
              std::uint64_t{0}, limits::shots);
  add_bounded(sub, "--seed", o->seed, "Seed of the sampler", std::uint64_t{0},
              std::numeric_limits<std::uint64_t>::max());
  sub->add_flag("--allow-approximate", o->allow_approximate,
                "Run the parallel shift where it is not exact, flagging the result");
  add_bounded(sub, "--max-batch", o->max_batch,
              "Most circuits per backend call (0: one call per gradient); results unchanged",
              std::uint64_t{0}, limits::max_batch);
  sub->add_option("--output", o->output, "Write the JSON document to this file");
  return [o] {
    // Everything is checked before any work or output.
    check_readable("circuit file", o->circuit_path);
    const circuit c = read_circuit_file(o->circuit_path);
    const std::vector<double> params = parse_params(o->params, c);
    const diagonal_observable obs = parse_weights(o->weights, c.num_qubits());
    about_option("--weights", [&] { obs.check(c.num_qubits(), "grad"); });
    gradient_options opt;
    opt.method = parse_gradient_method(o->method);
    opt.wrt = parse_wrt(o->wrt, c);
    opt.shots = o->shots;
    opt.seed = o->seed;
    opt.allow_approximate = o->allow_approximate;
    opt.max_batch_circuits = o->max_batch;
    if (opt.method == gradient_method::adjoint && (o->shots > 0 || o->max_batch > 0))
      throw data_error(
          "grad", std::string(o->shots > 0 ? "--shots" : "--max-batch") + " needs a backend method",
          "--method adjoint is exact and runs no circuits; use shift, parallel or "
          "finite");
    if (o->allow_approximate && opt.method != gradient_method::parallel)
      throw data_error("grad", "--allow-approximate needs --method parallel",
                       "--method " + o->method);
    check_writable("--output file", o->output);
    check_distinct({{"circuit file", o->circuit_path}, {"--output file", o->output}});
    gradient_result r;
    if (opt.method == gradient_method::adjoint) {
      r = adjoint_gradient(c, params, obs, opt);
    } else {
      simulator_backend_options bo;
      bo.max_qubits = c.num_qubits();  // the circuit given is the one to run
      simulator_backend be(bo);
      // Under mpirun the gradient's circuits are spread over the ranks (the same numbers).
      const auto spread = spread_batches(be);
      backend& b = spread ? *spread : static_cast<backend&>(be);
      // The parallel shift's refusal (not exact for this circuit) comes before any circuit runs.
      r = about_option("--method " + o->method, [&] { return gradient(c, params, obs, b, opt); });
    }
    if (r.approximate)
      std::cerr << "papillon grad: warning: approximate parallel shift (" << r.approximation_note
                << ")\n";
    write_document(nlohmann::ordered_json(r), o->output);
    return 0;
  };
}

const register_command grad_command{"grad", &make_grad};

}  // namespace
}  // namespace papillon::cli
